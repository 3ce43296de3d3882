// A stand-in for the `electron` module, for vi.mock('electron'): records what the main process
// registers (protocol handler, IPC handler, permission handlers, app events, windows) so that tests
// can drive the real main/electron code with fake events. No Electron binary is involved.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly mainFrame: { url: string };
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(url = 'app://console/index.html') {
    super();
    this.mainFrame = { url };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  minimized = false;
  destroyed = false;
  readonly calls: string[] = [];
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  restore(): void {
    this.minimized = false;
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
}

type Handler = (...args: never[]) => unknown;

function makeApp() {
  return Object.assign(new EventEmitter(), {
    paths: new Map<string, string>(),
    lockAvailable: true,
    ready: Promise.resolve() as Promise<void>,
    setPath(name: string, value: string) {
      this.paths.set(name, value);
    },
    getPath(name: string) {
      return this.paths.get(name) ?? `/fake/${name}`;
    },
    requestSingleInstanceLock() {
      return this.lockAvailable;
    },
    whenReady() {
      return this.ready;
    },
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
  });
}

/** Electron's Notification: records what was shown; `supported` flips isSupported(). */
export class FakeNotification extends EventEmitter {
  static supported = true;
  static shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  readonly options: { title: string; body: string; silent?: boolean };
  constructor(options: { title: string; body: string; silent?: boolean }) {
    super();
    this.options = options;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export const electron = {
  Notification: FakeNotification,
  app: makeApp(),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handlers: new Map<string, Handler>(),
    handle(channel: string, handler: Handler) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    },
  },
  protocol: {
    schemes: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.schemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      this.handlers.set(scheme, handler);
    },
  },
  session: {
    defaultSession: {
      requestHandler: null as Handler | null,
      checkHandler: null as Handler | null,
      setPermissionRequestHandler(handler: Handler) {
        this.requestHandler = handler;
      },
      setPermissionCheckHandler(handler: Handler) {
        this.checkHandler = handler;
      },
    },
  },
  clipboard: {
    text: '',
    writeText(text: string) {
      this.text = text;
    },
    readText() {
      return this.text;
    },
    clear() {
      this.text = '';
    },
  },
  dialog: { showErrorBox: vi.fn(), showSaveDialog: vi.fn() },
};

/** Back to a fresh Electron before each test. */
export function resetElectron(): void {
  // In place: the module under test holds these very objects.
  const app = electron.app;
  app.removeAllListeners();
  app.paths.clear();
  app.lockAvailable = true;
  app.ready = Promise.resolve();
  app.quit.mockReset();
  app.exit.mockReset();
  app.enableSandbox.mockReset();
  FakeBrowserWindow.instances = [];
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  electron.ipcMain.handlers.clear();
  electron.protocol.schemes = [];
  electron.protocol.handlers.clear();
  electron.session.defaultSession.requestHandler = null;
  electron.session.defaultSession.checkHandler = null;
  electron.clipboard.text = '';
  electron.dialog.showErrorBox.mockReset();
  electron.dialog.showSaveDialog.mockReset();
}
