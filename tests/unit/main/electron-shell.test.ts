// The Electron main process (main/electron/shell.ts and what it wires: app-protocol, ipc, hardening),
// driven through a mocked `electron` module with a real core on a temp data folder (in-memory
// secrets). Static checks of the same code are in electron-security.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../../main/core';
import { IPC_CHANNEL } from '../../../main/electron/channel';
import { CONTENT_SECURITY_POLICY } from '../../../main/electron/security';
import { startElectronShell } from '../../../main/electron/shell';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { electron, FakeBrowserWindow, FakeWebContents, resetElectron } from './support/fake-electron';

vi.mock('electron', async () => (await import('./support/fake-electron')).electron);

let root: string;
let core: Core | null;

/** out/main, out/renderer (three files) and a secret file beside them that must never be served. */
function layout(): { outDir: string; dataDir: string } {
  const outDir = join(root, 'out', 'main');
  const renderer = join(root, 'out', 'renderer');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'out', 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');
  return { outDir, dataDir: join(root, 'data') };
}

async function start(env: NodeJS.ProcessEnv = {}) {
  const { outDir, dataDir } = layout();
  const shell = startElectronShell({
    env,
    dataDir,
    outDir,
    createCore: async (options: CoreOptions = {}) => {
      core = await createCore({ ...options, secrets: new InMemorySecretStore() });
      return core;
    },
  });
  await shell.ready;
  return { shell, outDir, dataDir, window: FakeBrowserWindow.instances[0] };
}

function ipc() {
  const handler = electron.ipcMain.handlers.get(IPC_CHANNEL);
  if (!handler) throw new Error('no IPC handler registered');
  return handler as unknown as (
    event: unknown,
    name: unknown,
    args: unknown,
  ) => Promise<{ ok: boolean; error?: { code: string; message: string } }>;
}

function eventFrom(contents: FakeWebContents, frame: { url: string } | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame };
}

beforeEach(() => {
  resetElectron();
  root = mkdtempSync(join(tmpdir(), 'tracardi-electron-shell-'));
  core = null;
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('Electron shell: start', () => {
  it('opens one sandboxed, context-isolated window on app://console with the built preload', async () => {
    const { window, outDir, dataDir } = await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const prefs = window!.options.webPreferences as Record<string, unknown>;
    // Each preference on its own, so that a failure names the one that changed.
    const expected: [string, unknown][] = [
      ['preload', join(outDir, '../preload/index.cjs')],
      ['contextIsolation', true],
      ['sandbox', true],
      ['nodeIntegration', false],
      ['nodeIntegrationInWorker', false],
      ['nodeIntegrationInSubFrames', false],
      ['webviewTag', false],
    ];
    for (const [name, value] of expected) expect(prefs[name], `webPreferences.${name}`).toBe(value);
    expect(window!.options.show).toBe(false);
    expect(window!.loadedUrl).toBe('app://console/index.html');
    expect(electron.app.paths.get('userData')).toBe(dataDir);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.protocol.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } },
    ]);
    window!.emit('ready-to-show');
    expect(window!.calls).toContain('show');
  });

  it('reports a failed start in a dialog and exits 1', async () => {
    const { outDir, dataDir } = layout();
    const shell = startElectronShell({
      env: {},
      dataDir,
      outDir,
      createCore: () => Promise.reject(new Error('settings folder unreadable')),
    });
    await shell.ready;
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Tracardi Tenant Console',
      expect.stringContaining('settings folder unreadable'),
    );
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});

describe('Electron shell: the IPC sender check', () => {
  it('answers the top frame of its own window on app://console', async () => {
    const { window } = await start();
    const answer = await ipc()(eventFrom(window!.webContents), 'app.status', {});
    expect(answer.ok).toBe(true);
  });

  it('refuses a foreign window, a subframe, another origin and a destroyed window', async () => {
    const { window } = await start();
    const own = window!.webContents;
    const refused = { ok: false, error: { code: 'validation', message: 'Refused a call from an untrusted frame.' } };

    const foreign = new FakeWebContents('app://console/index.html');
    expect(await ipc()(eventFrom(foreign), 'app.status', {})).toEqual(refused);

    const subframe = { url: 'app://console/index.html' };
    expect(await ipc()(eventFrom(own, subframe), 'app.status', {})).toEqual(refused);

    own.mainFrame.url = 'https://evil.example/';
    expect(await ipc()(eventFrom(own), 'app.status', {})).toEqual(refused);
    own.mainFrame.url = 'app://console.evil.example/index.html';
    expect(await ipc()(eventFrom(own), 'app.status', {})).toEqual(refused);
    own.mainFrame.url = 'file:///etc/passwd';
    expect(await ipc()(eventFrom(own), 'app.status', {})).toEqual(refused);
    own.mainFrame.url = 'app://console/index.html';

    // The frame is gone (Electron hands senderFrame null), or the whole contents is destroyed.
    expect(await ipc()(eventFrom(own, null), 'app.status', {})).toEqual(refused);
    own.destroyed = true;
    expect(await ipc()(eventFrom(own), 'app.status', {})).toEqual(refused);
    own.destroyed = false;

    // A closed window's id is no longer trusted.
    window!.emit('closed');
    expect(await ipc()(eventFrom(own), 'app.status', {})).toEqual(refused);
  });

  it('validates names and arguments against the contract before any service runs', async () => {
    const { window } = await start();
    const call = (name: unknown, args: unknown) => ipc()(eventFrom(window!.webContents), name, args);
    const unknown = await call('fs.readFile', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(unknown.error!.message).toMatch(/Unknown call "fs\.readFile"/);
    expect(await call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'validation' } });
    const bad = await call('preferences.set', { clipboardClearSeconds: 1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(bad.error!.message).toBe('Not accepted: the clipboard clearing time: at least 5.');
    const extra = await call('preferences.set', { theme: 'dark', evil: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation' } });
    // and nothing was written
    expect(core!.settings.read().preferences.theme).not.toBe('dark');
  });
});

describe('Electron shell: the app:// protocol', () => {
  async function handler() {
    await start();
    const h = electron.protocol.handlers.get('app');
    if (!h) throw new Error('app:// not handled');
    return (path: string, init?: RequestInit) => h(new Request(`app://console${path}`, init));
  }

  it('serves the renderer with its MIME type, the CSP and nosniff', async () => {
    const get = await handler();
    for (const [path, type] of [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(await (await get('/assets/app.js')).text()).toBe('console.log(1)');
  });

  it('never serves a file outside the renderer folder, however the path is encoded', async () => {
    const get = await handler();
    const attempts = [
      '/../secret.txt',
      '/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/..%5c..%5csecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      `/${encodeURIComponent(join(root, 'secret.txt'))}`,
      '/%2fetc%2fpasswd',
    ];
    for (const path of attempts) {
      const res = await get(path);
      expect([403, 404], path).toContain(res.status);
      expect(await res.text(), path).not.toContain('TOP-SECRET');
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
    // The explicit climbs are refused as such, not merely missed.
    expect((await get('/%2e%2e%2fsecret.txt')).status).toBe(403);
    expect((await get('/..%5csecret.txt')).status).toBe(403);
  });

  it('answers 404 for a missing file or another host, 400 for a malformed escape or a NUL', async () => {
    const get = await handler();
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404); // a folder is not a file
    expect((await get('/%E0%A4%A')).status).toBe(400);
    expect((await get('/%zz')).status).toBe(400);
    expect((await get('/index.html%00.js')).status).toBe(400);
    const other = electron.protocol.handlers.get('app')!;
    expect((await other(new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await get('/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('Electron shell: navigation, new windows, webviews, permissions', () => {
  function created(): FakeWebContents {
    const contents = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    return contents;
  }

  function prevented(contents: FakeWebContents, event: string, url?: string): boolean {
    let was = false;
    contents.emit(event, { preventDefault: () => (was = true) }, url);
    return was;
  }

  it('keeps every web contents on app://console: navigation and redirects elsewhere are refused', async () => {
    await start();
    const contents = created();
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(prevented(contents, event, 'https://evil.example/'), event).toBe(true);
      expect(prevented(contents, event, 'file:///etc/passwd'), event).toBe(true);
      expect(prevented(contents, event, 'app://console.evil.example/'), event).toBe(true);
      expect(prevented(contents, event, 'javascript:alert(1)'), event).toBe(true);
      expect(prevented(contents, event, 'app://console/#/tenants'), event).toBe(false);
    }
  });

  it('denies window.open and webviews', async () => {
    await start();
    const contents = created();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://console/index.html' })).toEqual({ action: 'deny' });
    expect(prevented(contents, 'will-attach-webview')).toBe(true);
  });

  it('refuses every permission request and check', async () => {
    await start();
    const { requestHandler, checkHandler } = electron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answer = vi.fn();
      (requestHandler as unknown as (c: unknown, p: string, cb: (granted: boolean) => void) => void)(
        {},
        permission,
        answer,
      );
      expect(answer, permission).toHaveBeenCalledWith(false);
      expect((checkHandler as unknown as (c: unknown, p: string) => boolean)({}, permission), permission).toBe(false);
    }
  });
});

describe('Electron shell: single instance and quitting', () => {
  it('a second console quits at once, without a window or an IPC handler', async () => {
    electron.app.lockAvailable = false;
    const { outDir, dataDir } = layout();
    const shell = startElectronShell({
      env: {},
      dataDir,
      outDir,
      createCore: () => Promise.reject(new Error('unused')),
    });
    await shell.ready;
    expect(shell.primary).toBe(false);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('the running console restores and focuses its window when a second one starts', async () => {
    const { window } = await start();
    window!.minimized = true;
    electron.app.emit('second-instance');
    expect(window!.calls).toEqual(expect.arrayContaining(['restore', 'focus']));
    expect(window!.minimized).toBe(false);
  });

  it('quits when the window closes; before quitting it stops answering and clears a copied token', async () => {
    const { window } = await start();
    electron.app.emit('window-all-closed');
    expect(electron.app.quit).toHaveBeenCalled();

    const clear = vi.spyOn(core!.tenants, 'clearCopiedToken');
    const close = vi.spyOn(core!.capacity, 'close');
    electron.app.emit('before-quit');
    expect(electron.ipcMain.handlers.has(IPC_CHANNEL)).toBe(false);
    expect(clear).toHaveBeenCalledOnce();
    expect(close).toHaveBeenCalledOnce();
    expect(window).toBeDefined();
  });
});
