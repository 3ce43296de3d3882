import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors/errors';
import { startBrowserShell, type BrowserShell } from '../../../main/server/browser-shell';
import type { Handlers } from '../../../main/transport/dispatch';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let shell: BrowserShell;
let staticDir: string;

// Only the calls these tests make; any other would throw (and so fail a test).
const handlers = {
  'app.status': async () => ({
    shell: 'browser',
    dataDir: '/d',
    settingsPath: '/d/config.json',
    readOnly: false,
    problems: [],
    clipboard: false,
    clipboardClearSeconds: 30,
    theme: 'system',
  }),
  'capacity.snapshot': async ({ id }: { id: string }) => {
    throw new ConsoleError('not-found', `No instance "${id}".`);
  },
} as unknown as Handlers;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(options: {
  method?: string;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: shell.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: options.host ?? `127.0.0.1:${shell.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const call = (name: string, args: unknown, headers: Record<string, string> = {}) =>
  send({
    method: 'POST',
    path: `/api/call/${name}`,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(args),
  });

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'shell-static-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  shell = await startBrowserShell({ handlers, staticDir, token: TOKEN });
});
afterAll(async () => {
  await shell.stop();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('browser shell', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    expect(shell.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(shell.url).toBe(`${shell.origin}/?token=${TOKEN}`);
  });

  it('refuses a request without the token', async () => {
    const page = await send({ path: '/' });
    expect(page.status).toBe(401);
    const api = await send({
      method: 'POST',
      path: '/api/call/app.status',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(401);
  });

  it('refuses a wrong token, and trades the right one for a port-scoped HttpOnly cookie', async () => {
    expect((await send({ path: '/?token=wrong' })).status).toBe(401);
    const ok = await send({ path: `/?token=${TOKEN}` });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toContain(`tc_session_${shell.port}=${TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await send({ path: '/', headers: { cookie: `tc_session_${shell.port}=${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>console</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const res = await call('app.status', {}, { host: `evil.example:${shell.port}` });
    expect(res.status).toBe(421);
    const local = await send({
      path: '/',
      host: `localhost:${shell.port}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(local.status).toBe(421);
  });

  it('refuses a foreign Origin and cross-site fetches even with the token', async () => {
    expect((await call('app.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('app.status', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call('app.status', {}, { origin: shell.origin })).status).toBe(200);
  });

  it('refuses same-site requests, and calls a browser did not make from the page (Fetch Metadata)', async () => {
    const cookie = { cookie: `tc_session_${shell.port}=${TOKEN}` };
    // A page of another port on 127.0.0.1 is same-site; it sends no Origin on a navigation.
    const page = await send({ path: '/', headers: { ...cookie, 'sec-fetch-site': 'same-site' } });
    expect(page.status).toBe(403);
    expect(page.body).toMatch(/same-site/);
    expect((await call('app.status', {}, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await send({ path: `/?token=${TOKEN}`, headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    // `none`: the operator opened the printed URL (or a bookmark, a reload): pages yes, calls no.
    expect((await send({ path: `/?token=${TOKEN}`, headers: { 'sec-fetch-site': 'none' } })).status).toBe(303);
    expect((await send({ path: '/tenants', headers: { ...cookie, 'sec-fetch-site': 'none' } })).status).toBe(200);
    expect((await call('app.status', {}, { 'sec-fetch-site': 'none' })).status).toBe(403);
    // Not a value a browser sends.
    expect((await call('app.status', {}, { 'sec-fetch-site': 'same-origin, cross-site' })).status).toBe(403);
    // The console's own page, and a client without Fetch Metadata (it holds the token).
    expect((await call('app.status', {}, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await call('app.status', {})).status).toBe(200);
  });

  it('answers contract calls, with operator-facing errors and validated arguments', async () => {
    const ok = JSON.parse((await call('app.status', {})).body);
    expect(ok).toMatchObject({ ok: true, value: { shell: 'browser', clipboardClearSeconds: 30 } });
    const missing = JSON.parse((await call('capacity.snapshot', { id: 'nope' })).body);
    expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: 'No instance "nope".' } });
    const bad = JSON.parse((await call('capacity.snapshot', { id: 'Not An Id!' })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation');
    expect(bad.error.message).toMatch(/^Not accepted: the instance id: an instance id is /);
    const unknown = JSON.parse((await call('__proto__', {})).body);
    expect(unknown.error).toMatchObject({ code: 'validation', message: 'Unknown call "__proto__".' });
  });

  it('takes calls only as POST application/json', async () => {
    expect((await send({ path: '/api/call/app.status', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      405,
    );
    const form = await send({
      method: 'POST',
      path: '/api/call/app.status',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const junk = await send({
      method: 'POST',
      path: '/api/call/app.status',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(junk.status).toBe(400);
  });

  it('never serves a file outside the renderer folder', async () => {
    const res = await send({ path: '/..%2f..%2f..%2fetc%2fpasswd', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.body).not.toContain('root:');
    expect([200, 403]).toContain(res.status);
  });
});

describe('browser shell edges', () => {
  let edge: BrowserShell;
  let edgeDir: string;
  const lines: string[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  const at = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: edge.port,
          method: 'GET',
          path,
          headers: { host: `127.0.0.1:${edge.port}`, ...auth, ...headers },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const post = (name: string, body: string, contentType = 'application/json') =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: edge.port,
          method: 'POST',
          path: `/api/call/${name}`,
          headers: { host: `127.0.0.1:${edge.port}`, ...auth, 'content-type': contentType },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    edgeDir = mkdtempSync(path.join(tmpdir(), 'shell-edge-'));
    writeFileSync(path.join(edgeDir, 'index.html'), '<!doctype html><title>console</title>');
    mkdirSync(path.join(edgeDir, 'assets'));
    writeFileSync(path.join(edgeDir, 'assets', 'app.js'), 'console.log(1)');
    // instances.list answers with something that cannot be serialised: the one way left to a 500.
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const edgeHandlers = { ...handlers, 'instances.list': async () => circular } as unknown as Handlers;
    edge = await startBrowserShell({
      handlers: edgeHandlers,
      staticDir: edgeDir,
      token: TOKEN,
      log: (l) => lines.push(l),
    });
  });
  afterAll(async () => {
    await edge.stop();
    rmSync(edgeDir, { recursive: true, force: true });
  });

  it('answers a body over 1 MiB with 413 naming the limit, not "not valid JSON"', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await post('app.status', big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toBe('The request body is over the 1 MiB limit.');
  });

  it('answers a malformed percent-escape with 400, in a call name and in a static path', async () => {
    const call = await post('app.%zzstatus', '{}');
    expect(call.status).toBe(400);
    expect(JSON.parse(call.body).error.message).toMatch(/malformed percent-escape/);
    const file = await at('/assets/%E0%A4%A.js');
    expect(file.status).toBe(400);
    expect(file.body).toMatch(/malformed percent-escape/);
  });

  it('answers a missing asset with 404, and only client routes with the page', async () => {
    expect((await at('/assets/app.js')).status).toBe(200);
    const missing = await at('/assets/gone-1234.js');
    expect(missing.status).toBe(404);
    expect(missing.body).not.toContain('<title>console</title>');
    expect((await at('/favicon.png')).status).toBe(404);
    const route = await at('/tenants/eu1');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>console</title>');
  });

  it('checks the exact JSON media type (parameters allowed)', async () => {
    expect((await post('app.status', '{}', 'application/jsonp')).status).toBe(415);
    expect((await post('app.status', '{}', 'application/json-patch+json')).status).toBe(415);
    expect((await post('app.status', '{}', 'application/json; charset=utf-8')).status).toBe(200);
    expect((await post('app.status', '{}', 'Application/JSON')).status).toBe(200);
  });

  it('escapes a call name in the log, so %0a cannot forge a log line', async () => {
    lines.length = 0;
    await post('evil%0a500%20GET%20%2Fforged%1b%5B31m', '{}');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\u001b]/);
    expect(lines[0]).toContain('evil\\n500 GET /forged\\x1b[31m');
  });

  it('serves static files with the same COOP/CORP and security headers as every other answer', async () => {
    for (const file of ['/assets/app.js', '/']) {
      const res = await at(file);
      expect(res.status).toBe(200);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('logs every 5xx with its path and error kind, never the query (token) or the message', async () => {
    lines.length = 0;
    const res = await post('instances.list?token=' + TOKEN, '{}');
    expect(res.status).toBe(500);
    expect(lines).toEqual(['500 POST /api/call/instances.list: TypeError']);
  });
});
