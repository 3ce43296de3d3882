/**
 * The TMS client over HTTP: the tenant calls, and the API-key exchange that gives their bearer
 * token. The API key travels in the URL path of the exchange call, so no URL of that call, no key
 * and no token ever reaches an error message.
 */
import { createHash } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors/errors';
import { httpError, unreachable, unsupported, type TmsSite } from './errors';
import { discard, isObject, parseTenant } from './reply';
import { AccessTokenCache } from './token-cache';
import type { TmsClient, TmsTenant, TmsTenantInput } from './types';

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
  /** What its errors name and scrub. */
  private readonly site: TmsSite;

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
    this.site = { instanceId: this.instanceId, where: this.where, timeoutMs: this.timeoutMs, secrets: this.secrets };
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
    if (!res.ok) throw await httpError(this.site, res, `GET /tenant/${name}`);
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
    if (!res.ok) throw await httpError(this.site, res, 'POST /tenant');
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
      throw unsupported(this.site, name);
    }
    throw await httpError(this.site, res, `DELETE /tenant/${name}`);
  }

  async listTenants(): Promise<TmsTenant[] | null> {
    const res = await this.authorised('GET', '/tenants');
    if (res.status === 404 || res.status === 405 || res.status === 501) return null;
    if (!res.ok) throw await httpError(this.site, res, 'GET /tenants');
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
      throw unreachable(this.site, 'the API-key exchange', err);
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
      throw unreachable(this.site, `${method} ${path}`, err);
    }
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
}
