// The capacity snapshot's reader (main/services/es-client/reader.ts) against small local HTTP servers:
// what it sends, what it reads (gzip, JSON, unchanged bytes), what it counts, and that each way of
// failing carries the client's error name so classifyEsError words it as before. TLS, credentials
// checks and fingerprints against a real cluster: tests/integration/es-errors.test.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceSchema, type Instance } from '../../../shared/instances/instance';
import { classifyEsError, createEsReader, createMeter, type EsReader } from '../../../main/services/es-client';

const servers: Server[] = [];
const readers: EsReader[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }
});

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  socket: Socket;
  body: string;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, socket: req.socket, body });
      handler(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, value: unknown, opts: { gzip?: boolean; status?: number; product?: boolean } = {}) {
  const text = JSON.stringify(value);
  res.writeHead(opts.status ?? 200, {
    'content-type': 'application/json',
    ...(opts.product === false ? {} : { 'x-elastic-product': 'Elasticsearch' }),
    ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(opts.gzip ? gzipSync(text) : text);
}

function inst(nodes: string[], es: Record<string, unknown> = {}): Instance {
  return instanceSchema.parse({
    id: 'reader-test',
    name: 'Reader Test',
    environment: 'test',
    apiUrl: 'https://api.reader.example.com',
    tenantDomainSuffix: 'reader.example.com',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.reader.example.com',
    es: { nodes, timeoutMs: 1000, ...es },
  });
}

async function reader(instance: Instance, secrets = {}): Promise<EsReader> {
  const r = await createEsReader(instance, secrets);
  readers.push(r);
  return r;
}

describe('createEsReader', () => {
  it('sends the path, query string and headers; reads gzip and JSON; counts requests, bytes as received and replies without the product header', async () => {
    const { url, seen } = await serve((req, res) =>
      json(
        res,
        { path: req.url },
        { gzip: req.headers['accept-encoding'] === 'gzip', product: !req.url?.includes('old') },
      ),
    );
    const r = await reader(inst([url], { auth: { type: 'basic', username: 'ops' } }), { 'es-password': 'pw' });
    const meter = createMeter();
    const reply = await r.request(
      { path: '/_cluster/health', querystring: { level: 'indices', filter_path: 'a.*.b,c' } },
      { meter },
    );
    expect(reply.body).toEqual({ path: '/_cluster/health?level=indices&filter_path=a.*.b%2Cc' });
    expect(reply.unchanged).toBe(false);
    expect(seen[0]!.headers).toMatchObject({
      accept: 'application/json',
      'accept-encoding': 'gzip',
      authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}`,
    });
    await r.request({ path: '/old' }, { meter });
    expect(meter.requests).toBe(2);
    expect(meter.bytesReceived).toBe(
      gzipSync(JSON.stringify({ path: '/_cluster/health?level=indices&filter_path=a.*.b%2Cc' })).length +
        gzipSync(JSON.stringify({ path: '/old' })).length,
    );
    expect(meter.withoutProductHeader).toBe(1);
  });

  it('an API key goes as ApiKey; a search sends its JSON body; a path prefix in the node URL is kept', async () => {
    const { url, seen } = await serve((_req, res) => json(res, { ok: true }));
    const r = await reader(inst([`${url}/es/`], { auth: { type: 'apiKey' } }), { 'es-api-key': 'a2V5' });
    await r.request({ method: 'POST', path: '/.registry/_search', body: { size: 1 } });
    expect(seen[0]).toMatchObject({ url: '/es/.registry/_search', body: '{"size":1}' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'ApiKey a2V5', 'content-type': 'application/json' });
  });

  it('a reply whose bytes equal the previous one is not parsed again: the previous body comes back', async () => {
    let n = 0;
    const { url } = await serve((req, res) => json(res, { v: req.url === '/changes' ? ++n : 1 }, { gzip: true }));
    const r = await reader(inst([url]));
    const first = await r.request({ path: '/same' });
    const again = await r.request({ path: '/same' }, { previous: first });
    expect(again.unchanged).toBe(true);
    expect(again.body).toBe(first.body);
    const a = await r.request({ path: '/changes' });
    const b = await r.request({ path: '/changes' }, { previous: a });
    expect([b.unchanged, b.body]).toEqual([false, { v: 2 }]);
  });

  it('keeps the connection alive between requests, the configured nodes in turn', async () => {
    const one = await serve((_req, res) => json(res, { node: 1 }));
    const two = await serve((_req, res) => json(res, { node: 2 }));
    const r = await reader(inst([one.url, two.url]));
    const bodies = [];
    for (let i = 0; i < 4; i++) bodies.push((await r.request({ path: '/' })).body);
    expect(bodies).toEqual([{ node: 1 }, { node: 2 }, { node: 1 }, { node: 2 }]);
    expect(one.seen[0]!.socket).toBe(one.seen[1]!.socket);
  });

  it('a kept-alive connection the server closed meanwhile is retried once on a new one', async () => {
    let n = 0;
    const { url, seen } = await serve((req, res) => {
      if (++n === 2)
        req.socket.destroy(); // the second request, on the kept-alive socket: no answer
      else json(res, { n });
    });
    const r = await reader(inst([url]));
    expect((await r.request({ path: '/' })).body).toEqual({ n: 1 });
    expect((await r.request({ path: '/' })).body).toEqual({ n: 3 });
    expect(seen.length).toBe(3);
  });

  it.each([
    [
      '401',
      (res: ServerResponse) => json(res, { error: { type: 'security_exception' } }, { status: 401 }),
      'es-unauthorized',
    ],
    [
      '502 HTML',
      (res: ServerResponse) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502</h1>'),
      'es-not-elasticsearch',
    ],
    [
      'bad JSON',
      (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":'),
      'es-not-elasticsearch',
    ],
  ])('%s fails as the client did (%s)', async (_what, handler, code) => {
    const { url } = await serve((_req, res) => handler(res));
    const instance = inst([url]);
    const r = await reader(instance);
    const err = await r.request({ path: '/_cluster/health' }).catch((e: unknown) => e);
    expect(classifyEsError(err, instance).code).toBe(code);
  });

  it('a 4xx from Elasticsearch carries status, headers and the parsed body', async () => {
    const { url } = await serve((_req, res) =>
      json(res, { error: { type: 'index_not_found_exception' } }, { status: 404 }),
    );
    const r = await reader(inst([url]));
    const err = (await r.request({ path: '/x' }).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: { error: { type: 'index_not_found_exception' } },
      node: url,
    });
  });

  it('a server that does not answer is a TimeoutError after timeoutMs; an abort is a RequestAbortedError', async () => {
    const { url } = await serve(() => undefined);
    const instance = inst([url], { timeoutMs: 200 });
    const r = await reader(instance);
    const started = Date.now();
    const timedOut = await r.request({ path: '/' }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(classifyEsError(timedOut, instance).code).toBe('es-timeout');
    const abort = new AbortController();
    const pending = r.request({ path: '/' }, { signal: abort.signal }).catch((e: unknown) => e);
    setTimeout(() => abort.abort(), 20);
    expect(((await pending) as Error).name).toBe('RequestAbortedError');
  });

  it('a closed port is a ConnectionError saying ECONNREFUSED; a reply cut off mid-body is a ConnectionError', async () => {
    const closed = await serve(() => undefined);
    const port = closed.url;
    servers.pop()!.close();
    const instance = inst([port]);
    const refused = await (await reader(instance)).request({ path: '/' }).catch((e: unknown) => e);
    expect(classifyEsError(refused, instance).code).toBe('es-refused');
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);

    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const cut = await (await reader(inst([url]))).request({ path: '/' }).catch((e: unknown) => e);
    expect((cut as Error).name).toBe('ConnectionError');
  });
});
