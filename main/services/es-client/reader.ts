/**
 * A lean HTTP reader of one instance's Elasticsearch, for the capacity snapshot's hot path: Node's
 * own http(s) over keep-alive connections, the instance's credentials and TLS trust (the same
 * connectionSettings as createEsClient), gzip, JSON. It fails with the client's error names
 * (ResponseError, TimeoutError, ConnectionError, …), so classifyEsError words its failures alike.
 *
 * Why not the client: measured side by side (bench/capacity.ts), its transport, async gunzip and
 * JSON deserializer cost about as much as the requests themselves on a busy machine, and loading the
 * library takes half a second that `tenantctl capacity` paid on every run (docs/capacity.md).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { stringify } from 'node:querystring';
import tls from 'node:tls';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Instance } from '../../../shared/instances/instance';
import type { InstanceSecrets } from '../instances/types';
import { connectionSettings } from './client';
import type { EsClientDeps } from './deps';
import { nodeLabel } from './errors';
import type { EsErrorName } from './library';
import type { RequestMeter } from './meter';

/** One request: a path (written out, as docs/capacity.md quotes it), its query, a JSON body for a search. */
export interface EsRequest {
  method?: 'GET' | 'POST';
  path: string;
  querystring?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** A 2xx reply. */
export interface EsReply {
  /** The parsed JSON body (the text when the reply is not JSON). Shared with later replies: never change it. */
  body: unknown;
  /** The body as it came off the socket (compressed when compressed): equal bytes, equal reply. */
  received: Buffer;
  /** True when `received` equals the `previous` reply's, whose parsed body was reused unparsed. */
  unchanged: boolean;
}

export interface ReadOptions {
  /** Charged with the request and the bytes received (see RequestMeter). */
  meter?: RequestMeter;
  signal?: AbortSignal;
  /** The last reply to the same request: when the bytes are the same again, its body is reused unparsed. */
  previous?: EsReply;
}

export interface EsReader {
  request(req: EsRequest, options?: ReadOptions): Promise<EsReply>;
  /** Closes the keep-alive connections. */
  close(): Promise<void>;
}

/** Bodies past this size are decompressed off the main thread. */
const SYNC_UNZIP_MAX_BYTES = 256 * 1024;
const unzip = promisify(zlib.unzip);
/** What a kept-alive connection the server closed while idle fails with, before any byte came back. */
const STALE = new Set(['ECONNRESET', 'EPIPE']);

/** An error carrying the client's class name (library.ts), so classifyEsError treats it as the client's. */
export class EsReaderError extends Error {
  /** The node that failed, as `protocol//host` (no user info). */
  readonly node: string;
  readonly statusCode?: number;
  readonly headers?: http.IncomingHttpHeaders;
  readonly body?: unknown;

  constructor(
    name: EsErrorName,
    message: string,
    node: string,
    reply?: { statusCode: number; headers: http.IncomingHttpHeaders; body: unknown },
  ) {
    super(message);
    this.name = name;
    this.node = node;
    if (reply !== undefined) {
      this.statusCode = reply.statusCode;
      this.headers = reply.headers;
      this.body = reply.body;
    }
  }
}

/**
 * A reader for the instance: its nodes in turn, its credentials and trust, `es.timeoutMs` to connect
 * and again for the reply. Throws the console errors of connectionSettings (no password stored, CA
 * file unreadable, pin matching nothing) before anything is sent.
 */
export async function createEsReader(
  instance: Instance,
  secrets: InstanceSecrets,
  deps: Pick<EsClientDeps, 'readFile' | 'inspectCertificate'> = {},
): Promise<EsReader> {
  const settings = await connectionSettings(instance, secrets, deps);
  const timeoutMs = instance.es.timeoutMs;
  const headers: http.OutgoingHttpHeaders = {
    accept: 'application/json',
    // The listings compress about tenfold. Elasticsearch compresses when asked over plain HTTP; with
    // TLS it does not by default (http.compression), and then this header changes nothing.
    'accept-encoding': 'gzip',
    'user-agent': 'tracardi-tenant-console',
  };
  const auth = settings.auth;
  if (auth !== undefined)
    headers.authorization =
      'apiKey' in auth
        ? `ApiKey ${auth.apiKey}`
        : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const nodes = instance.es.nodes.map((url) => new NodeConnection(new URL(url), settings, timeoutMs));
  let next = 0;
  return {
    request(req, options = {}) {
      // The configured nodes in turn, as the client's pool does; no retry on another (maxRetries 0).
      const node = nodes[next++ % nodes.length]!;
      return node.request(req, headers, options);
    },
    async close() {
      for (const n of nodes) n.close();
    },
  };
}

/** Keep-alive connections to one node. */
class NodeConnection {
  readonly #url: URL;
  readonly #label: string;
  readonly #prefix: string;
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #https: boolean;

  constructor(url: URL, settings: Awaited<ReturnType<typeof connectionSettings>>, timeoutMs: number) {
    this.#url = url;
    this.#label = nodeLabel(url.toString());
    this.#prefix = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    this.#timeoutMs = timeoutMs;
    this.#https = url.protocol === 'https:';
    const connect = this.#https ? tlsConnector(url, settings, timeoutMs) : tcpConnector(timeoutMs);
    const options: http.AgentOptions = { keepAlive: true, scheduling: 'lifo' };
    // Node's agent writes the request as soon as it has a socket; the connector hands the socket over
    // only once it is connected, trusted and (with a pin) matched, as the client's undici connector
    // did: a request never leaves over a connection that fails verification.
    this.#agent = this.#https ? new https.Agent(options) : new http.Agent(options);
    (this.#agent as unknown as { createConnection: typeof connect }).createConnection = connect;
  }

  request(req: EsRequest, baseHeaders: http.OutgoingHttpHeaders, options: ReadOptions): Promise<EsReply> {
    const query = req.querystring === undefined ? '' : stringify(req.querystring);
    const path = `${this.#prefix}${req.path}${query === '' ? '' : `?${query}`}`;
    let payload: Buffer | undefined;
    let headers = baseHeaders;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers = { ...baseHeaders, 'content-type': 'application/json', 'content-length': payload.length };
    }
    if (options.meter !== undefined) options.meter.requests += 1;
    return this.#send(req.method ?? 'GET', path, headers, payload, options, true);
  }

  #send(
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders,
    payload: Buffer | undefined,
    options: ReadOptions,
    mayRetry: boolean,
  ): Promise<EsReply> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.#error('RequestAbortedError', 'Request aborted'));
    return new Promise<EsReply>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      // Why we destroyed the request ourselves, which wins over the socket error that follows.
      let stopped: EsReaderError | undefined;
      const stop = (err: EsReaderError) => {
        stopped ??= err;
        req.destroy(err);
      };
      const done = (err: Error | null, reply?: EsReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err !== null) reject(stopped ?? err);
        else resolve(reply!);
      };
      const onAbort = () => stop(this.#error('RequestAbortedError', 'Request aborted'));
      const transport = this.#https ? https : http;
      const req = transport.request({
        host: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port === '' ? (this.#https ? 443 : 80) : Number(this.#url.port),
        method,
        path,
        headers,
        agent: this.#agent,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      // The connector bounds the connect; from the socket on, the reply has timeoutMs to arrive whole.
      req.once('socket', () => {
        timer = setTimeout(() => stop(this.#error('TimeoutError', 'Request timed out')), this.#timeoutMs);
      });
      req.once('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed meanwhile: once more on a fresh one (nothing was read).
        if (mayRetry && stopped === undefined && req.reusedSocket && STALE.has(err.code ?? '') && !settled) {
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.#send(method, path, headers, payload, options, false).then(resolve, reject);
          return;
        }
        done(err instanceof EsReaderError ? err : this.#error('ConnectionError', err.message));
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (err) =>
          done(err instanceof EsReaderError ? err : this.#error('ConnectionError', err.message)),
        );
        // Cut off mid-body (the server closed, or we destroyed the request): no 'end' will come.
        res.once('close', () => {
          if (!res.complete) done(this.#error('ConnectionError', 'other side closed'));
        });
        res.once('end', () => {
          clearTimeout(timer);
          const received = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          this.#reply(res, received, options).then(
            (reply) => done(null, reply),
            (err: Error) => done(err),
          );
        });
      });
      req.end(payload);
    });
  }

  async #reply(res: http.IncomingMessage, received: Buffer, options: ReadOptions): Promise<EsReply> {
    const status = res.statusCode ?? 0;
    const ok = status >= 200 && status < 300;
    const meter = options.meter;
    if (meter !== undefined) {
      meter.bytesReceived += received.length;
      if (ok && res.headers['x-elastic-product'] !== 'Elasticsearch') meter.withoutProductHeader += 1;
    }
    const previous = options.previous;
    if (ok && previous !== undefined && previous.received.equals(received))
      return { body: previous.body, received, unchanged: true };
    const encoding = (res.headers['content-encoding'] ?? '').toLowerCase();
    let raw = received;
    if (encoding.includes('gzip') || encoding.includes('deflate')) {
      try {
        raw = received.length <= SYNC_UNZIP_MAX_BYTES ? zlib.unzipSync(received) : await unzip(received);
      } catch (err) {
        throw this.#error('ConnectionError', (err as Error).message);
      }
    }
    let body: unknown = raw.toString();
    const type = res.headers['content-type'] ?? '';
    if ((type.includes('application/json') || type.includes('application/vnd.elasticsearch+json')) && body !== '') {
      try {
        const text = body as string;
        body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (err) {
        throw this.#error('DeserializationError', (err as Error).message);
      }
    }
    if (!ok) {
      const error = (body as { error?: { type?: unknown } } | null)?.error;
      const type = typeof error === 'object' && error !== null ? String(error.type ?? '') : '';
      throw new EsReaderError('ResponseError', type === '' ? `HTTP ${status}` : type, this.#label, {
        statusCode: status,
        headers: res.headers,
        body,
      });
    }
    return { body, received, unchanged: false };
  }

  #error(name: EsErrorName, message: string): EsReaderError {
    return new EsReaderError(name, message, this.#label);
  }

  close(): void {
    this.#agent.destroy();
  }
}

type Connector = (options: net.NetConnectOpts, done: (err: Error | null, socket?: net.Socket) => void) => undefined;

/** Plain TCP, given up after timeoutMs as the client did ("Connect Timeout Error"). */
function tcpConnector(timeoutMs: number): Connector {
  return (options, done) => {
    const socket = net.connect(options as net.NetConnectOpts);
    settleOnConnect(socket, 'connect', timeoutMs, done);
    return undefined;
  };
}

/** TLS with the instance's trust; with a CA fingerprint, the chain's root must match it. */
function tlsConnector(
  url: URL,
  settings: Awaited<ReturnType<typeof connectionSettings>>,
  timeoutMs: number,
): Connector {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // The last TLS session, resumed by the next connection (a shorter handshake), as the client's did.
  let session: Buffer | undefined;
  return (options, done) => {
    const socket = tls.connect({
      ...(options as tls.ConnectionOptions),
      ...settings.tls,
      host,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      ...(session === undefined ? {} : { session }),
    });
    socket.on('session', (s: Buffer) => (session = s));
    settleOnConnect(socket, 'secureConnect', timeoutMs, (err, s) => {
      if (err === null && settings.caFingerprint !== undefined && !rootMatches(socket, settings.caFingerprint)) {
        socket.destroy();
        done(new Error('Server certificate CA fingerprint does not match the value configured in caFingerprint'));
        return;
      }
      done(err, s);
    });
    return undefined;
  };
}

function settleOnConnect(
  socket: net.Socket,
  event: 'connect' | 'secureConnect',
  timeoutMs: number,
  done: (err: Error | null, socket?: net.Socket) => void,
): void {
  const timer = setTimeout(() => {
    socket.destroy();
    finish(new Error('Connect Timeout Error'));
  }, timeoutMs);
  let finished = false;
  function finish(err: Error | null) {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.removeListener('error', finish);
    done(err, err === null ? socket : undefined);
  }
  socket.once(event, () => finish(null));
  socket.once('error', finish);
}

/** The last certificate of the presented chain (its root) has the pinned SHA-256. */
function rootMatches(socket: tls.TLSSocket, fingerprint: string): boolean {
  let cert = socket.getPeerCertificate(true);
  // A resumed session presents no certificate; its chain was checked when it was made.
  if (Object.keys(cert).length === 0) return socket.isSessionReused();
  while (cert.issuerCertificate !== undefined && cert.issuerCertificate.fingerprint256 !== cert.fingerprint256)
    cert = cert.issuerCertificate;
  const norm = (fp: string) => fp.replace(/:/g, '').toLowerCase();
  return norm(cert.fingerprint256) === norm(fingerprint);
}
