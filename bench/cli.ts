/**
 * tenantctl start time: the compiled CLI (bin/tenantctl.mjs -> out/main/cli.js) against a bare
 * `node -e 0` measured in the same run, interleaved round by round so that both see the same load.
 *
 *   npx tsx bench/cli.ts [--runs 15]
 *
 * Measured (wall time of the whole process, or until the URL is printed for serve):
 *   node -e 0                      the floor: starting Node itself
 *   tenantctl --help               the registry only, no command module
 *   tenantctl derive <domain>      one small command module, no core
 *   tenantctl instances list       the core on an empty data folder (settings, no keychain, no ES client)
 *   tenantctl serve (URL printed)  the core, the handlers and the HTTP server, until it prints its URL
 * Targets: --help and derive at most 5x `node -e 0`, instances list at most 8x, serve ready under 1 s.
 * Builds the app first (electron-vite build), so the figures are for the sources as they are.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, REPO_ROOT } from '../tests/e2e/support/build';

const RUNS = argValue('--runs', 15);
const CLI = join(REPO_ROOT, 'bin', 'tenantctl.mjs');

function argValue(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Wall time of one process run to its exit; throws when it fails. */
function timeRun(args: string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** Time from spawning `tenantctl serve --json` until it prints its URL; then stops it. */
function timeServeReady(dataDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (!/"url"\s*:\s*"http/.test(out)) return;
      const ms = performance.now() - start;
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      if (!/"url"/.test(out)) reject(new Error(`tenantctl serve exited (${code}) before printing its URL: ${err}`));
    });
  });
}

interface Case {
  label: string;
  /** Limit: a multiple of `node -e 0`, or an absolute time in ms. */
  target: { times: number } | { ms: number };
  run(): Promise<number> | number;
}

async function main(): Promise<void> {
  process.stdout.write('Building (electron-vite build)…\n');
  buildApp();
  const dataDir = mkdtempSync(join(tmpdir(), 'tracardi-bench-cli-'));
  // An empty data folder and a keychain service nobody uses: nothing of the operator's is read.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TENANT_CONSOLE_KEYCHAIN_SERVICE: `tracardi-bench-cli-${process.pid}`,
    NO_COLOR: '1',
  };
  delete env.TENANT_CONSOLE_DATA_DIR;
  const cases: Case[] = [
    { label: 'node -e 0', target: { times: 1 }, run: () => timeRun(['-e', '0'], env) },
    { label: 'tenantctl --help', target: { times: 5 }, run: () => timeRun([CLI, '--help'], env) },
    {
      label: 'tenantctl derive company-x.tracardi.com',
      target: { times: 5 },
      run: () => timeRun([CLI, 'derive', 'company-x.tracardi.com'], env),
    },
    {
      label: 'tenantctl instances list (empty)',
      target: { times: 8 },
      run: () => timeRun([CLI, '--data-dir', dataDir, 'instances', 'list'], env),
    },
    { label: 'tenantctl serve (until URL)', target: { ms: 1000 }, run: () => timeServeReady(dataDir, env) },
  ];
  const samples = new Map<Case, number[]>(cases.map((c) => [c, []]));
  try {
    for (const c of cases) await c.run(); // warm the file cache once, unmeasured
    for (let round = 0; round < RUNS; round++) {
      for (const c of cases) samples.get(c)!.push(await c.run());
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const floor = median(samples.get(cases[0]!)!);
  console.log(
    `\ntenantctl start time: ${RUNS} runs each, interleaved; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `${'command'.padEnd(42)}${'median'.padStart(9)}${'p90'.padStart(9)}${'x node'.padStart(8)}  target    verdict`,
  );
  let failures = 0;
  for (const c of cases) {
    const values = samples.get(c)!;
    const med = median(values);
    const p90 = [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.9))]!;
    const ratio = med / floor;
    const ok = 'times' in c.target ? ratio <= c.target.times : med <= c.target.ms;
    const target = 'times' in c.target ? `<= ${c.target.times}x` : `< ${c.target.ms} ms`;
    if (c !== cases[0] && !ok) failures += 1;
    console.log(
      `${c.label.padEnd(42)}${`${med.toFixed(0)} ms`.padStart(9)}${`${p90.toFixed(0)} ms`.padStart(9)}${`${ratio.toFixed(1)}x`.padStart(8)}  ${(c === cases[0] ? '' : target).padEnd(10)}${c === cases[0] ? '' : ok ? 'met' : 'MISSED'}`,
    );
  }
  console.log(failures === 0 ? '\nverdict: every target met' : `\nverdict: ${failures} target(s) missed`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
