/** What the Elasticsearch client and reader take from outside (tests pass their own). */
import type { inspectServerCertificate } from './certificates';

export interface EsClientDeps {
  readFile?: (path: string) => Promise<Buffer>;
  inspectCertificate?: typeof inspectServerCertificate;
  /**
   * 'strict' (default): the client refuses responses without `x-elastic-product`.
   * 'pre-7.14': accept them, meter them, and call assertElasticsearchProduct once the version is known.
   */
  productCheck?: 'strict' | 'pre-7.14';
}
