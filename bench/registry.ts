/**
 * The team registry (issue 17) against the settings file it replaced, side by side in one run:
 * the build with the registry (this checkout) and the build before it (--baseline: a built checkout
 * of fd8ebbd, records in config.json), on the same tenant records.
 *
 *   TEST_ES_URL=http://127.0.0.1:9200 npx tsx bench/registry.ts --baseline /work/wt/base-fd8ebbd [--runs 5]
 *     [--only size,list,growth,wire,refresh,screen] [--quick] [--fleet-indices 1000]
 *
 * Without TEST_ES_URL a throw-away cluster is started. The baseline checkout is built (`npm run
 * build` there) when its out/ is missing. --quick: one round and 5 refreshes, for trying the bench
 * out, not for figures. Every scope seeded is removed after. Prints:
 * - size: the two registry indices' shards, docs and store with 10,000 tenants and --audit entries, per
 *   tenant and per entry;
 * - list: `tenantctl tenants list` with 10,000 tenants on one instance and 5 instances of 2,000, cold
 *   (a fresh data folder) and warm (the cache of the run before), beside config.json's figures;
 * - growth: `instances list`, `tenants show` and `tenants list --json` at 1,000 and 50,000 tenants on
 *   5 instances. Target: 50,000 within 1.5x of 1,000 for instances list and tenants show (registry);
 * - wire: what a warm `tenants list` of 10,000 tenants sends and receives (a counting proxy);
 * - refresh: the Fleet screen's steady refresh as the window sends it (the snapshot and the
 *   registry's steady sync at once, through the call's handler), and the snapshot alone, each against
 *   one `_cluster/health`, and where the time goes (the sync's change-token request, the search it
 *   sends only when the index changed, the snapshot's keychain read and requests; the snapshot again
 *   without the keychain read, as bench/capacity.ts measures it): on the cluster as it is, then with
 *   --fleet-indices tenant indices made in it (deleted after), where the verdict is taken. Target:
 *   within 3x with the registry read added;
 * - screen: the Tenants screen until its rows are drawn (bench/support/ui-load.ts, as bench/ui.ts).
 * Runs itself inside scripts/with-keychain.sh (listing instances asks the keychain which secrets exist).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { EsRegistryBackend, verifyChain } from '../main/services/registry';
import { buildApp, REPO_ROOT } from '../tests/e2e/support/build';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium';
import { fetchRequester, seedAudit } from '../tests/support/registry-seed';
import { benchCluster, es } from './support/cluster';
import { planFleet, removeFleets, removeFolders, seedFleet, subFleet, type Fleet } from './support/registry-fleet';
import { refreshSection, sizeSection, wireSection } from './support/registry-es';
import { growthSection, listSection, screenSection, type Builds } from './support/registry-measure';

const SECTIONS = ['size', 'list', 'growth', 'wire', 'refresh', 'screen'] as const;
const REFRESH_TARGET = 3;
const GROWTH_TARGET = 1.5;

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    runs: { type: 'string', default: '5' },
    audit: { type: 'string', default: '3000' },
    only: { type: 'string', default: SECTIONS.join(',') },
    quick: { type: 'boolean', default: false },
    'fleet-indices': { type: 'string', default: '1000' },
  },
});
const RUNS = values.quick ? 1 : Math.max(1, Number(values.runs));
const REFRESH_RUNS = values.quick ? 5 : 20;
/** Tenant indices made in the cluster for the refresh's verdict (an instance with its tenants). */
const FLEET_INDICES = Math.max(0, Number(values['fleet-indices']));
const AUDIT = Math.max(0, Number(values.audit));
const only = new Set(values.only!.split(','));
const want = (s: (typeof SECTIONS)[number]) => only.has(s);

const load = () => `load ${loadavg()[0]!.toFixed(1)}`;

async function main(): Promise<void> {
  if (process.env.TENANT_CONSOLE_KEYCHAIN_SESSION !== '1') {
    const again = spawnSync(
      'bash',
      [join(REPO_ROOT, 'scripts', 'with-keychain.sh'), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      { stdio: 'inherit' },
    );
    process.exit(again.status ?? 1);
  }
  const baseline = values.baseline;
  if (!baseline || !existsSync(join(baseline, 'package.json')))
    throw new Error(
      '--baseline <checkout>: a checkout of the build before the registry (git worktree add <dir> fd8ebbd, with node_modules).',
    );
  if (!existsSync(join(baseline, 'out', 'main', 'cli.js'))) {
    process.stdout.write(`Building the baseline (npm run build in ${baseline})…\n`);
    const built = spawnSync('npm', ['run', 'build'], { cwd: baseline, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`npm run build in ${baseline} failed (exit ${built.status})`);
  }
  process.stdout.write('Building the console (electron-vite build)…\n');
  buildApp();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TENANT_CONSOLE_KEYCHAIN_SERVICE: `tracardi-bench-registry-${process.pid}`,
    NO_COLOR: '1',
  };
  delete env.TENANT_CONSOLE_DATA_DIR;
  const b: Builds = { registry: REPO_ROOT, file: baseline, env, runs: RUNS };
  const cluster = await benchCluster('tenant-console-bench-registry');
  const esUrl = cluster.url;
  const run = randomBytes(3).toString('hex');
  const fleets: Fleet[] = [];
  let browser: Browser | null = null;
  const out: string[] = [];
  try {
    // Not GET /: the test distribution answers it only behind the tests' shim, and a throw-away
    // cluster is reached directly (bench/support/cluster.ts).
    const nodes = (await es(esUrl, 'GET', '/_nodes/_local?filter_path=nodes.*.version')).nodes as Record<
      string,
      { version: string }
    >;
    const version = Object.values(nodes)[0]?.version ?? '?';
    console.log(
      `Team registry bench, run ${run}: ${cpus().length} cores, ${load()} (${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}), Elasticsearch ${version} at ${esUrl}, baseline ${baseline}`,
    );
    // 50,000 on 5 instances; its first instance alone is the 10,000-tenant fleet.
    const many = planFleet('g50k', run, [10_000, 10_000, 10_000, 10_000, 10_000], esUrl);
    fleets.push(many);
    const one = subFleet('one10k', many, 1, esUrl);
    const t0 = performance.now();
    await seedFleet(esUrl, one);
    if (AUDIT > 0) {
      const scope = one.instances[0]!.suffix;
      await seedAudit(
        esUrl,
        scope,
        AUDIT,
        one.instances[0]!.records.map((r) => r.tenant),
      );
      // A chain the console would call broken measures nothing it keeps: check it as `audit verify` does.
      const chain = await verifyChain(new EsRegistryBackend(fetchRequester(esUrl)), scope, null);
      if (chain.problem || chain.entries !== AUDIT)
        throw new Error(
          `the seeded audit chain does not verify: ${JSON.stringify(chain.problem)}, ${chain.entries} entries`,
        );
    }
    console.log(
      `  seeded 10,000 tenants and ${AUDIT} audit entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (want('size')) out.push(...(await sizeSection(esUrl, one, AUDIT)));
    const five = planFleet('five2k', run, [2000, 2000, 2000, 2000, 2000], esUrl);
    const few = planFleet('g1k', run, [200, 200, 200, 200, 200], esUrl);
    fleets.push(five, few);
    const t1 = performance.now();
    if (want('list') || want('screen')) await seedFleet(esUrl, five);
    if (want('growth')) {
      await seedFleet(esUrl, few);
      await seedFleet(esUrl, { ...many, instances: many.instances.slice(1) });
    }
    console.log(`  seeded the other fleets in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    if (want('list')) out.push(...(await listSection(b, [one, five])));
    if (want('growth')) out.push(...(await growthSection(b, few, many, GROWTH_TARGET)));
    if (want('wire')) out.push(...(await wireSection(b, esUrl, one)));
    if (want('refresh'))
      out.push(
        ...(await refreshSection(b, esUrl, one, {
          runs: REFRESH_RUNS,
          target: REFRESH_TARGET,
          fleetIndices: FLEET_INDICES,
        })),
      );
    if (want('screen')) {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      out.push(...(await screenSection(b, browser, [one, five])));
    }
    console.log(`\n${out.join('\n')}\n(${load()} at the end)`);
  } finally {
    await browser?.close();
    const problems = await removeFleets(esUrl, fleets);
    if (problems.length) console.log(`CLEAN-UP PROBLEMS: ${problems.join('; ')}`);
    removeFolders();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/registry: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
