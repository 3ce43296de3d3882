/**
 * Elasticsearch client for one instance, and the translation of everything that can go wrong on the
 * way to it into a ConsoleError an operator can act on: `import { createEsClient } from './services/es-client'`.
 * The capacity snapshot reads through a lean reader instead (`createEsReader`: node's http, the same
 * credentials, trust and error names), which costs a fraction of the client per request.
 *
 * Requests and received bytes are metered per caller: pass `meteredRequest(meter)` as the request
 * options and the metering connection adds to that meter, so several snapshots may share one client.
 */
export { connectionSettings, createEsClient, type EsConnectionSettings } from './client';
export type { EsClientDeps } from './deps';
export type { InstanceSecrets } from '../instances/types';
export { inspectServerCertificate, type PeerCertificate } from './certificates';
export {
  assertElasticsearchProduct,
  assertSupportedEsVersion,
  classifyEsError,
  diagnoseEsError,
  isSupportedEsVersion,
  nodeLabel,
  type EsErrorDetails,
} from './errors';
export { createMeter, meteredRequest, type RequestMeter } from './meter';
export { createEsReader, EsReaderError, type EsReader, type EsReply, type EsRequest, type ReadOptions } from './reader';
