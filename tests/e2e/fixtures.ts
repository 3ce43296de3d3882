// The one fixture every UI spec uses: `tenantConsole`, a console running on a fresh data folder with
// its own keychain service, in the shell the Playwright project names:
//   browser-shell  `node bin/tenantctl.mjs --data-dir <dir> serve --json [--resolve …]` as a child
//                  process, its printed URL opened in Debian's Chromium
//   electron       `_electron.launch` on the built app (out/main/index.js); skipped, with the reason,
//                  where no Electron binary exists
// Specs seed what they need through `tenantConsole.core()` (the same core, in the test process, on the
// same data folder and keychain service) BEFORE `launch()`, then drive the page like an operator.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  _electron,
  test as base,
  type Browser,
  type BrowserContext,
  type ElectronApplication,
  type Page,
  type TestInfo,
} from '@playwright/test';
import type { Core } from '../../main/core';
import { deleteTenantArtefacts } from '../simulator';
import { removeRegistryScope } from '../support/registry-seed';
import { registryScope } from '../../shared/team/registry';
import { MAIN_OUT, REPO_ROOT } from './support/build';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium';
import { findElectronBinary } from './support/electron-binary';
import { esUrls, startSims, type Sims } from './support/world';
import { stopChild } from '../support/child-process';

export { expect } from '@playwright/test';

export type ShellKind = 'browser-shell' | 'electron';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'tests', 'e2e', 'screenshots');

export interface LaunchOptions {
  /** `--resolve` rules (`host=address`, `*.suffix=address`) for verification's DNS lookups. */
  resolve?: string[];
  /** Route to open first, e.g. `#/tenants`; default the Fleet. */
  hash?: string;
  /**
   * The watch's schedule (docs/watch.md): paused unless a spec asks for it, so no background round
   * verifies the fleet in the middle of another spec's steps ("Run now" works either way).
   */
  watch?: 'paused' | 'scheduled';
}

export interface TenantConsole {
  kind: ShellKind;
  dataDir: string;
  keychainService: string;
  /** The browser shell's URL (with its access token); null under Electron. */
  url: string | null;
  /**
   * A core over the same data folder and keychain service: seed with it before launch, inspect with
   * it after. A new one on every call (a core reads the settings file once, at start).
   */
  core(): Promise<Core>;
  /** A simulated Tracardi + TMS on one of the two clusters, stopped after the test. */
  sims(cluster: 0 | 1): Promise<Sims>;
  /** Start the shell and open its window. */
  launch(options?: LaunchOptions): Promise<Page>;
  /** The open window (after launch). */
  readonly page: Page;
  /** Go to a route by its hash (`#/verify`). */
  goto(hash: string): Promise<void>;
  /** What the workstation clipboard holds now. */
  readClipboard(): Promise<string>;
  /** Save a full-window screenshot as tests/e2e/screenshots/<project>/<name>.png (and attach it). */
  screenshot(name: string): Promise<string>;
}

interface Fixtures {
  tenantConsole: TenantConsole;
}

interface WorkerFixtures {
  shellKind: ShellKind;
  /** Chromium for the browser shell, launched on first use in this worker. */
  shellBrowser: () => Promise<Browser>;
}

const electronBinary = findElectronBinary();

export const test = base.extend<Fixtures, WorkerFixtures>({
  shellKind: ['browser-shell', { option: true, scope: 'worker' }],

  shellBrowser: [
    async ({ playwright, launchOptions }, use) => {
      const launched: { browser: Promise<Browser> | null } = { browser: null };
      await use(() => {
        launched.browser ??= playwright.chromium.launch({
          ...launchOptions,
          executablePath: launchOptions.executablePath ?? CHROMIUM_PATH,
          args: launchOptions.args ?? CHROMIUM_ARGS,
        });
        return launched.browser;
      });
      if (launched.browser) await (await launched.browser).close();
    },
    { scope: 'worker' },
  ],

  tenantConsole: async ({ shellKind, shellBrowser, viewport }, use, testInfo) => {
    if (shellKind === 'electron') {
      testInfo.skip(
        !electronBinary.ok,
        electronBinary.ok ? '' : `${electronBinary.reason}; the same specs run under the browser shell`,
      );
    }
    const run = new ConsoleRun(shellKind, testInfo, shellBrowser, viewport ?? { width: 1360, height: 880 });
    try {
      await use(run);
    } finally {
      await run.dispose(testInfo);
    }
  },
});

class ConsoleRun implements TenantConsole {
  readonly kind: ShellKind;
  readonly dataDir: string;
  readonly keychainService: string;
  url: string | null = null;
  private readonly env: NodeJS.ProcessEnv;
  private readonly testInfo: TestInfo;
  private readonly browser: () => Promise<Browser>;
  private readonly viewport: { width: number; height: number };
  private coreUsed = false;
  private readonly started: Sims[] = [];
  private child: ChildProcess | null = null;
  private childLog = '';
  private context: BrowserContext | null = null;
  private electronApp: ElectronApplication | null = null;
  private window: Page | null = null;

  constructor(
    kind: ShellKind,
    testInfo: TestInfo,
    browser: () => Promise<Browser>,
    viewport: { width: number; height: number },
  ) {
    this.kind = kind;
    this.testInfo = testInfo;
    this.browser = browser;
    this.viewport = viewport;
    this.dataDir = mkdtempSync(join(tmpdir(), 'tracardi-e2e-data-'));
    this.keychainService = `tracardi-tenant-console-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: this.keychainService };
    delete this.env.TENANT_CONSOLE_DATA_DIR;
  }

  async core(): Promise<Core> {
    this.coreUsed = true;
    const { createCore } = await import('../../main/core');
    return createCore({ dataDir: this.dataDir, env: this.env, shell: 'test' });
  }

  async sims(cluster: 0 | 1): Promise<Sims> {
    const sims = await startSims(esUrls()[cluster]);
    this.started.push(sims);
    return sims;
  }

  get page(): Page {
    if (!this.window) throw new Error('tenantConsole.launch() first');
    return this.window;
  }

  async launch(options: LaunchOptions = {}): Promise<Page> {
    if (this.window) throw new Error('the console is already running');
    const paused = options.watch !== 'scheduled';
    (await this.core()).settings.update((draft) => {
      draft.watch.paused = paused;
    });
    this.window =
      this.kind === 'electron' ? await this.launchElectron(options) : await this.launchBrowserShell(options);
    await this.window.getByRole('navigation', { name: 'Main' }).waitFor();
    if (options.hash) await this.goto(options.hash);
    return this.window;
  }

  private async launchBrowserShell(options: LaunchOptions): Promise<Page> {
    const args = [
      join(REPO_ROOT, 'bin', 'tenantctl.mjs'),
      '--data-dir',
      this.dataDir,
      'serve',
      '--json',
      '--check-results',
    ];
    for (const rule of options.resolve ?? []) args.push('--resolve', rule);
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (c: Buffer) => (this.childLog += c.toString('utf8')));
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`tenantctl serve printed no URL in 30 s:\n${this.childLog}`)),
        30_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        try {
          const url = (JSON.parse(out) as { url?: unknown }).url;
          if (typeof url === 'string') {
            clearTimeout(timer);
            resolve(url);
          }
        } catch {
          // the JSON is not complete yet
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tenantctl serve exited (code ${code}) before printing its URL:\n${this.childLog}`));
      });
    });
    const browser = await this.browser();
    this.context = await browser.newContext({
      viewport: this.viewport,
      // The browser shell copies tokens with the page's clipboard API.
      permissions: ['clipboard-read', 'clipboard-write'],
      colorScheme: 'light',
    });
    const page = await this.context.newPage();
    await page.goto(this.url);
    return page;
  }

  private async launchElectron(options: LaunchOptions): Promise<Page> {
    if (!electronBinary.ok) throw new Error(electronBinary.reason);
    this.electronApp = await _electron.launch({
      executablePath: electronBinary.path,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN_OUT],
      cwd: REPO_ROOT,
      env: {
        ...(this.env as Record<string, string>),
        TENANT_CONSOLE_DATA_DIR: this.dataDir,
        // The Electron shell's equivalent of `serve --resolve`.
        TENANT_CONSOLE_RESOLVE: (options.resolve ?? []).join(' '),
      },
    });
    const page = await this.electronApp.firstWindow();
    await page.setViewportSize(this.viewport).catch(() => undefined);
    return page;
  }

  async goto(hash: string): Promise<void> {
    await this.page.evaluate((h) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = h;
    }, hash);
  }

  async readClipboard(): Promise<string> {
    if (this.electronApp) return this.electronApp.evaluate(({ clipboard }) => clipboard.readText());
    return this.page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
  }

  async screenshot(name: string): Promise<string> {
    const dir = join(SCREENSHOT_DIR, this.testInfo.project.name);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    // Let transitions and late re-renders settle so the picture shows what the operator sees.
    await this.page.waitForTimeout(250);
    await this.page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    await this.testInfo.attach(name, { path, contentType: 'image/png' });
    return path;
  }

  async dispose(testInfo: TestInfo): Promise<void> {
    const failed = testInfo.status !== testInfo.expectedStatus;
    if (failed && this.childLog)
      await testInfo.attach('tenantctl-serve.log', { body: this.childLog, contentType: 'text/plain' });
    await this.context?.close().catch(() => undefined);
    await this.electronApp?.close().catch(() => undefined);
    if (this.child) await stopChild(this.child);
    if (this.coreUsed || this.window) {
      const core = await this.core().catch(() => null);
      if (core) await cleanUp(core);
    }
    await Promise.allSettled(this.started.map((s) => s.stop()));
    if (failed) await testInfo.attach('data-dir', { body: this.dataDir, contentType: 'text/plain' });
    else rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Removes what the test left on the shared clusters (tenant artefacts, and the instances' team
 * registries: specs reuse suffixes, which scope the registry) and in the keyring.
 */
async function cleanUp(core: Core): Promise<void> {
  const clusters = new Set(esUrls());
  const records = await core.tenants.list().catch(() => []);
  const instances = await core.instances.list().catch(() => []);
  for (const record of records) {
    const node = instances.find((v) => v.instance.id === record.instanceId)?.instance.es.nodes[0];
    if (node && clusters.has(node)) await deleteTenantArtefacts(node, record.tenant).catch(() => undefined);
  }
  for (const { instance } of instances) {
    const node = instance.es.nodes[0];
    if (node && clusters.has(node)) await removeRegistryScope(node, registryScope(instance)).catch(() => undefined);
  }
  core.registry.close();
  for (const account of await core.secrets.list('').catch(() => [] as string[])) {
    await core.secrets.delete(account).catch(() => undefined);
  }
}
