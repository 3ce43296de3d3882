// History benchmark: the operator opens an instance's History screen (capacity over time) with a year of
// hourly capacity samples for each of 20 instances in the data folder, in Chromium over the browser
// shell. Prints, next to the target (< 300 ms):
//   - COLD: the first visit after launch (a fresh `tenantctl serve` process: no history read yet; a
//     fresh browser context: the screen's and the chart's chunks not loaded). The page opens on the
//     Tenants screen; the time runs from the hash change to #/history/<id> until the three charts are
//     drawn (their canvases in the page, then the next animation frame, i.e. painted). The median of
//     --loads visits. This build twice: with the chart cache an earlier launch left beside the history
//     (history/<id>.chart.json: the usual case), and with none (the first visit ever: every
//     `*.chart.json` deleted before the launch).
//   - ANOTHER INSTANCE: from that screen to a second instance's history (chunks loaded; that file not yet
//     read), the median of the same loads.
//   - the first cold visit's contract calls and the chart's answer size (bytes over the transport).
//   - with --baseline <checkout>: the same visits against a second build (another checkout, built, e.g.
//     a git worktree of main), its shells on the same data folder, interleaved visit by visit with
//     this one's (taking turns going first), and the ratio of the two medians.
//
//   npx tsx bench/history.ts [--instances 20] [--loads 9] [--baseline <dir>]
// Needs Debian's Chromium (E2E_CHROMIUM to use another); runs itself inside scripts/with-keychain.sh.
// The measure reads only the page's DOM (no mark of this build), so both builds are timed alike.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openSettingsStore } from '../main/services/settings-store';
import { buildApp, REPO_ROOT } from '../tests/e2e/support/build';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium';
import { median } from './support/cluster';
import { seedConsole, seedHistory } from './support/console-data';
import { startShell } from './support/ui-load';

const TARGET_MS = 300;
const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '20' },
    loads: { type: 'string', default: '9' },
    baseline: { type: 'string' },
  },
});
const INSTANCES = Math.max(2, Number(values.instances));
const LOADS = Math.max(1, Number(values.loads));

interface Visit {
  /** Hash change to the three charts painted, ms. */
  ms: number;
  /** The `capacity.history` calls of the visit: start, end (ms from the hash change) and bytes. */
  calls: [number, number, number][];
  /** The scripts and stylesheets the visit loaded: name, start, end (ms from the hash change). */
  assets: [string, number, number][];
}

/**
 * Go to an instance's history in the open page; the time until its three charts are painted. Page
 * code as text: tsx would wrap named functions in a helper the page does not have.
 */
async function visit(page: Page, id: string): Promise<Visit> {
  return (await page.evaluate(`(async () => {
    const before = performance.getEntriesByType('resource').length;
    const charts = () => document.querySelectorAll('.history-chart canvas').length;
    const t0 = performance.now();
    location.hash = ${JSON.stringify(`#/history/${id}`)};
    // The previous screen's charts (if any) must leave first; then three charts, then a frame (painted).
    const drawn = await new Promise((resolve) => {
      let seenEmpty = charts() === 0;
      const tick = () => {
        const n = charts();
        if (n === 0) seenEmpty = true;
        if (seenEmpty && n >= 3) requestAnimationFrame(() => resolve(true));
        else if (performance.now() - t0 > 60000) resolve(false);
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    if (!drawn) throw new Error('no charts after 60 s; the page says: ' + document.querySelector('main')?.textContent?.slice(0, 300));
    const end = performance.now();
    const calls = performance
      .getEntriesByType('resource')
      .slice(before)
      .filter((e) => e.name.endsWith('/api/call/capacity.history'))
      .map((e) => [e.startTime - t0, e.responseEnd - t0, e.encodedBodySize]);
    const assets = performance
      .getEntriesByType('resource')
      .slice(before)
      .filter((e) => e.name.includes('/assets/'))
      .map((e) => [e.name.slice(e.name.lastIndexOf('/') + 1).replace(/-[\\w-]{8}\\./, '.'), e.startTime - t0, e.responseEnd - t0]);
    return { ms: end - t0, calls, assets };
  })()`)) as Visit;
}

/** One launch: a fresh shell (nothing read), a fresh context, Tenants, then two instances' history. */
async function launchAndVisit(
  browser: Browser,
  dataDir: string,
  checkout: string,
  { noChartCache = false } = {},
): Promise<[Visit, Visit]> {
  if (noChartCache)
    for (const f of readdirSync(join(dataDir, 'history')).filter((n) => n.endsWith('.chart.json')))
      rmSync(join(dataDir, 'history', f));
  const shell = await startShell(dataDir, checkout);
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.request.get(shell.url, { maxRedirects: 0 });
    const page = await context.newPage();
    await page.goto(`${new URL(shell.url).origin}/#/tenants`);
    await page.waitForFunction(() => performance.getEntriesByName('tenants-first-render', 'mark').length > 0);
    // Let the first screen settle (its list, the status bar's calls) as an operator would.
    await page.waitForTimeout(700);
    const cold = await visit(page, 'bench-1');
    const other = await visit(page, 'bench-2');
    await context.close();
    return [cold, other];
  } finally {
    await stop(shell.child);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const all = (vs: Visit[]): string => vs.map((v) => v.ms.toFixed(0)).join(' ');
/** When the visit's series were in (the last `capacity.history` answer), ms from the hash change. */
const dataIn = (v: Visit): number => Math.max(0, ...v.calls.map(([, end]) => end));
const callText = (v: Visit): string =>
  v.calls.map(([a, b, bytes]) => `${a.toFixed(0)}-${b.toFixed(0)} ms, ${(bytes / 1024).toFixed(1)} KiB`).join('; ');

/** One build's figures: the cold visit and the next instance, each with when its data was in and the renderer's part. */
function report(visits: [Visit, Visit][]): { lines: string[]; cold: number; other: number } {
  const cold = median(visits.map(([c]) => c.ms));
  const other = median(visits.map(([, o]) => o.ms));
  const split = (vs: Visit[]) =>
    `data in at ${ms(median(vs.map(dataIn)))}, then ${ms(median(vs.map((v) => v.ms - dataIn(v))))} to the charts painted (medians)`;
  return {
    cold,
    other,
    lines: [
      `  COLD: first visit after launch        ${ms(cold)} median of ${visits.length} (all ${all(visits.map(([c]) => c))})   target < ${TARGET_MS} ms: ${cold < TARGET_MS ? 'met' : 'MISSED'}`,
      `    ${split(visits.map(([c]) => c))}`,
      `    capacity.history of the first visit ${callText(visits[0]![0])} (from the hash change)`,
      `    its assets                          ${visits[0]![0].assets.map(([n, a, b]) => `${n} ${a.toFixed(0)}-${b.toFixed(0)}`).join(', ')}`,
      `  another instance, chunks loaded       ${ms(other)} median (all ${all(visits.map(([, o]) => o))})`,
      `    ${split(visits.map(([, o]) => o))}`,
    ],
  };
}

async function main(): Promise<void> {
  if (process.env.TENANT_CONSOLE_KEYCHAIN_SESSION !== '1') {
    const again = spawnSync(
      'bash',
      [join(REPO_ROOT, 'scripts', 'with-keychain.sh'), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      { stdio: 'inherit' },
    );
    process.exit(again.status ?? 1);
  }
  const baselineDir = values.baseline;
  if (baselineDir && !existsSync(join(baselineDir, 'out', 'renderer', 'index.html')))
    throw new Error(`--baseline ${baselineDir}: no built renderer there (run \`npm run build\` in it).`);
  process.stdout.write('Building the console (electron-vite build)…\n');
  buildApp();
  const dataDir = mkdtempSync(join(tmpdir(), 'tracardi-bench-history-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    seedConsole(dataDir, { tenants: 200, instances: INSTANCES });
    // No background watch round: it would read the history before the visit under test.
    openSettingsStore(dataDir).update((draft) => {
      draft.watch.paused = true;
    });
    const history = await seedHistory(dataDir, INSTANCES);
    process.stdout.write(
      `Seeded ${INSTANCES} instances with a year of hourly capacity history each (${history.samples.toLocaleString('en-US')} samples kept, ${(history.bytes / 2 ** 20).toFixed(1)} MiB).\n`,
    );
    const mine: [Visit, Visit][] = [];
    const mineUncached: [Visit, Visit][] = [];
    const theirs: [Visit, Visit][] = [];
    // An untimed launch first: it leaves the chart caches the timed launches find.
    await launchAndVisit(browser, dataDir, REPO_ROOT);
    for (let i = 0; i < LOADS; i++) {
      // The builds take turns going first, so neither always follows the other.
      const round = [
        async () => mine.push(await launchAndVisit(browser, dataDir, REPO_ROOT)),
        async () => mineUncached.push(await launchAndVisit(browser, dataDir, REPO_ROOT, { noChartCache: true })),
        ...(baselineDir ? [async () => theirs.push(await launchAndVisit(browser, dataDir, baselineDir))] : []),
      ];
      for (let k = 0; k < round.length; k++) await round[(i + k) % round.length]!();
      // The uncached launch deleted the caches: put them back for the next cached one.
      if (i + 1 < LOADS) await launchAndVisit(browser, dataDir, REPO_ROOT);
    }
    const me = report(mine);
    const fresh = report(mineUncached);
    const lines = [
      '',
      `History screen, a year of hourly samples for each of ${INSTANCES} instances (Chromium ${browser.version()})`,
      `  this build, the chart cache an earlier launch left:`,
      ...me.lines,
      `  this build, no chart cache (the first visit ever):`,
      ...fresh.lines,
    ];
    if (baselineDir) {
      const base = report(theirs);
      lines.push(
        `  baseline ${baselineDir}, interleaved:`,
        ...base.lines,
        `  this build / baseline: cold ${(me.cold / base.cold).toFixed(2)}x (no chart cache ${(fresh.cold / base.cold).toFixed(2)}x), another instance ${(me.other / base.other).toFixed(2)}x (${(fresh.other / base.other).toFixed(2)}x)`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/history: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
