// A plain-HTTP proxy on loopback in front of Elasticsearch that forwards every request unchanged,
// except the GET replies a test chooses to rewrite: their JSON body goes through `rewrite` (which
// changes it in place) before the client sees it. It counts requests and keeps their paths. What
// Elasticsearch itself cannot be made to say in a test (an index created in March, a node that
// restarted on a new version) is simulated this way, on a real cluster's real replies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './elasticsearch';

export interface RewritingProxy {
  url: string;
  /** Requests forwarded since the start or the last reset. */
  count: () => number;
  /** Their paths (with query strings), in order. */
  paths: () => string[];
  reset: () => void;
  stop: () => Promise<void>;
}

/** Which GET replies to rewrite (by path, query string left off) and how: `body` is changed in place. */
export interface Rewrite {
  matches: (path: string) => boolean;
  rewrite: (body: Record<string, unknown>) => void;
}

// Hop-by-hop or body framing: the rewritten body is framed again.
const DROPPED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

export async function startRewritingProxy(target: string, rewrites: readonly Rewrite[]): Promise<RewritingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let count = 0;
  let paths: string[] = [];
  const server = http.createServer((req, res) => {
    count++;
    const url = req.url ?? '/';
    paths.push(url);
    const path = url.split('?')[0]!;
    const rule = req.method === 'GET' ? rewrites.find((r) => r.matches(path)) : undefined;
    if (rule === undefined) {
      forwardRequest(req, res, upstream, agent);
      return;
    }
    void (async () => {
      const reply = await fetch(new URL(url, upstream), { headers: { accept: 'application/json' } });
      const body = (await reply.json()) as Record<string, unknown>;
      if (reply.ok) rule.rewrite(body);
      const text = JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = {};
      reply.headers.forEach((value, key) => {
        if (!DROPPED.has(key)) headers[key] = value;
      });
      headers['content-length'] = Buffer.byteLength(text);
      res.writeHead(reply.status, headers);
      res.end(text);
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    paths: () => [...paths],
    reset: () => {
      count = 0;
      paths = [];
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      agent.destroy();
    },
  };
}
