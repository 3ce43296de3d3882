/**
 * Electron shell: one hardened window over the same core the CLI and the browser shell use.
 * Sandboxed, context-isolated renderer served from app://console with a strict CSP; navigation,
 * new windows, webviews and permission requests are refused; every IPC call is checked for its
 * sender and validated against the contract before it reaches a service.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, net, protocol, session } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore, defaultDataDir, warmUp } from '../core';
import { createHandlers } from '../handlers';
import { parseResolveRules } from '../services/resolve-rules';
import { dispatch } from '../transport/dispatch';
import { IPC_CHANNEL } from './channel';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl, isTrustedSender } from './security';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.TENANT_CONSOLE_DATA_DIR ?? defaultDataDir();
// One data folder for every shell: Electron's own files (cache, local storage) go beside config.json.
app.setPath('userData', dataDir);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
]);

const trustedWebContents = new Set<number>();
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another console already runs on this data folder: hand over to it and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox('Tracardi Tenant Console', `Could not start: ${String(err)}`);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}

async function start(): Promise<void> {
  const rendererDir = path.join(here, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = path.join(rendererDir, relative === '' ? 'index.html' : relative);
    // Never serve outside the renderer folder (no ../ escapes).
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const core = await createCore({
    dataDir,
    shell: 'electron',
    // TENANT_CONSOLE_RESOLVE ("*.sandbox.test=127.0.0.1 ..."): local answers for tenant domains no DNS
    // knows (sandbox, UI tests), and where Tracardi requests to them connect, like `tenantctl serve --resolve`.
    ...(process.env.TENANT_CONSOLE_RESOLVE
      ? { resolveRules: parseResolveRules(process.env.TENANT_CONSOLE_RESOLVE) }
      : {}),
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
      const result = await dialog.showSaveDialog({ defaultPath: path.join(app.getPath('documents'), suggestedName) });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  });

  ipcMain.handle(IPC_CHANNEL, async (event, name: unknown, args: unknown) => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      {
        webContentsId: event.sender.id,
        frameUrl: frame?.url ?? null,
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
      },
      trustedWebContents,
    );
    if (!trusted) {
      return { ok: false, error: { code: 'validation', message: 'Refused a call from an untrusted frame.' } };
    }
    // An unpackaged (development, test) build checks every answer against the contract too.
    return dispatch(handlers, name, args, { checkResults: !app.isPackaged });
  });

  mainWindow = new BrowserWindow({
    width: 1360,
    height: 880,
    title: 'Tracardi Tenant Console',
    show: false,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would open links in new windows; those are denied anyway, this removes the event.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  trustedWebContents.add(mainWindow.webContents.id);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // The renderer process starts and loads its bundle meanwhile; its first calls find the cache ready.
  void warmUp(core);
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}
