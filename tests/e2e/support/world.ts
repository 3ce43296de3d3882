// What the UI specs stand on: the two real clusters (from globalSetup), simulated Tracardi + TMS
// instances on them, instance settings for the console, the tenant's own install call, a loopback TCP
// forwarder that can hang or die, and cluster settings changes that are undone afterwards.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../../simulator';

/** The two cluster URLs globalSetup started or reused. */
export function esUrls(): [string, string] {
  const raw = process.env.E2E_ES_URLS;
  if (!raw) throw new Error('E2E_ES_URLS is not set: run the specs through playwright.config.ts (its globalSetup).');
  const urls = JSON.parse(raw) as string[];
  if (urls.length < 2 || !urls[0] || !urls[1]) throw new Error(`E2E_ES_URLS needs two URLs, got ${raw}`);
  return [urls[0], urls[1]];
}

/**
 * A name unique to this run, lower-case letters only (`acme` → `acmekqzvtb`): also a tenant name, and
 * one no Tracardi naming rule changes (digits would draw a warning about the letters-only rule).
 */
export function unique(prefix: string): string {
  return prefix + [...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

export interface Sims {
  esUrl: string;
  tms: TmsSimulator;
  tracardi: TracardiSimulator;
  tmsApiKey: string;
  stop(): Promise<void>;
}

/** A simulated Tracardi 0.9 with its TMS on `esUrl`: 1 shard per index, no replicas (cheap installs). */
export async function startSims(esUrl: string): Promise<Sims> {
  const tmsApiKey = randomBytes(16).toString('hex');
  const tms = await startTms({ apiKey: tmsApiKey });
  const tracardi = await startTracardi({
    version: '0.9.x',
    esUrl,
    tmsUrl: tms.url,
    tmsApiKey,
    indexShards: 1,
    confShards: 1,
    replicas: 0,
  });
  return {
    esUrl,
    tms,
    tracardi,
    tmsApiKey,
    stop: async () => {
      await Promise.allSettled([tracardi.stop(), tms.stop()]);
    },
  };
}

export interface InstanceSpec {
  id: string;
  name: string;
  sims: Sims;
  suffix: string;
  expectedAddress: string;
  environment?: 'production' | 'staging' | 'development' | 'test';
  colour?: string;
  /** Elasticsearch node URL; default the simulator's cluster. */
  esNode?: string;
  /** Per-request Elasticsearch timeout; default 5000 ms. */
  esTimeoutMs?: number;
}

/** The console's settings for an instance served by `sims` (what the Instances form would save). */
export function instanceInput(spec: InstanceSpec): Record<string, unknown> {
  return {
    id: spec.id,
    name: spec.name,
    environment: spec.environment ?? 'staging',
    colour: spec.colour ?? '#2f6fde',
    apiUrl: spec.sims.tracardi.url,
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: spec.suffix,
    tracardiVersion: '0.9.x',
    tmsUrl: spec.sims.tms.url,
    es: { nodes: [spec.esNode ?? spec.sims.esUrl], timeoutMs: spec.esTimeoutMs ?? 5000 },
    expectedAddresses: [spec.expectedAddress],
    footprint: { indexShards: 1, confShards: 1, replicas: 0 },
  };
}

export interface InstallReply {
  status: number;
  body: string;
}

/**
 * The tenant's own install, as its customer would run it: POST /install on the instance with the
 * tenant's API domain as Host (Tracardi derives the tenant from it; fetch cannot set Host).
 */
export function installTenant(options: {
  tracardiUrl: string;
  host: string;
  token: string;
  email?: string;
  password?: string;
}): Promise<InstallReply> {
  const url = new URL('/install', options.tracardiUrl);
  const body = JSON.stringify({
    username: options.email ?? 'admin@example.com',
    password: options.password ?? 'e2e-admin-password',
    token: options.token,
    needs_admin: true,
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { Host: options.host, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: 120_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('install timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export interface TcpForwarder {
  /** `http://127.0.0.1:<port>`: use it as an Elasticsearch node URL. */
  url: string;
  /** Stop forwarding: requests on new and open connections get no answer. */
  hang(): void;
  /** Die: every open connection is reset and the port refuses connections from now on. */
  kill(): Promise<void>;
  /** Connections accepted so far. */
  connections(): number;
  /** Request bytes swallowed while hung (> 0: a request is in flight and unanswered). */
  swallowed(): number;
}

/**
 * A loopback TCP forwarder to `target` (an http URL) that a test can hang or kill. `port`: listen on
 * this one (a forwarder started again where a killed one was: the node comes back at the same URL).
 */
export async function startTcpForwarder(target: string, port = 0): Promise<TcpForwarder> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  let hung = false;
  let accepted = 0;
  let swallowed = 0;
  const server: Server = createServer((client) => {
    accepted++;
    sockets.add(client);
    const upstream = connect(Number(to.port), to.hostname);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (hung) swallowed += chunk.length;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!hung) client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const listening = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${listening}`,
    hang: () => {
      hung = true;
    },
    kill: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
      await closed;
    },
    connections: () => accepted,
    swallowed: () => swallowed,
  };
}

/** GET/PUT on a cluster; throws on a non-2xx answer. */
export async function es<T = unknown>(esUrl: string, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, esUrl), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on ${esUrl}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Sets a persistent cluster setting and returns the function that puts the previous value back
 * (removes it when it was not set).
 */
export async function withClusterSetting(
  esUrl: string,
  key: string,
  value: string | number,
): Promise<() => Promise<void>> {
  const current = await es<{ persistent: Record<string, unknown> }>(
    esUrl,
    'GET',
    '/_cluster/settings?flat_settings=true',
  );
  const previous = current.persistent[key] ?? null;
  await es(esUrl, 'PUT', '/_cluster/settings', { persistent: { [key]: value } });
  return async () => {
    await es(esUrl, 'PUT', '/_cluster/settings', { persistent: { [key]: previous } });
  };
}

/** Registers the instance through the core (as the Instances form would), its TMS API key in the keychain. */
export async function addInstance(
  core: { instances: { add(input: unknown, secrets: Record<string, string>): Promise<unknown> } },
  spec: InstanceSpec,
): Promise<void> {
  await core.instances.add(instanceInput(spec), { 'tms-api-key': spec.sims.tmsApiKey });
}
