/**
 * Request metering: the RequestMeter a caller passes per request, the undici connection that charges
 * requests and received bytes to it, and the transport that leaves the product check to the caller.
 *
 * Requests and received bytes are metered per caller: pass `meteredRequest(meter)` as the request
 * options and the metering connection adds to that meter, so several snapshots may share one client.
 */
import type {
  ConnectionRequestOptions,
  ConnectionRequestOptionsAsStream,
  ConnectionRequestParams,
  ConnectionRequestResponse,
  ConnectionRequestResponseAsStream,
  TransportOptions,
} from '@elastic/elasticsearch';
import type { EsLibrary } from './library';

/** What a group of requests cost: requests sent and response body bytes received (as on the wire). */
export interface RequestMeter {
  requests: number;
  bytesReceived: number;
  /** Successful responses without `x-elastic-product: Elasticsearch` (see `productCheck: 'pre-7.14'`). */
  withoutProductHeader: number;
}

export function createMeter(): RequestMeter {
  return { requests: 0, bytesReceived: 0, withoutProductHeader: 0 };
}

const METER = 'tenantConsoleMeter';

/** Request options that charge a request to `meter` and let `signal` abort it. */
export function meteredRequest(
  meter: RequestMeter,
  signal?: AbortSignal,
): { context: Record<string, unknown>; signal?: AbortSignal } {
  return signal === undefined ? { context: { [METER]: meter } } : { context: { [METER]: meter }, signal };
}

function isMeter(value: unknown): value is RequestMeter {
  return value !== null && typeof value === 'object' && typeof (value as RequestMeter).requests === 'number';
}

/**
 * The connection and transport classes of the client, made from the library once it is loaded (they
 * extend its classes; see library.ts for why it is not loaded at start).
 */
export interface MeteringClasses {
  MeteredConnection: EsLibrary['UndiciConnection'];
  Pre714Transport: EsLibrary['SniffingTransport'];
}

let made: MeteringClasses | undefined;

export function meteringClasses(lib: EsLibrary): MeteringClasses {
  if (made !== undefined) return made;
  /** Undici connection that charges each request and its response body to the caller's meter. */
  class MeteredConnection extends lib.UndiciConnection {
    override request(
      params: ConnectionRequestParams,
      options: ConnectionRequestOptions,
    ): Promise<ConnectionRequestResponse>;
    override request(
      params: ConnectionRequestParams,
      options: ConnectionRequestOptionsAsStream,
    ): Promise<ConnectionRequestResponseAsStream>;
    override async request(
      params: ConnectionRequestParams,
      options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
    ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
      const context: unknown = options.context;
      const meter =
        context !== null && typeof context === 'object' ? (context as Record<string, unknown>)[METER] : undefined;
      const m = isMeter(meter) ? meter : undefined;
      if (m !== undefined) m.requests += 1;
      if ('asStream' in options && options.asStream) return super.request(params, options);
      const response = await super.request(params, options as ConnectionRequestOptions);
      if (m !== undefined) {
        // Body as read off the socket: compressed bytes when the server compressed.
        m.bytesReceived += typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        if (ok && response.headers['x-elastic-product'] !== 'Elasticsearch') m.withoutProductHeader += 1;
      }
      return response;
    }
  }

  /**
   * The client's own product check refuses every successful response without `x-elastic-product`,
   * which Elasticsearch sends only from 7.14: 7.10 to 7.13 would look like "not Elasticsearch". With
   * this transport the check moves to the caller, which sees the version: the metering connection
   * counts such responses (RequestMeter.withoutProductHeader) and assertElasticsearchProduct decides.
   */
  class Pre714Transport extends lib.SniffingTransport {
    constructor(opts: TransportOptions) {
      super({ ...opts, productCheck: undefined });
    }
  }

  made = { MeteredConnection, Pre714Transport };
  return made;
}
