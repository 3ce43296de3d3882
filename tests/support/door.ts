/**
 * A stoppable door in front of Elasticsearch: a plain forwarder on a loopback port of its own.
 * Closed, the port refuses connections (what a console sees of an Elasticsearch that is down);
 * opened again, it listens on the same port. `before` may hold a request back (a test that lets
 * another operator act between a console's read and its conditional write).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './elasticsearch';

export interface Door {
  url: string;
  close(): Promise<void>;
  open(): Promise<void>;
}

export interface DoorOptions {
  /** Start with the door shut (the port is reserved, then closed). */
  closed?: boolean;
  /** Runs before a request is forwarded; the request waits for it. */
  before?: (req: http.IncomingMessage) => Promise<void> | void;
}

/** Open a door to `target` on a free loopback port. */
export async function startDoor(target: string, options: DoorOptions = {}): Promise<Door> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: false });
  const handler: http.RequestListener = (req, res) => {
    void Promise.resolve(options.before?.(req)).then(
      () => forwardRequest(req, res, upstream, agent),
      (err: unknown) => res.destroy(err as Error),
    );
  };
  let server: http.Server | null = http.createServer(handler);
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((ok) => {
      if (!server) return ok();
      const s = server;
      server = null;
      s.closeAllConnections();
      s.close(() => ok());
    });
  if (options.closed) await close();
  return {
    url: `http://127.0.0.1:${port}`,
    close,
    open: async () => {
      if (server) return;
      const s = http.createServer(handler);
      await new Promise<void>((ok, fail) => {
        s.once('error', fail);
        s.listen(port, '127.0.0.1', ok);
      });
      server = s;
    },
  };
}
