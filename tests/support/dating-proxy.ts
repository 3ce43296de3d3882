// A plain-HTTP proxy on loopback in front of Elasticsearch that simulates index creation dates in the
// past. Elasticsearch 8 refuses `index.creation_date` in the create-index settings ("unknown
// setting": the setting is private), so a test cannot create an index "in March". This proxy forwards
// every request unchanged, except the replies of `GET …/_settings/index.creation_date`: there, the
// date of each index named in `dates` is replaced by the simulated one (indices Elasticsearch did not
// list stay absent; others keep their real date). It counts requests and keeps their paths, and the
// real dates Elasticsearch answered, so a test can check the real reply too.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './elasticsearch';

export interface DatingProxy {
  url: string;
  /** Requests forwarded since the start or the last reset. */
  count: () => number;
  /** Their paths (with query strings), in order. */
  paths: () => string[];
  /** Index → creation date (ms) as Elasticsearch itself answered, over every creation-date reply so far. */
  realDates: () => Map<string, number>;
  reset: () => void;
  stop: () => Promise<void>;
}

const CREATION_DATE = '/_settings/index.creation_date';
// Hop-by-hop or body framing: the rewritten body is framed again.
const DROPPED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive']);

export async function startDatingProxy(target: string, dates: ReadonlyMap<string, number>): Promise<DatingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let count = 0;
  let paths: string[] = [];
  const real = new Map<string, number>();
  const server = http.createServer((req, res) => {
    count++;
    const url = req.url ?? '/';
    paths.push(url);
    if (req.method !== 'GET' || !url.split('?')[0]!.endsWith(CREATION_DATE)) {
      forwardRequest(req, res, upstream, agent);
      return;
    }
    void (async () => {
      const reply = await fetch(new URL(url, upstream));
      const body = (await reply.json()) as Record<string, { settings?: { index?: { creation_date?: string } } }>;
      for (const [name, entry] of Object.entries(body)) {
        const index = entry.settings?.index;
        if (index?.creation_date === undefined) continue;
        real.set(name, Number(index.creation_date));
        const simulated = dates.get(name);
        if (simulated !== undefined) index.creation_date = String(simulated);
      }
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
    realDates: () => new Map(real),
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
