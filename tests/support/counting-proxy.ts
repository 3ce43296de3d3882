// A plain-HTTP proxy on loopback in front of Elasticsearch that counts the requests passing through:
// how the verification tests and bench/verify.ts check "one listing per instance" on the wire.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './elasticsearch';

export interface CountingProxy {
  url: string;
  /** Requests forwarded since the start or the last reset. */
  count: () => number;
  /** Response body bytes sent back since the start or the last reset, as on the wire (compressed when compressed). */
  bytes: () => number;
  /** The requests forwarded since the start or the last reset, as sent (bench/capacity.ts replays them). */
  requests: () => ForwardedRequest[];
  /** Request bytes sent on since the start or the last reset: request lines, headers and bodies. */
  requestBytes: () => number;
  reset: () => void;
  stop: () => Promise<void>;
}

export interface ForwardedRequest {
  method: string;
  /** Path and query string, as on the request line. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  let count = 0;
  let bytes = 0;
  let seen: ForwardedRequest[] = [];
  let sent = 0;
  const server = http.createServer((req, res) => {
    count++;
    seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    sent += Buffer.byteLength(`${req.method} ${req.url} HTTP/1.1\r\n`);
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      sent += Buffer.byteLength(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
    req.on('data', (chunk: Buffer) => (sent += chunk.byteLength));
    // Count the body as it is written back (forwardRequest pipes the upstream reply into res).
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
      return write(chunk, ...rest);
    }) as typeof res.write;
    forwardRequest(req, res, upstream, agent);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    bytes: () => bytes,
    requests: () => [...seen],
    requestBytes: () => sent,
    reset: () => {
      count = 0;
      bytes = 0;
      seen = [];
      sent = 0;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      agent.destroy();
    },
  };
}
