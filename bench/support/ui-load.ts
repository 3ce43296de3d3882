/**
 * Loading the Tenants screen in Chromium over the browser shell, and reading when its rows were
 * drawn: the renderer's `tenants-first-render` mark (the first rows in view) and
 * `tenants-complete-render` (the whole list drawn, searchable), in ms from navigation start, with
 * the contract calls of the load. bench/ui.ts and bench/registry.ts measure the first render this
 * one way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../tests/e2e/support/build';

export interface Load {
  /** The tenants-first-render mark: ms from navigation start. */
  firstRender: number;
  /** The tenants-complete-render mark (the whole list drawn, searchable): ms from navigation start. */
  completeRender: number;
  /** Each contract call of the load: [name, start, end] in ms from navigation start. */
  calls: [string, number, number][];
  /** Where the time before the first call went: the page, each script and stylesheet, in ms. */
  page: { html: number; assets: [string, number, number][] };
  /** The list's status line once the whole list is drawn ("Showing 10,000 of 10,000 tenants"). */
  shown?: string;
}

export const VIEWPORT = { viewport: { width: 1360, height: 880 } };

/** The contract calls of a load, as `name start-end` (ms from navigation start). */
export const callsText = (load: Load): string =>
  load.calls.map(([name, start, end]) => `${name} ${start.toFixed(0)}-${end.toFixed(0)}`).join(', ');

/** `tenantctl serve` of a checkout (this one by default) on `dataDir`, until it prints its URL. */
export function startShell(
  dataDir: string,
  checkout = REPO_ROOT,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(checkout, 'bin', 'tenantctl.mjs'), '--data-dir', dataDir, 'serve', '--json'],
    {
      cwd: checkout,
      env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: `tracardi-tenant-console-bench-${process.pid}`, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      try {
        const url = (JSON.parse(out) as { url?: unknown }).url;
        if (typeof url === 'string') resolve({ child, url });
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => reject(new Error(`tenantctl serve exited (code ${code})`)));
  });
}

/** Stop a shell started by `startShell` and wait for it to exit. */
export async function stopShell(child: ChildProcess | null | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Loads the Tenants screen afresh (a full page load) and reads its marks and contract calls. */
export async function loadTenants(page: Page, origin: string, n: number): Promise<Load> {
  await page.goto(`${origin}/?load=${n}#/tenants`);
  const handle = await page.waitForFunction(
    () => {
      const mark = performance.getEntriesByName('tenants-first-render', 'mark')[0];
      const complete = performance.getEntriesByName('tenants-complete-render', 'mark')[0];
      if (!mark || !complete) return null;
      const calls = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/call/'))
        .map((e) => [
          e.name.slice(e.name.lastIndexOf('/') + 1),
          e.startTime,
          (e as unknown as { responseEnd: number }).responseEnd,
        ]);
      const nav = (performance.getEntriesByType as (t: string) => unknown[])('navigation')[0] as
        { responseEnd: number } | undefined;
      const assets = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/assets/'))
        .map((e) => [
          e.name.slice(e.name.lastIndexOf('/') + 1).replace(/-[\w-]{8}\./, '.'),
          e.startTime,
          (e as unknown as { responseEnd: number }).responseEnd,
        ]);
      return {
        firstRender: mark.startTime,
        completeRender: complete.startTime,
        calls,
        page: { html: nav?.responseEnd ?? 0, assets },
      };
    },
    undefined,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as Load;
}

/**
 * One cold load: a fresh context (empty HTTP cache, no compiled code, nothing in memory), the session
 * cookie traded for without rendering anything, the page, the context closed, a pause.
 */
export async function coldLoad(browser: Browser, url: string, n: number): Promise<Load> {
  const fresh = await browser.newContext(VIEWPORT);
  await fresh.request.get(url, { maxRedirects: 0 });
  const page = await fresh.newPage();
  const load = await loadTenants(page, new URL(url).origin, n);
  load.shown = (await page.getByRole('status').filter({ hasText: 'Showing' }).textContent())?.trim() ?? '';
  await fresh.close();
  // Let the closed context's processes go before the next load starts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return load;
}
