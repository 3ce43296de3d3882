/**
 * Tracardi API calls made on behalf of ONE tenant. Tracardi derives the tenant from the Host header
 * (tracardi-contract.md section 1), so every call connects to the instance's API address but sends
 * the tenant's API domain as Host (and as TLS SNI). fetch/undici forbid overriding Host, hence
 * node:http/node:https.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ConsoleError } from '../../shared/errors/errors';
import type { InstallEvidence } from '../../shared/tenants/tenant';
import { DATABASE_UNREACHABLE, databaseError } from './tracardi-database';

/** Where to connect (the instance's API URL) and which tenant to speak for (its API domain). */
export interface TracardiTarget {
  apiUrl: string;
  /** Host header and TLS server name; default: the host of apiUrl (the instance's default tenant). */
  tenantHost?: string;
}

export interface TracardiTls {
  /** PEM CA bundle for the instance's API certificate; default: Node's CAs. */
  ca?: string | Buffer;
  /** Off only when the operator turned TLS verification off; default true. */
  verify?: boolean;
}

export interface HostRequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Path below apiUrl, e.g. `/install`. */
  path: string;
  /** JSON body. */
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  tls?: TracardiTls;
  agent?: HttpAgent | HttpsAgent;
  /** Cap on the bytes read from a response; default 1 MiB. */
  maxBytes?: number;
  /** Where to connect instead of the API URL's host (`--resolve`); Host and TLS name stay the same. */
  connectTo?: ConnectTo;
}

/** The address to connect to for `host:port`, or undefined for the system's resolution. */
export type ConnectTo = (host: string, port: number) => string | undefined;

export interface HostResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

/** Why an HTTP exchange produced no response. */
export class HostRequestError extends Error {
  readonly kind: 'timeout' | 'refused' | 'dns' | 'tls' | 'network' | 'aborted' | 'too-large';
  constructor(kind: HostRequestError['kind'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'HostRequestError';
    this.kind = kind;
  }
}

/**
 * One request to `apiUrl + path` with `Host: tenantHost`. Resolves with any HTTP status; rejects
 * with a HostRequestError when no answer came (timeout, refused, TLS, abort).
 */
export async function requestWithHost(target: TracardiTarget, options: HostRequestOptions): Promise<HostResponse> {
  try {
    return await requestOnce(target, options);
  } catch (err) {
    // A keep-alive socket the server closed while idle (Node and uvicorn close after 5 s) fails the
    // next request with ECONNRESET before any byte of it was answered: retry a GET once on a fresh one.
    if (err instanceof StaleSocketError && (options.method ?? 'GET') === 'GET') return requestOnce(target, options);
    throw err instanceof StaleSocketError ? err.original : err;
  }
}

/** A reused keep-alive socket that turned out to be closed by the server. */
class StaleSocketError extends Error {
  constructor(readonly original: HostRequestError) {
    super(original.message);
  }
}

function requestOnce(target: TracardiTarget, options: HostRequestOptions): Promise<HostResponse> {
  const url = new URL(target.apiUrl);
  const https = url.protocol === 'https:';
  const host = (target.tenantHost ?? url.hostname).toLowerCase();
  const basePath = url.pathname.replace(/\/+$/, '');
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  // Keep the apiUrl's port on the Host header only when it is not the scheme default.
  const hostHeader = url.port ? `${host}:${url.port}` : host;

  const port = Number(url.port || (https ? 443 : 80));
  const apiHost = url.hostname.replace(/^\[|\]$/g, '');
  const requestOptions: RequestOptions & { servername?: string; ca?: string | Buffer; rejectUnauthorized?: boolean } = {
    protocol: url.protocol,
    hostname: options.connectTo?.(apiHost, port) ?? apiHost,
    port,
    method: options.method ?? 'GET',
    path: `${basePath}${options.path}${url.search}`,
    headers: {
      host: hostHeader,
      accept: 'application/json',
      ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
    },
    agent: options.agent,
    signal: options.signal,
  };
  if (https) {
    // SNI and certificate check against the tenant's domain, which is what its certificate names.
    requestOptions.servername = host;
    if (options.tls?.ca) requestOptions.ca = options.tls.ca;
    requestOptions.rejectUnauthorized = options.tls?.verify !== false;
  }

  return new Promise<HostResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: HostRequestError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = (https ? httpsRequest : httpRequest)(requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new HostRequestError('too-large', `response larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (err) => fail(classify(err, options.timeoutMs)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // One deadline for the whole exchange (connect, TLS, headers and body), not an idle timeout.
    const timer = setTimeout(
      () => fail(new HostRequestError('timeout', `no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      const classified = classify(err, options.timeoutMs);
      if (req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new StaleSocketError(classified));
        return;
      }
      fail(classified);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

function classify(err: unknown, timeoutMs: number): HostRequestError {
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (e.name === 'AbortError' || code === 'ABORT_ERR') return new HostRequestError('aborted', 'request aborted', err);
  if (code === 'ECONNREFUSED') return new HostRequestError('refused', 'connection refused', err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new HostRequestError('dns', 'API host does not resolve', err);
  if (code === 'ETIMEDOUT') return new HostRequestError('timeout', `no answer within ${timeoutMs} ms`, err);
  if (code.startsWith('ERR_TLS') || /CERT|SSL|self[- ]signed/i.test(code + e.message)) {
    return new HostRequestError('tls', `TLS failed (${code || e.message})`, err);
  }
  return new HostRequestError('network', code ? `network error ${code}` : 'network error', err);
}

export interface TracardiClientOptions {
  /** Per-request timeout; default 5000 ms. */
  timeoutMs?: number;
  tls?: TracardiTls;
  /** Parallel sockets per API address (keep-alive pool); default 64. */
  maxSockets?: number;
  /** Connection overrides (`--resolve`): the API URL's host is reached at another address. */
  connectTo?: ConnectTo;
}

/** `GET /info/version/details`, tolerant of fields a version lacks. */
export interface VersionDetails {
  version: string | null;
  name: string | null;
  dbVersion: string | null;
  installed: { schema: boolean | null; users: boolean | null; form: boolean | null } | null;
  multiTenant: boolean | null;
  tenant: string | null;
}

/** Reads install status and version of a tenant on a Tracardi instance. */
export class TracardiClient {
  private readonly timeoutMs: number;
  private readonly tls: TracardiTls | undefined;
  private readonly connectTo: ConnectTo | undefined;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(options: TracardiClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.tls = options.tls;
    this.connectTo = options.connectTo;
    const maxSockets = options.maxSockets ?? 64;
    // Keep-alive: a fleet run sends hundreds of probes to the same few API addresses.
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  /**
   * `GET /install` as the tenant. Never rejects for an HTTP or network failure: those become
   * `could-not-tell` (a 5xx from 0.9's multi-tenant paths says nothing about the install). Rejects
   * only when `signal` aborts.
   */
  async getInstall(
    target: TracardiTarget,
    options: { timeoutMs?: number; signal?: AbortSignal } & InstallReading = {},
  ): Promise<InstallEvidence> {
    const { mysqlDatabase, ...requestOptions } = options;
    const started = performance.now();
    const done = (e: InstallEvidence): InstallEvidence => ({
      ...e,
      durationMs: Math.round(performance.now() - started),
    });
    let res: HostResponse;
    try {
      res = await this.request(target, { path: '/install', ...requestOptions });
    } catch (err) {
      if (err instanceof HostRequestError && err.kind === 'aborted') throw err;
      return done({ outcome: 'could-not-tell', error: err instanceof Error ? err.message : String(err) });
    }
    return done(interpretInstall(res.status, res.json, res.text, { mysqlDatabase }));
  }

  /** `GET /info/version/details` as the tenant (or the instance's default tenant). */
  async getVersionDetails(
    target: TracardiTarget,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<VersionDetails> {
    let res: HostResponse;
    try {
      res = await this.request(target, { path: '/info/version/details', ...options });
    } catch (err) {
      throw new ConsoleError(
        'tracardi-unreachable',
        `Tracardi at ${target.apiUrl} did not answer: ${err instanceof Error ? err.message : String(err)}.`,
        { cause: err },
      );
    }
    const database = res.status >= 500 ? databaseError(res.json, res.text) : null;
    if (database !== null)
      throw new ConsoleError(
        'tracardi-error',
        `${DATABASE_UNREACHABLE} (${target.apiUrl} answered /info/version/details with HTTP ${res.status}: ${database}).`,
      );
    if (res.status < 200 || res.status >= 300 || !isRecord(res.json)) {
      throw new ConsoleError(
        'tracardi-error',
        `Tracardi at ${target.apiUrl} answered /info/version/details with HTTP ${res.status}${detailOf(res.json, res.text)}.`,
      );
    }
    const j = res.json;
    const installed = isRecord(j.installed) ? j.installed : null;
    return {
      version: str(j.version),
      name: str(j.name),
      dbVersion: str(j.db_version),
      installed: installed
        ? { schema: bool(installed.schema), users: bool(installed.users), form: bool(installed.form) }
        : null,
      multiTenant: bool(j['multi-tenant']),
      tenant: str(j.tenant),
    };
  }

  /** The underlying request, with this client's timeout, TLS and keep-alive pool. */
  request(
    target: TracardiTarget,
    options: Omit<HostRequestOptions, 'timeoutMs' | 'tls' | 'agent'> & { timeoutMs?: number },
  ): Promise<HostResponse> {
    const https = new URL(target.apiUrl).protocol === 'https:';
    return requestWithHost(target, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      ...(this.tls ? { tls: this.tls } : {}),
      ...(this.connectTo ? { connectTo: this.connectTo } : {}),
      agent: https ? this.httpsAgent : this.httpAgent,
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** How to read a `GET /install` answer of this instance. */
export interface InstallReading {
  /**
   * The instance keeps its configuration in a MySQL database (0.9: `configurationStore` of its
   * version profile). Its GET /install checks that database first and, before the first install
   * created it, answers every field false with no warning: that tenant is not installed, not refused.
   */
  mysqlDatabase?: boolean | undefined;
}

/**
 * What a `GET /install` answer says (tracardi-contract.md section 3): installed when
 * `schema_ok && admin_ok`; `form_ok === false` or a warning means the instance does not accept this
 * tenant, except 0.9's answer before its database exists (every field false, no warning: see
 * InstallReading); a 5xx or an answer that is not the install shape means we could not tell, and a
 * 5xx from the MySQL driver says Tracardi's database is not reachable.
 */
export function interpretInstall(
  status: number,
  json: unknown,
  text = '',
  reading: InstallReading = {},
): InstallEvidence {
  if (status >= 500) {
    const database = databaseError(json, text);
    if (database !== null)
      return {
        outcome: 'could-not-tell',
        httpStatus: status,
        database: 'unreachable',
        error: `${DATABASE_UNREACHABLE} (GET /install answered HTTP ${status}: ${database})`,
      };
    return { outcome: 'could-not-tell', httpStatus: status, error: `HTTP ${status}${detailOf(json, text)}` };
  }
  if (status < 200 || status >= 300) {
    const detail = detailOf(json, text);
    // Tracardi refuses a Host it cannot map to an allowed tenant ("Tenant [x] not allowed", "must have 3 parts").
    if ((status === 403 || status === 404 || status === 400) && /tenant|host ?name|3 parts/i.test(detail)) {
      return { outcome: 'unknown-tenant', httpStatus: status, error: `HTTP ${status}${detail}` };
    }
    return { outcome: 'could-not-tell', httpStatus: status, error: `HTTP ${status}${detail}` };
  }
  if (!isRecord(json) || !('schema_ok' in json)) {
    return { outcome: 'could-not-tell', httpStatus: status, error: 'the answer is not a Tracardi install status' };
  }
  const schemaOk = bool(json.schema_ok);
  const adminOk = bool(json.admin_ok);
  const formOk = bool(json.form_ok);
  const warnings = warningList(json.warning);
  const base = { httpStatus: status, schemaOk, adminOk, formOk, warnings };
  if (schemaOk === true && adminOk === true) return { outcome: 'installed', ...base };
  // 0.9's check_installation returns this before anything else when its MySQL database does not
  // exist (tracardi/domain/installation_status.py): no tenant was ever installed on the instance.
  if (reading.mysqlDatabase && schemaOk === false && adminOk === false && formOk === false && warnings.length === 0)
    return { outcome: 'not-installed', ...base, database: 'not-created' };
  if (formOk === false || warnings.length > 0) return { outcome: 'unknown-tenant', ...base };
  return { outcome: 'not-installed', ...base };
}

function warningList(value: unknown): string[] {
  if (value === null || value === undefined || value === false) return [];
  if (Array.isArray(value))
    return value.filter((v) => v !== null && v !== undefined && v !== '').map((v) => String(v).slice(0, 300));
  return [String(value).slice(0, 300)];
}

function detailOf(json: unknown, text: string): string {
  if (isRecord(json) && json.detail !== undefined) {
    const d = typeof json.detail === 'string' ? json.detail : JSON.stringify(json.detail);
    return `: ${d.slice(0, 200)}`;
  }
  const t = text.trim().split('\n')[0] ?? '';
  return t ? `: ${t.slice(0, 200)}` : '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function bool(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}
