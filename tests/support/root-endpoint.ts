// The root-endpoint shim in front of a test cluster, and plain request forwarding shared by the test
// proxies (tls-proxy, counting-proxy, rewriting-proxy).
//
// The integ-test distribution has only the modules apm, transport-netty4, x-pack-core and
// x-pack-security. Since 8.9 `GET /` lives in the rest-root module, so this distribution answers it
// with 405, and clients that call info()/ping() (the JS client does both) cannot work against it.
// The shim answers GET / and HEAD / with the body a full 8.19 node returns, built from the real
// cluster (names, cluster_uuid, version, build hash) and the distribution's manifest, and forwards
// every other request untouched. With security on it speaks TLS with the node's own certificate and
// asks the cluster whether the caller may read `/` (authenticated, cluster:monitor/main), as a full
// node would.
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How the test code reaches a cluster: nothing for a plain one; the CA and a superuser with security on. */
export interface ClusterAccess {
  /** PEM of the CA that signed the node's HTTP certificate (https clusters). */
  ca?: string;
  /** `Basic …` of a superuser (security on). */
  authorization?: string;
  /** The node's HTTP key and certificate chain (PEM): the shim presents the same. */
  serverTls?: { key: string; cert: string };
}

/** A started cluster before the shim: its own URL and how to stop it. */
export interface RawCluster {
  url: string;
  name: string;
  esHome: string;
  stop(): Promise<void>;
  /** Stop the node (SIGTERM, waited for), keeping its data and ports; `startNode` starts it again. */
  stopNode(): Promise<NodeStopped>;
  startNode(): Promise<void>;
}

/** How a stopped node ended: the signal that ended it (SIGKILL only when it outlived the grace) and when. */
export interface NodeStopped {
  signal: 'SIGTERM' | 'SIGKILL';
  ms: number;
}

export interface ShimmedCluster {
  url: string;
  directUrl: string;
  name: string;
  stop(): Promise<void>;
  /** The node stopped (its data and ports kept) and the shim's port closed with it. */
  stopNode(): Promise<NodeStopped>;
  /** The node started again on the same ports with the same data, then the shim on its same port. */
  startNode(): Promise<void>;
}

/** Puts the shim in front of `cluster`; stops the cluster if the shim cannot start. */
export async function withRootEndpoint(cluster: RawCluster, access: ClusterAccess = {}): Promise<ShimmedCluster> {
  let body: string;
  let shim: http.Server;
  let handler: http.RequestListener;
  const target = new URL(cluster.url);
  const agent = agentFor(target, access);
  const headAgent = agentFor(target, access, false);
  try {
    body = JSON.stringify(await mainInfo(cluster.url, cluster.esHome, access), null, 2) + '\n';
    handler = (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        req.resume();
        void answerRoot(req, res, body, cluster.url, access);
        return;
      }
      // A HEAD answered over a kept-alive connection leaves that connection unusable for the next
      // request ("socket hang up", seen with Elasticsearch 8.19 behind this shim): HEADs get their own.
      forwardRequest(req, res, target, req.method === 'HEAD' ? headAgent : agent);
    };
    shim = await listenShim(handler, access, 0);
  } catch (err) {
    agent.destroy();
    await cluster.stop();
    throw err;
  }
  const { port } = shim.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `${access.serverTls ? 'https' : 'http'}://127.0.0.1:${port}`,
    directUrl: cluster.url,
    name: cluster.name,
    stop: () =>
      (stopping ??= (async () => {
        await closeShim(shim);
        agent.destroy();
        await cluster.stop();
      })()),
    stopNode: async () => {
      await closeShim(shim);
      return cluster.stopNode();
    },
    startNode: async () => {
      await cluster.startNode();
      if (!shim.listening) shim = await listenShim(handler, access, port);
    },
  };
}

/** The shim's server on `port` (0: a free one). */
async function listenShim(handler: http.RequestListener, access: ClusterAccess, port: number): Promise<http.Server> {
  const shim = access.serverTls
    ? https.createServer({ key: access.serverTls.key, cert: access.serverTls.cert }, handler)
    : http.createServer(handler);
  // A client that refuses the certificate (a wrong-CA test) ends the handshake: expected.
  shim.on('tlsClientError', () => {});
  // Elasticsearch keeps idle connections open; a shim closing them after Node's 5 s races a client
  // reusing one (undici: "other side closed"). The client's own idle timeout closes them instead.
  shim.keepAliveTimeout = 0;
  await new Promise<void>((ok, fail) => {
    shim.once('error', fail);
    shim.listen(port, '127.0.0.1', () => ok());
  });
  return shim;
}

function closeShim(shim: http.Server): Promise<void> {
  if (!shim.listening) return Promise.resolve();
  return new Promise<void>((ok) => {
    shim.close(() => ok());
    shim.closeAllConnections();
  });
}

/**
 * GET / and HEAD /. With security on, the caller's own credentials go to the cluster first
 * (`_has_privileges` for cluster:monitor/main, the action GET / is on a full node): its 401 is
 * passed on as it came, a missing privilege is the 403 a full node gives.
 */
async function answerRoot(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
  clusterUrl: string,
  access: ClusterAccess,
): Promise<void> {
  const head = req.method === 'HEAD';
  const send = (status: number, headers: http.OutgoingHttpHeaders, text: string) => {
    res.writeHead(status, {
      'X-elastic-product': 'Elasticsearch',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(head ? undefined : text);
  };
  if (access.authorization !== undefined) {
    try {
      const check = await requestJson(clusterUrl, '/_security/user/_has_privileges', {
        ...access,
        authorization: req.headers.authorization,
        method: 'POST',
        body: { cluster: ['cluster:monitor/main'] },
      });
      if (check.status !== 200) {
        const wwwAuth = check.headers['www-authenticate'];
        send(check.status, wwwAuth ? { 'WWW-Authenticate': wwwAuth } : {}, check.text);
        return;
      }
      const reply = check.body as { username?: string; has_all_requested?: boolean };
      if (reply.has_all_requested !== true) {
        const reason = `action [cluster:monitor/main] is unauthorized for user [${reply.username ?? '?'}]`;
        const error = { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason };
        send(403, {}, JSON.stringify({ error, status: 403 }));
        return;
      }
    } catch (err) {
      send(502, {}, JSON.stringify({ error: `root check failed: ${(err as Error).message}`, status: 502 }));
      return;
    }
  }
  send(200, {}, body);
}

async function mainInfo(url: string, esHome: string, access: ClusterAccess): Promise<unknown> {
  const get = async <T>(path: string): Promise<T> => {
    const r = await requestJson(url, path, access);
    if (r.status !== 200) throw new Error(`GET ${path} on ${url}: HTTP ${r.status}`);
    return r.body as T;
  };
  const [nodes, state, health] = await Promise.all([
    get<{
      nodes: Record<
        string,
        { name: string; version: string; build_flavor: string; build_type: string; build_hash: string }
      >;
    }>('/_nodes/_local?filter_path=nodes.*.name,nodes.*.version,nodes.*.build_*'),
    get<{ metadata: { cluster_uuid: string } }>('/_cluster/state/metadata?filter_path=metadata.cluster_uuid'),
    get<{ cluster_name: string }>('/_cluster/health'),
  ]);
  const node = Object.values(nodes.nodes)[0];
  if (!node) throw new Error(`no local node in GET /_nodes/_local on ${url}`);
  const manifest = await execFileAsync('unzip', [
    '-p',
    join(esHome, 'lib', `elasticsearch-${node.version}.jar`),
    'META-INF/MANIFEST.MF',
  ])
    .then((r) => r.stdout)
    .catch(() => '');
  const field = (name: string): string | undefined => new RegExp(`^${name}: *(.+?)\\s*$`, 'm').exec(manifest)?.[1];
  return {
    name: node.name,
    cluster_name: health.cluster_name,
    cluster_uuid: state.metadata.cluster_uuid,
    version: {
      number: node.version,
      build_flavor: node.build_flavor,
      build_type: node.build_type,
      build_hash: node.build_hash,
      build_date: field('Build-Date') ?? '1970-01-01T00:00:00.000Z',
      build_snapshot: field('X-Compile-Elasticsearch-Snapshot') === 'true',
      lucene_version: field('X-Compile-Lucene-Version') ?? 'unknown',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

export interface JsonReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
}

/**
 * One request to a cluster over http or https (trusting `access.ca`), with `access.authorization`.
 * Node's http module rather than fetch: fetch cannot be given a CA per request.
 */
export function requestJson(
  base: string,
  path: string,
  access: Pick<ClusterAccess, 'ca'> & {
    authorization?: string | undefined;
    method?: string;
    body?: unknown;
    timeoutMs?: number;
  } = {},
): Promise<JsonReply> {
  const url = new URL(path, base);
  const payload = access.body === undefined ? undefined : JSON.stringify(access.body);
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  if (access.authorization) headers.authorization = access.authorization;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    // Node frames a GET or DELETE body only with a length (no chunking for those methods).
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const options: https.RequestOptions = { method: access.method ?? 'GET', headers, agent: false };
  if (url.protocol === 'https:' && access.ca !== undefined) options.ca = access.ca;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(access.timeoutMs ?? 10_000, () => req.destroy(new Error(`${url.origin}${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function agentFor(target: URL, access: ClusterAccess, keepAlive = true): http.Agent {
  return target.protocol === 'https:'
    ? new https.Agent({ keepAlive, ...(access.ca !== undefined ? { ca: access.ca } : {}) })
    : new http.Agent({ keepAlive });
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Forwards one request to a target (http, or https through an https.Agent that trusts its CA) and
 * streams the answer back with every end-to-end response header (hop-by-hop ones dropped; Node
 * re-frames the body). `setHeaders` replaces request headers (the admin proxy's credentials).
 */
export function forwardRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: URL,
  agent: http.Agent,
  opts: { dropHeaders?: string[]; setHeaders?: Record<string, string>; onStatus?: (status: number) => void } = {},
): void {
  const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target.host };
  for (const h of opts.dropHeaders ?? []) delete headers[h.toLowerCase()];
  Object.assign(headers, opts.setHeaders);
  const base = target.pathname.replace(/\/+$/, '');
  const lib = target.protocol === 'https:' ? https : http;
  const upstream = lib.request(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: `${base}${req.url ?? '/'}`,
      headers,
      agent,
    },
    (up) => {
      const status = up.statusCode ?? 502;
      opts.onStatus?.(status);
      const raw: string[] = [];
      for (let i = 0; i + 1 < up.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(up.rawHeaders[i].toLowerCase())) raw.push(up.rawHeaders[i], up.rawHeaders[i + 1]);
      }
      res.writeHead(status, up.statusMessage, raw);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    opts.onStatus?.(502);
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
    const body = JSON.stringify({ error: `upstream ${target.origin} failed: ${err.message}`, status: 502 });
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  req.pipe(upstream);
}
