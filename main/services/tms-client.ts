/**
 * Client for an instance's Tenant Management Service (tracardi-contract.md, section 2).
 *
 * Small and tolerant on purpose: the TMS calls made by Tracardi's closed core are not public, so
 * the client reads only the fields it needs, accepts `install_key` as an alias of `install_token`,
 * and treats DELETE as optional. The API key travels in the URL path of the exchange call, so no
 * URL of that call, no key and no token ever reaches an error message.
 */
import { createHash } from 'node:crypto';
import { ConsoleError } from '../../shared/errors';
import type { Instance } from '../../shared/instance';

/** A tenant as the TMS stores it, with the install token under one name. */
export interface TmsTenant {
  id: string | null;
  name: string;
  /** `install_token`, or `install_key` on older TMS builds; null when the TMS sent neither. */
  installToken: string | null;
  email: string | null;
  created: string | null;
  expire: string | null;
}

/** What the console sends to create (or re-post) a tenant. */
export interface TmsTenantInput {
  id: string;
  name: string;
  installToken: string;
  email: string;
  created: string;
  /** ISO date-time the token stops working, or null for no expiry. */
  expire: string | null;
}

export interface TmsClient {
  readonly instanceId: string;
  /** The tenant, or null when the TMS answers 404. */
  getTenant(name: string): Promise<TmsTenant | null>;
  /** Create the tenant (tenant-collision when the TMS answers 409: it has that name already). */
  postTenant(input: TmsTenantInput): Promise<TmsTenant | null>;
  /**
   * Store the tenant with a new install token. The documented TMS has no PUT: a POST of the same
   * tenant replaces it on a TMS that upserts; one that answers 409 gets DELETE then POST.
   */
  upsertTenant(input: TmsTenantInput): Promise<TmsTenant | null>;
  /** 'deleted', or 'absent' when the TMS does not know the tenant. Throws tms-unsupported when the TMS has no DELETE. */
  deleteTenant(name: string): Promise<'deleted' | 'absent'>;
  /** Every tenant, when the TMS offers the (non-standard) `GET /tenants` listing; null when it does not. */
  listTenants(): Promise<TmsTenant[] | null>;
}

/** Builds the TMS client of one instance. */
export type TmsClientFactory = (instanceId: string) => Promise<TmsClient>;

/** The part of InstanceService the factory needs. */
export interface TmsInstanceSource {
  get(id: string): Promise<{ instance: Instance }>;
  resolveSecrets(id: string): Promise<Partial<Record<string, string>>>;
}

export interface HttpTmsClientOptions {
  instanceId: string;
  tmsUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Shared between the clients of one factory, so a token outlives one client. */
  tokenCache?: AccessTokenCache;
  now?: () => number;
}

interface CachedToken {
  fingerprint: string;
  token: string;
  expiresAt: number;
}

/** Access tokens per instance, kept for a short time. */
export class AccessTokenCache {
  private readonly entries = new Map<string, CachedToken>();
  constructor(readonly ttlMs = 60_000) {}

  get(instanceId: string, fingerprint: string, now: number): string | null {
    const e = this.entries.get(instanceId);
    if (!e || e.fingerprint !== fingerprint || e.expiresAt <= now) return null;
    return e.token;
  }
  set(instanceId: string, fingerprint: string, token: string, now: number): void {
    this.entries.set(instanceId, { fingerprint, token, expiresAt: now + this.ttlMs });
  }
  drop(instanceId: string): void {
    this.entries.delete(instanceId);
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The TMS client over HTTP. */
export class HttpTmsClient implements TmsClient {
  readonly instanceId: string;
  private readonly base: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly cache: AccessTokenCache;
  private readonly fingerprint: string;
  private readonly now: () => number;
  /** Secrets this client has seen, scrubbed from any text it puts in an error. */
  private readonly secrets = new Set<string>();

  constructor(opts: HttpTmsClientOptions) {
    this.instanceId = opts.instanceId;
    this.base = opts.tmsUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchFn = opts.fetch ?? fetch;
    this.cache = opts.tokenCache ?? new AccessTokenCache();
    this.now = opts.now ?? Date.now;
    this.fingerprint = createHash('sha256').update(`${this.base}\n${this.apiKey}`).digest('hex');
    this.secrets.add(opts.apiKey);
    this.secrets.add(encodeURIComponent(opts.apiKey));
  }

  /** Where the TMS is, for messages: origin only, never a path that may hold a key. */
  get where(): string {
    try {
      return new URL(this.base).origin;
    } catch {
      return 'the configured TMS URL';
    }
  }

  async getTenant(name: string): Promise<TmsTenant | null> {
    const res = await this.authorised('GET', `/tenant/${encodeURIComponent(name)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw await this.httpError(res, `GET /tenant/${name}`);
    return parseTenant(await this.json(res, `GET /tenant/${name}`), name);
  }

  async postTenant(input: TmsTenantInput): Promise<TmsTenant | null> {
    this.secrets.add(input.installToken);
    const body = {
      id: input.id,
      created: input.created,
      name: input.name,
      install_token: input.installToken,
      email: input.email,
      expire: input.expire,
    };
    const res = await this.authorised('POST', '/tenant', body);
    if (res.status === 409) {
      await discard(res);
      throw new ConsoleError(
        'tenant-collision',
        `The TMS of instance ${this.instanceId} (${this.where}) already has a tenant named ${input.name}.`,
        {
          instanceId: this.instanceId,
          tenant: input.name,
        },
      );
    }
    if (!res.ok) throw await this.httpError(res, 'POST /tenant');
    const text = await res.text();
    if (!text.trim()) return null;
    try {
      return parseTenant(JSON.parse(text), input.name);
    } catch {
      // The tenant was stored; an answer we cannot read is not a failure of the call.
      return null;
    }
  }

  async upsertTenant(input: TmsTenantInput): Promise<TmsTenant | null> {
    try {
      return await this.postTenant(input);
    } catch (err) {
      if (!(err instanceof ConsoleError) || err.code !== 'tenant-collision') throw err;
    }
    await this.deleteTenant(input.name);
    return this.postTenant(input);
  }

  async deleteTenant(name: string): Promise<'deleted' | 'absent'> {
    const res = await this.authorised('DELETE', `/tenant/${encodeURIComponent(name)}`);
    if (res.ok) return 'deleted';
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      await discard(res);
      // A 404 is "no such tenant" or "no such route"; 405/501 is no DELETE at all. Either way the
      // tenant may already be gone (removed by hand): ask before calling the call unsupported.
      const still = await this.getTenant(name);
      if (still === null) return 'absent';
      throw this.unsupported(name);
    }
    throw await this.httpError(res, `DELETE /tenant/${name}`);
  }

  async listTenants(): Promise<TmsTenant[] | null> {
    const res = await this.authorised('GET', '/tenants');
    if (res.status === 404 || res.status === 405 || res.status === 501) return null;
    if (!res.ok) throw await this.httpError(res, 'GET /tenants');
    const data = await this.json(res, 'GET /tenants');
    const items = Array.isArray(data)
      ? data
      : isObject(data) && Array.isArray(data.tenants)
        ? data.tenants
        : Array.isArray((data as { items?: unknown })?.items)
          ? (data as { items: unknown[] }).items
          : null;
    if (items === null) return null;
    const out: TmsTenant[] = [];
    for (const item of items) {
      const t = parseTenant(item, null);
      if (t) out.push(t);
    }
    return out;
  }

  private unsupported(name: string): ConsoleError {
    return new ConsoleError(
      'tms-unsupported',
      `This TMS has no DELETE /tenant: remove tenant ${name} by hand on ${this.where}`,
      {
        instanceId: this.instanceId,
        tenant: name,
      },
    );
  }

  /** A bearer call; on 401 the access token is exchanged again, once. */
  private async authorised(method: string, path: string, body?: unknown): Promise<Response> {
    let token = await this.accessToken(false);
    let res = await this.send(method, path, token, body);
    if (res.status === 401) {
      await discard(res);
      this.cache.drop(this.instanceId);
      token = await this.accessToken(true);
      res = await this.send(method, path, token, body);
      if (res.status === 401) {
        await discard(res);
        throw new ConsoleError(
          'tms-unauthorized',
          `The TMS of instance ${this.instanceId} (${this.where}) refused the console's access token (HTTP 401 on ${method} ${path.split('/').slice(0, 2).join('/')}).`,
          {
            instanceId: this.instanceId,
          },
        );
      }
    }
    return res;
  }

  private async accessToken(fresh: boolean): Promise<string> {
    const now = this.now();
    if (!fresh) {
      const cached = this.cache.get(this.instanceId, this.fingerprint, now);
      if (cached) return cached;
    }
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/api-key/${encodeURIComponent(this.apiKey)}`, {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Never the fetch error text: it may quote the URL, which holds the API key.
      throw this.unreachable('the API-key exchange', err);
    }
    if (res.status === 401 || res.status === 403 || res.status === 404) {
      await discard(res);
      throw new ConsoleError(
        'tms-unauthorized',
        `The TMS of instance ${this.instanceId} (${this.where}) refused the stored TMS API key (HTTP ${res.status} on the API-key exchange).`,
        {
          instanceId: this.instanceId,
        },
      );
    }
    if (!res.ok) {
      await discard(res);
      throw new ConsoleError(
        'tms-error',
        `The TMS of instance ${this.instanceId} (${this.where}) answered HTTP ${res.status} to the API-key exchange.`,
        {
          instanceId: this.instanceId,
        },
      );
    }
    const data = await this.json(res, 'the API-key exchange');
    const token = isObject(data) && typeof data.access_token === 'string' ? data.access_token : null;
    if (!token) {
      throw new ConsoleError(
        'tms-error',
        `The TMS of instance ${this.instanceId} (${this.where}) sent no access_token from the API-key exchange.`,
        {
          instanceId: this.instanceId,
        },
      );
    }
    this.secrets.add(token);
    this.cache.set(this.instanceId, this.fingerprint, token, now);
    return token;
  }

  private async send(method: string, path: string, token: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.fetchFn(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw this.unreachable(`${method} ${path}`, err);
    }
  }

  private unreachable(what: string, err: unknown): ConsoleError {
    const e = err as { name?: string; cause?: { code?: string } };
    const reason =
      e?.name === 'TimeoutError' || e?.name === 'AbortError'
        ? `no answer within ${this.timeoutMs} ms`
        : typeof e?.cause?.code === 'string'
          ? e.cause.code
          : 'connection failed';
    return new ConsoleError(
      'tms-unreachable',
      `The TMS of instance ${this.instanceId} at ${this.where} is unreachable (${reason}) during ${what}.`,
      {
        instanceId: this.instanceId,
      },
    );
  }

  private async httpError(res: Response, what: string): Promise<ConsoleError> {
    let detail = '';
    try {
      const text = await res.text();
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed) && typeof parsed.detail === 'string') detail = parsed.detail;
    } catch {
      // no readable detail
    }
    detail = this.scrub(detail).replace(/\s+/g, ' ').slice(0, 160);
    const code = res.status === 401 || res.status === 403 ? 'tms-unauthorized' : 'tms-error';
    return new ConsoleError(
      code,
      `The TMS of instance ${this.instanceId} (${this.where}) answered HTTP ${res.status} to ${what}${detail ? `: ${detail}` : '.'}`,
      {
        instanceId: this.instanceId,
      },
    );
  }

  private async json(res: Response, what: string): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      throw new ConsoleError(
        'tms-error',
        `The TMS of instance ${this.instanceId} (${this.where}) sent an answer to ${what} that is not JSON.`,
        {
          instanceId: this.instanceId,
        },
      );
    }
  }

  /** Remove every secret this client knows, and anything shaped like a token, from server text. */
  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s) out = out.split(s).join('[secret]');
    return out.replace(/[A-Za-z0-9_-]{32,}/g, '[secret]');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Read a TMS tenant, tolerating extra fields and the `install_key` alias. */
export function parseTenant(data: unknown, fallbackName: string | null): TmsTenant | null {
  if (!isObject(data)) return null;
  const name = str(data.name) ?? fallbackName;
  if (!name) return null;
  return {
    id: str(data.id),
    name,
    installToken: str(data.install_token) ?? str(data.install_key),
    email: str(data.email),
    created: str(data.created),
    expire: str(data.expire),
  };
}

async function discard(res: Response): Promise<void> {
  try {
    await res.arrayBuffer();
  } catch {
    // nothing to free
  }
}

export interface TmsClientFactoryOptions {
  instances: TmsInstanceSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
  tokenTtlMs?: number;
  now?: () => number;
}

/** The factory the core hands to TenantService: one client per call, tokens cached per instance. */
export function createTmsClientFactory(opts: TmsClientFactoryOptions): TmsClientFactory {
  const cache = new AccessTokenCache(opts.tokenTtlMs ?? 60_000);
  return async (instanceId: string) => {
    const { instance } = await opts.instances.get(instanceId);
    const secrets = await opts.instances.resolveSecrets(instanceId);
    const apiKey = secrets['tms-api-key'];
    if (!apiKey) {
      throw new ConsoleError(
        'validation',
        `Instance ${instanceId} has no TMS API key stored: add it to the instance first.`,
        { instanceId },
      );
    }
    const clientOpts: HttpTmsClientOptions = { instanceId, tmsUrl: instance.tmsUrl, apiKey, tokenCache: cache };
    if (opts.timeoutMs !== undefined) clientOpts.timeoutMs = opts.timeoutMs;
    if (opts.fetch !== undefined) clientOpts.fetch = opts.fetch;
    if (opts.now !== undefined) clientOpts.now = opts.now;
    return new HttpTmsClient(clientOpts);
  };
}
