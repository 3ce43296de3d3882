/** The index browser: `import { IndicesScreen } from './features/indices'`. */
export { IndicesScreen } from './indices-screen';
export { checkMissing, type MissingName } from './missing-names';
