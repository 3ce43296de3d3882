import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TracardiClient } from '../../../main/services/tracardi-client';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that drops the connection, unanswered, on the chosen request numbers of a socket. */
async function start(dropOnSocketRequest: number[]): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  const perSocket = new WeakMap<object, number>();
  server = createServer((req, res) => {
    seen += 1;
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    if (dropOnSocketRequest.includes(n)) {
      req.socket.destroy();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ schema_ok: true, admin_ok: true, form_ok: true, warning: null }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen: () => seen };
}

describe('TracardiClient keep-alive', () => {
  it('retries a GET once when a reused socket was closed by the server', async () => {
    const { url, seen } = await start([2]);
    const client = new TracardiClient({ timeoutMs: 2000, maxSockets: 1 });
    try {
      const first = await client.getInstall({ apiUrl: url, tenantHost: 'acme.x.test' });
      expect(first.outcome).toBe('installed');
      // Same pooled socket: the server drops this request unanswered; the client retries on a new socket.
      const second = await client.getInstall({ apiUrl: url, tenantHost: 'acme.x.test' });
      expect(second.outcome).toBe('installed');
      expect(seen()).toBe(3);
    } finally {
      client.close();
    }
  });

  it('does not retry a request on a fresh socket: that failure is reported', async () => {
    const { url, seen } = await start([1]);
    const client = new TracardiClient({ timeoutMs: 2000 });
    try {
      const result = await client.getInstall({ apiUrl: url, tenantHost: 'acme.x.test' });
      expect(result.outcome).toBe('could-not-tell');
      expect(seen()).toBe(1);
    } finally {
      client.close();
    }
  });
});
