// Simulated Tenant Management Service (contract section 2): API-key exchange, tenants with their
// installation tokens, optional DELETE, fault injection.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  HttpError,
  bearer,
  missingFields,
  startJsonServer,
  type CallRecord,
  type Fault,
  type SimReply,
  type SimRequest,
} from './http';

/** A tenant as the simulated TMS stores it. */
export interface TmsTenant {
  id: string;
  created: string;
  name: string;
  install_token: string;
  email: string | null;
  expire: string | null;
}

export interface TmsOptions {
  apiKey: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** false makes DELETE /tenant/{name} answer 405, like a TMS without that call. Default true. */
  supportsDelete?: boolean;
  /** Field name of the token in responses; `install_key` imitates the older documented TMS. */
  tokenField?: 'install_token' | 'install_key';
  /** Lifetime of access tokens; unset means they never expire. */
  tokenTtlMs?: number;
}

export interface TmsSimulator {
  url: string;
  port: number;
  /** The live store, keyed by tenant name: tests may read it or seed it directly. */
  tenants(): Map<string, TmsTenant>;
  setFault(fault: Fault | null): void;
  /** The next `n` POST /tenant answer 500 and store nothing. */
  failNextPosts(n: number): void;
  /** Forgets every access token issued so far (clients must exchange the API key again). */
  revokeTokens(): void;
  calls: CallRecord[];
  stop(): Promise<void>;
}

/** Starts a simulated TMS on 127.0.0.1. */
export async function startTms(options: TmsOptions): Promise<TmsSimulator> {
  const store = new Map<string, TmsTenant>();
  const tokens = new Map<string, number>(); // access token -> expiry (ms epoch)
  let failingPosts = 0;
  const supportsDelete = options.supportsDelete ?? true;
  const tokenField = options.tokenField ?? 'install_token';

  const present = (t: TmsTenant): Record<string, unknown> => {
    const { install_token, ...rest } = t;
    return { ...rest, [tokenField]: install_token };
  };

  const authorise = (req: SimRequest): void => {
    const token = bearer(req);
    const expiry = token ? tokens.get(token) : undefined;
    if (expiry === undefined) throw new HttpError(401, 'Not authenticated');
    if (expiry < Date.now()) {
      tokens.delete(token as string);
      throw new HttpError(401, 'Token expired');
    }
  };

  const handle = async (req: SimRequest): Promise<SimReply> => {
    const [head, name, ...rest] = req.segments;
    if (rest.length > 0) throw new HttpError(404, 'Not Found');

    if (head === 'api-key' && name !== undefined) {
      if (req.method !== 'GET') throw new HttpError(405, 'Method Not Allowed');
      if (name !== options.apiKey) throw new HttpError(401, 'Invalid API key');
      const token = randomBytes(24).toString('hex');
      tokens.set(token, options.tokenTtlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.tokenTtlMs);
      return { status: 200, body: { access_token: token, token_type: 'bearer' } };
    }

    if (head === 'tenants' && name === undefined) {
      if (req.method !== 'GET') throw new HttpError(405, 'Method Not Allowed');
      authorise(req);
      return { status: 200, body: [...store.values()].map(present) };
    }

    if (head !== 'tenant') throw new HttpError(404, 'Not Found');

    if (name === undefined) {
      if (req.method !== 'POST') throw new HttpError(405, 'Method Not Allowed');
      authorise(req);
      if (failingPosts > 0) {
        failingPosts--;
        throw new HttpError(500, 'Simulated failure storing the tenant');
      }
      const tenant = parseTenant(req.body);
      if (store.has(tenant.name)) throw new HttpError(409, `Tenant [${tenant.name}] already exists.`);
      store.set(tenant.name, tenant);
      return { status: 200, body: present(tenant) };
    }

    if (req.method === 'DELETE' && !supportsDelete) throw new HttpError(405, 'Method Not Allowed');
    if (req.method !== 'GET' && req.method !== 'DELETE') throw new HttpError(405, 'Method Not Allowed');
    authorise(req);
    const tenant = store.get(name);
    if (!tenant) throw new HttpError(404, `Tenant [${name}] not found.`);
    if (req.method === 'DELETE') store.delete(name);
    return { status: 200, body: present(tenant) };
  };

  const server = await startJsonServer(options.port ?? 0, handle);
  return {
    url: server.url,
    port: server.port,
    calls: server.calls,
    tenants: () => store,
    setFault: server.setFault,
    failNextPosts(n) {
      failingPosts = n;
    },
    revokeTokens() {
      tokens.clear();
    },
    stop: server.stop,
  };
}

/** Validates a POST /tenant body; `install_key` is accepted for `install_token`. */
function parseTenant(body: unknown): TmsTenant {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const token = b.install_token ?? b.install_key;
  const missing = [
    ...(typeof b.name === 'string' && b.name !== '' ? [] : ['name']),
    ...(typeof token === 'string' && token !== '' ? [] : ['install_token']),
  ];
  if (missing.length > 0) throw missingFields(missing);
  const optional = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    id: optional(b.id) ?? randomUUID(),
    created: optional(b.created) ?? new Date().toISOString(),
    name: b.name as string,
    install_token: token as string,
    email: optional(b.email),
    expire: optional(b.expire),
  };
}
