/**
 * Electron shell: one hardened window over the same core the CLI and the browser shell use.
 * Sandboxed, context-isolated renderer served from app://console with a strict CSP; navigation,
 * new windows, webviews and permission requests are refused; every IPC call is checked for its
 * sender and validated against the contract before it reaches a service.
 *
 * `startElectronShell` is the whole main process; index.ts calls it with the real dependencies and
 * tests/unit/main/electron-shell.test.ts with a mocked `electron` module and a core on a temp folder.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import type { createCore, Core } from '../core';
import { warmUp } from '../core';
import { createHandlers } from '../handlers';
import { parseResolveRules } from '../services/resolve-rules';
import { createAppProtocolHandler } from './app-protocol';
import { IPC_CHANNEL } from './channel';
import { denyAllPermissions, hardenContents } from './hardening';
import { createIpcHandler } from './ipc';
import { APP_ORIGIN, APP_SCHEME } from './security';
import { createElectronNotifier } from './watch-notifier';

/** The Changes screen (renderer/lib/routes.ts: `#/changes`), where a clicked notification leads. */
const CHANGES_URL = `${APP_ORIGIN}/index.html#/changes`;

export interface ElectronShellDeps {
  env: NodeJS.ProcessEnv;
  /** The data folder (config.json, Electron's own files). */
  dataDir: string;
  /** out/main: the preload (../preload/index.cjs) and the renderer (../renderer) are found from it. */
  outDir: string;
  createCore: typeof createCore;
}

export interface ElectronShell {
  /** Settles when the window has loaded (or start failed and the app is exiting). */
  ready: Promise<void>;
  /** False when another console already holds the single-instance lock (this one quits). */
  primary: boolean;
}

export function startElectronShell(deps: ElectronShellDeps): ElectronShell {
  // One data folder for every shell: Electron's own files (cache, local storage) go beside config.json.
  app.setPath('userData', deps.dataDir);
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);

  if (!app.requestSingleInstanceLock()) {
    // Another console already runs on this data folder: hand over to it and leave.
    app.quit();
    return { ready: Promise.resolve(), primary: false };
  }

  const trustedWebContents = new Set<number>();
  let mainWindow: BrowserWindow | null = null;
  let core: Core | null = null;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    // No call is answered once quitting has begun; a copied token that is still on the clipboard is
    // cleared now rather than left there by a timer that dies with the process; cached ES clients close.
    ipcMain.removeHandler(IPC_CHANNEL);
    if (core) {
      core.watch.stop();
      void core.tenants.clearCopiedToken();
      void core.capacity.close();
    }
  });

  const start = async (): Promise<void> => {
    protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(deps.outDir, '../renderer')));
    denyAllPermissions(session.defaultSession);

    const resolve = deps.env.TENANT_CONSOLE_RESOLVE;
    core = await deps.createCore({
      dataDir: deps.dataDir,
      env: deps.env,
      shell: 'electron',
      // TENANT_CONSOLE_RESOLVE ("*.sandbox.test=127.0.0.1 ..."): local answers for tenant domains no DNS
      // knows (sandbox, UI tests), and where Tracardi requests to them connect, like `tenantctl serve --resolve`.
      ...(resolve ? { resolveRules: parseResolveRules(resolve) } : {}),
      // Settings: the same store, file and cross-process lock as tenantctl and the browser shell.
      clipboard: {
        writeText: (text) => clipboard.writeText(text),
        readText: () => clipboard.readText(),
        clear: () => clipboard.clear(),
      },
    });
    const handlers = createHandlers(core, {
      shell: 'electron',
      clipboard: true,
      chooseExportPath: async (suggestedName) => {
        const result = await dialog.showSaveDialog({
          defaultPath: path.join(app.getPath('documents'), suggestedName),
        });
        return result.canceled || !result.filePath ? null : result.filePath;
      },
    });
    // An unpackaged (development, test) build checks every answer against the contract too.
    ipcMain.handle(IPC_CHANNEL, createIpcHandler(handlers, trustedWebContents, { checkResults: !app.isPackaged }));

    // A literal here (not built elsewhere) so that electronegativity reads these preferences.
    const window = new BrowserWindow({
      width: 1360,
      height: 880,
      title: 'Tracardi Tenant Console',
      show: false,
      webPreferences: {
        preload: path.join(deps.outDir, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        spellcheck: false,
        // Middle-click would open links in new windows; those are denied anyway, this removes the event.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    mainWindow = window;
    const id = window.webContents.id;
    trustedWebContents.add(id);
    window.on('closed', () => {
      trustedWebContents.delete(id);
      mainWindow = null;
    });
    window.once('ready-to-show', () => window.show());
    // The renderer process starts and loads its bundle meanwhile; its first calls find the cache ready.
    void warmUp(core);
    // The watch's rounds run in main; a notice clicked brings the window forward on the Changes screen.
    core.watch.setNotifier(
      createElectronNotifier({
        onClick: () => {
          if (!mainWindow || mainWindow.isDestroyed()) return;
          if (mainWindow.isMinimized()) mainWindow.restore();
          mainWindow.show();
          mainWindow.focus();
          // The renderer routes by the hash: loading the page's own URL with another hash is a
          // same-document navigation (a hashchange, no reload), and no IPC reaches the page.
          void mainWindow.loadURL(CHANGES_URL).catch(() => undefined);
        },
      }),
    );
    core.watch.start();
    await window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  const ready = app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('Tracardi Tenant Console', `Could not start: ${String(err)}`);
      app.exit(1);
    });
  return { ready, primary: true };
}
