import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors';
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

  it('answers contract calls, with operator-facing errors and validated arguments', async () => {
    const ok = JSON.parse((await call('app.status', {})).body);
    expect(ok).toMatchObject({ ok: true, value: { shell: 'browser', clipboardClearSeconds: 30 } });
    const missing = JSON.parse((await call('capacity.snapshot', { id: 'nope' })).body);
    expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: 'No instance "nope".' } });
    const bad = JSON.parse((await call('capacity.snapshot', { id: 'Not An Id!' })).body);
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation');
    expect(bad.error.message).toMatch(/^Invalid arguments for capacity.snapshot: id:/);
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
