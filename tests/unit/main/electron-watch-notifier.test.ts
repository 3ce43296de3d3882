// The watch's Electron notifier (main/electron/watch-notifier.ts) through a mocked `electron`
// module, and the shell wiring it to the core's watch: a round's changes become desktop
// notifications from main, at most a summary per round, none when the system has no notifications;
// clicking one brings the window forward on the Changes screen.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../../main/core';
import { startElectronShell } from '../../../main/electron/shell';
import { createElectronNotifier } from '../../../main/electron/watch-notifier';
import { InMemorySecretStore } from '../../../main/services/keychain';
import type { WatchNotice } from '../../../shared/watch/watch-text';
import { parseRoute } from '../../../renderer/lib/routes';
import { FakeBrowserWindow, FakeNotification, resetElectron } from './support/fake-electron';

vi.mock('electron', async () => (await import('./support/fake-electron')).electron);

const notice = (id: number): WatchNotice => ({
  id,
  tone: 'problem',
  title: 'Tracardi: problem',
  body: `shop${id} on EU 1: installed -> drift`,
});

let root: string;
let core: Core | null;

beforeEach(() => {
  resetElectron();
  root = mkdtempSync(join(tmpdir(), 'tracardi-electron-watch-'));
  core = null;
});
afterEach(() => {
  core?.watch.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('Electron watch notifier', () => {
  it('shows one Notification per notice, with its title and body', () => {
    createElectronNotifier().show([notice(1), notice(2)]);
    expect(FakeNotification.shown.map((n) => n.options)).toEqual([
      { title: 'Tracardi: problem', body: 'shop1 on EU 1: installed -> drift' },
      { title: 'Tracardi: problem', body: 'shop2 on EU 1: installed -> drift' },
    ]);
  });

  it('a click calls back with its notice', () => {
    const clicked: number[] = [];
    createElectronNotifier({ onClick: (n) => clicked.push(n.id) }).show([notice(7)]);
    FakeNotification.shown[0]!.emit('click');
    expect(clicked).toEqual([7]);
  });

  it('shows nothing where the system has no notifications', () => {
    FakeNotification.supported = false;
    createElectronNotifier().show([notice(1)]);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('the shell hands it to the core`s watch and starts the schedule; a round`s baseline problem notifies; a click opens Changes', async () => {
    const outDir = join(root, 'out', 'main');
    mkdirSync(outDir, { recursive: true });
    mkdirSync(join(root, 'out', 'renderer'), { recursive: true });
    writeFileSync(join(root, 'out', 'renderer', 'index.html'), '<!doctype html><title>console</title>');
    const shell = startElectronShell({
      env: {},
      dataDir: join(root, 'data'),
      outDir,
      createCore: async (options: CoreOptions = {}) => {
        core = await createCore({ ...options, secrets: new InMemorySecretStore() });
        return core;
      },
    });
    await shell.ready;
    expect(core!.watch.status().nextRunAt).not.toBeNull();
    // An instance whose Elasticsearch is nowhere: the first round reports it unreachable, once.
    await core!.instances.add({
      id: 'eu1',
      name: 'EU 1',
      environment: 'staging',
      apiUrl: 'http://127.0.0.1:9',
      tenantDomainSuffix: 'eu1.example.com',
      tracardiVersion: '0.9.x',
      tmsUrl: 'http://127.0.0.1:9',
      es: { nodes: ['http://127.0.0.1:9'], auth: { type: 'none' } },
    });
    await core!.watch.runNow();
    expect(FakeNotification.shown.map((n) => n.options.body)).toEqual([
      expect.stringMatching(/^EU 1: \(first seen\) -> unreachable \(present at start\)/),
    ]);
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.loadedUrl).toBe('app://console/index.html');
    window.minimized = true;
    window.calls.length = 0;
    FakeNotification.shown[0]!.emit('click');
    // Brought forward, on the Changes screen (the renderer's route for it).
    expect(window.minimized).toBe(false);
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
    expect(window.loadedUrl).toBe('app://console/index.html#/changes');
    expect(parseRoute(new URL(window.loadedUrl!).hash)).toEqual({ screen: 'changes' });
  });
});
