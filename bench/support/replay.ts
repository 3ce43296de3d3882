/**
 * The raw replay a capacity snapshot is measured against: exactly the requests the snapshot sent
 * (recorded at the wire by the counting proxy: same paths, query strings, accept and accept-encoding
 * headers), all at once as the snapshot sends them, each body read whole, gunzipped when gzipped and
 * given to JSON.parse, and nothing else. The client is undici's Pool (the fastest HTTP client Node
 * has) over keep-alive connections, as a fair client keeps them between refreshes; a cold replay
 * opens a new pool, as a fresh service opens new connections.
 */
import { gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import type { ForwardedRequest } from '../../tests/support/counting-proxy';

/** Headers a replay keeps from the recorded request (the connection-level ones are the client's own). */
const KEPT = ['accept', 'accept-encoding', 'authorization', 'content-type'];

export interface Replayed {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** The recorded requests as a replay sends them. */
export function replayable(recorded: readonly ForwardedRequest[]): Replayed[] {
  return recorded.map((r) => ({
    method: r.method,
    path: r.url,
    headers: Object.fromEntries(
      KEPT.filter((h) => typeof r.headers[h] === 'string').map((h) => [h, r.headers[h] as string]),
    ),
  }));
}

/** One request: its body whole, gunzipped when gzipped, parsed. Throws on a non-2xx answer. */
async function send(pool: Pool, r: Replayed): Promise<unknown> {
  const res = await pool.request({ method: r.method as 'GET', path: r.path, headers: r.headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`replay ${r.path}: HTTP ${res.statusCode}`);
  const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString();
  return JSON.parse(text);
}

/** Keep-alive replays against one node (the steady refresh), and fresh-pool ones (the cold snapshot). */
export class RawReplay {
  readonly #base: string;
  readonly #pool: Pool;

  constructor(base: string) {
    this.#base = base;
    this.#pool = new Pool(base, { connections: 256, keepAliveTimeout: 600_000 });
  }

  /** The requests all at once over the kept-alive connections. */
  async steady(requests: readonly Replayed[]): Promise<unknown[]> {
    return Promise.all(requests.map((r) => send(this.#pool, r)));
  }

  /** The requests all at once over new connections (the pool is made and closed inside). */
  async cold(requests: readonly Replayed[]): Promise<unknown[]> {
    const pool = new Pool(this.#base, { connections: 256 });
    try {
      return await Promise.all(requests.map((r) => send(pool, r)));
    } finally {
      void pool.close();
    }
  }

  /** One request's body as received (compressed when compressed). */
  async received(r: Replayed): Promise<Buffer> {
    const res = await this.#pool.request({ method: r.method as 'GET', path: r.path, headers: r.headers });
    return Buffer.from(await res.body.arrayBuffer());
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
