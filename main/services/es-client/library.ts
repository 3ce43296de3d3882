/**
 * @elastic/elasticsearch, loaded on first use. With undici, apache-arrow and OpenTelemetry it takes
 * about half a second to load, which commands that never talk to Elasticsearch (`tenantctl instances
 * list`, `derive`, the settings screens) must not pay. Only building a client or reading a server's
 * certificate chain loads it; recognising its errors needs no library (see `esErrorName`).
 */
import type * as Elasticsearch from '@elastic/elasticsearch';

export type EsLibrary = typeof Elasticsearch;

let library: Promise<EsLibrary> | undefined;

/** The library, imported once. */
export function loadEsLibrary(): Promise<EsLibrary> {
  library ??= import('@elastic/elasticsearch');
  return library;
}

/** The error classes of the client (and its transport), by the `name` each sets on its instances. */
export type EsErrorName =
  | 'ElasticsearchClientError'
  | 'TimeoutError'
  | 'ConnectionError'
  | 'NoLivingConnectionsError'
  | 'SerializationError'
  | 'DeserializationError'
  | 'ConfigurationError'
  | 'ResponseError'
  | 'RequestAbortedError'
  | 'ProductNotSupportedError';

const ES_ERROR_NAMES: ReadonlySet<string> = new Set<EsErrorName>([
  'ElasticsearchClientError',
  'TimeoutError',
  'ConnectionError',
  'NoLivingConnectionsError',
  'SerializationError',
  'DeserializationError',
  'ConfigurationError',
  'ResponseError',
  'RequestAbortedError',
  'ProductNotSupportedError',
]);

/**
 * The client error class `err` is an instance of, or undefined. By name rather than `instanceof`, so
 * that classifying an error does not load the library (an error of the library only exists once it
 * was loaded anyway); tests/unit/main/es-library.test.ts checks the names against the library.
 */
export function esErrorName(err: unknown): EsErrorName | undefined {
  if (!(err instanceof Error) || !ES_ERROR_NAMES.has(err.name)) return undefined;
  return err.name as EsErrorName;
}
