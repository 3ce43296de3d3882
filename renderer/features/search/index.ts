/** The console-wide search box (Ctrl+K): `import { SearchDialog } from './features/search'`. */
export { SearchDialog } from './search-dialog';
export { buildSearchIndex, searchEntries, type SearchEntry, type SearchHit } from './search-index';
