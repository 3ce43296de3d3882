// HTTP plumbing shared by the simulated TMS and Tracardi: JSON replies, body parsing, a call log,
// fault injection and a stop() that also ends keep-alive and hanging connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A fault applied to incoming requests.
 * - `down`: every connection is destroyed as soon as it opens (clients see a reset / "socket hang up").
 * - `hang`: requests are accepted and never answered (clients see their own timeout).
 * - `status`: answer `status` with `{"detail": ...}` instead of handling the request.
 * - `delay`: handle the request normally after `ms`.
 * `route` ("GET /install", matched on method and path) limits a fault to one endpoint; `times` limits
 * how many requests it hits, after which it clears itself.
 */
export type Fault =
  | { kind: 'down' }
  | { kind: 'hang'; route?: string; times?: number }
  | { kind: 'status'; status: number; route?: string; times?: number }
  | { kind: 'delay'; ms: number; route?: string; times?: number };

export interface CallRecord {
  method: string;
  path: string;
  host: string | undefined;
  status: number;
  /** Set by the Tracardi simulator: the tenant derived from the Host header, when there is one. */
  tenant?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
  }
}

export interface SimRequest {
  method: string;
  path: string;
  segments: string[];
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (undefined when empty); invalid JSON answers 422 before reaching the handler. */
  body: unknown;
}

export interface SimReply {
  status: number;
  body: unknown;
  /** Extra fields for the call record. */
  tenant?: string;
}

export type Handler = (req: SimRequest) => Promise<SimReply>;

export interface RunningServer {
  url: string;
  port: number;
  calls: CallRecord[];
  setFault(fault: Fault | null): void;
  stop(): Promise<void>;
}

/** Starts a JSON server on 127.0.0.1; port 0 picks a free one. */
export async function startJsonServer(port: number, handler: Handler): Promise<RunningServer> {
  const calls: CallRecord[] = [];
  const sockets = new Set<Socket>();
  let fault: Fault | null = null;

  const takeFault = (method: string, path: string): Fault | null => {
    if (!fault || fault.kind === 'down') return fault;
    if (fault.route && fault.route !== `${method} ${path}`) return null;
    const hit = fault;
    if (hit.times !== undefined) {
      const left = hit.times - 1;
      fault = left > 0 ? { ...hit, times: left } : null;
    }
    return hit;
  };

  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const record = (status: number, tenant?: string) =>
      calls.push({ method, path, host: req.headers.host, status, ...(tenant ? { tenant } : {}) });
    const applied = takeFault(method, path);
    if (applied?.kind === 'hang') return void record(0);
    if (applied?.kind === 'delay') await new Promise((r) => setTimeout(r, applied.ms));
    let reply: SimReply;
    if (applied?.kind === 'status') {
      reply = { status: applied.status, body: { detail: `Simulated HTTP ${applied.status}` } };
    } else {
      reply = await run(handler, req, method, path);
    }
    record(reply.status, reply.tenant);
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  server.on('connection', (socket: Socket) => {
    if (fault?.kind === 'down') return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    calls,
    setFault(f) {
      fault = f;
      if (f?.kind === 'down') for (const s of sockets) s.destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

async function run(handler: Handler, req: IncomingMessage, method: string, path: string): Promise<SimReply> {
  try {
    const body = await readJson(req);
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    return await handler({ method, path, segments, headers: req.headers, body });
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, body: { detail: err.detail } };
    return { status: 500, body: { detail: `Simulator error: ${(err as Error).message}` } };
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(422, [{ loc: ['body'], msg: 'Invalid JSON body', type: 'value_error.jsondecode' }]);
  }
}

/** Bearer token of a request, or null. */
export function bearer(req: SimRequest): string | null {
  const value = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match?.[1] ?? null;
}

/** A FastAPI-style 422 for missing or mistyped body fields. */
export function missingFields(fields: string[]): HttpError {
  return new HttpError(
    422,
    fields.map((f) => ({ loc: ['body', f], msg: 'field required', type: 'value_error.missing' })),
  );
}
