/** The index browser's public API: `import { IndicesService } from './services/indices'`. */
export { IndicesService, type IndexQuery, type IndicesDeps } from './indices-service';
export { indexRequests, readAliasRows, readIndexRows, readTemplateNames } from './requests';
