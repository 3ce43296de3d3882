// `npm run sandbox`: a local Elasticsearch (the same provisioning the tests use), the Tracardi + TMS
// simulator (0.9.x) on it, registered as the "Local sandbox" instance in its own data folder
// (.sandbox/), then the console: Electron where its binary exists, else the browser shell (URL
// printed). Ctrl-C stops everything it started. Runs inside scripts/with-keychain.sh (package.json),
// so the TMS API key goes to a private, throw-away keyring.
//
//   SANDBOX_ES_URL=http://127.0.0.1:9200 npm run sandbox   reuse a running cluster instead
//   SANDBOX_BROWSER=1 npm run sandbox                      browser shell even where Electron exists
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../main/core';
import { startElasticsearch, type RunningElasticsearch } from '../tests/support/elasticsearch';
import type { TmsSimulator, TracardiSimulator } from '../tests/simulator';
import { stopChild } from '../tests/support/child-process';
import { startSims } from '../tests/e2e/support/world';
import { buildApp, REPO_ROOT } from '../tests/e2e/support/build';
import { findElectronBinary } from '../tests/e2e/support/electron-binary';

const DATA_DIR = join(REPO_ROOT, '.sandbox');
const KEYCHAIN_SERVICE = 'tracardi-tenant-console-sandbox';
const SUFFIX = 'sandbox.test';
const RESOLVE = `*.${SUFFIX}=127.0.0.1`;

const log = (line: string): void => void process.stdout.write(`[sandbox] ${line}\n`);

let es: RunningElasticsearch | null = null;
let tms: TmsSimulator | null = null;
let tracardi: TracardiSimulator | null = null;
let consoleProcess: ChildProcess | null = null;
let stopping: Promise<void> | null = null;

/** Stops what was started, newest first; safe to call more than once. */
function stopAll(reason: string): Promise<void> {
  stopping ??= (async () => {
    log(`${reason}: stopping everything the sandbox started…`);
    if (consoleProcess) await stopChild(consoleProcess);
    await Promise.allSettled([tracardi?.stop(), tms?.stop()]);
    if (es) {
      await es.stop().catch(() => undefined);
      log('Elasticsearch stopped.');
    }
    log('Done.');
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    void stopAll(signal === 'SIGINT' ? 'Ctrl-C' : signal).then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  if (process.env.TENANT_CONSOLE_KEYCHAIN_SESSION !== '1') {
    log(
      `Not inside scripts/with-keychain.sh: the TMS API key goes to your own keychain (service ${KEYCHAIN_SERVICE}).`,
    );
  }
  const electron = process.env.SANDBOX_BROWSER === '1' ? null : findElectronBinary();

  // 1. The app, built from the sources as they are now (a couple of seconds): main, preload, CLI, renderer.
  log('Building the console (electron-vite build)…');
  buildApp();

  // 2. Elasticsearch: the tests' provisioning (or SANDBOX_ES_URL).
  let esUrl = process.env.SANDBOX_ES_URL?.replace(/\/+$/, '');
  if (esUrl) {
    log(`Using the Elasticsearch at ${esUrl} (SANDBOX_ES_URL).`);
  } else {
    log('Starting Elasticsearch 8.19 (a single-node test cluster; 30 s to 2 min)…');
    const t = Date.now();
    es = await startElasticsearch({ name: 'tracardi-sandbox' });
    esUrl = es.url;
    log(`Elasticsearch ready at ${esUrl} in ${((Date.now() - t) / 1000).toFixed(0)} s.`);
  }

  // 3. The simulated Tracardi 0.9 and its Tenant Management Service, on that cluster.
  const sims = await startSims(esUrl);
  ({ tms, tracardi } = sims);
  const { tmsApiKey } = sims;
  log(`Simulated Tracardi ${tracardi.profile.version} at ${tracardi.url}, its TMS at ${tms.url}.`);

  // 4. A fresh data folder with the "Local sandbox" instance (ports change every run).
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: KEYCHAIN_SERVICE };
  const core = await createCore({ dataDir: DATA_DIR, env, shell: 'cli' });
  await core.instances.add(
    {
      id: 'sandbox',
      name: 'Local sandbox',
      environment: 'development',
      colour: '#2e8b57',
      apiUrl: tracardi.url,
      guiUrlPattern: 'https://{label}-gui.{suffix}',
      tenantDomainSuffix: SUFFIX,
      tracardiVersion: '0.9.x',
      tmsUrl: tms.url,
      es: { nodes: [esUrl] },
      expectedAddresses: ['127.0.0.1'],
      footprint: { indexShards: 1, confShards: 1, replicas: 0 },
    },
    { 'tms-api-key': tmsApiKey },
  );
  log(`Registered the "Local sandbox" instance in ${DATA_DIR}.`);

  // 5. The console.
  const consoleEnv = { ...env, TENANT_CONSOLE_DATA_DIR: DATA_DIR };
  if (electron?.ok) {
    log('Opening the Electron console…');
    consoleProcess = spawn(electron.path, [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), REPO_ROOT], {
      cwd: REPO_ROOT,
      // The sandbox's tenant domains exist in no DNS: the same override as `serve --resolve`.
      env: { ...consoleEnv, TENANT_CONSOLE_RESOLVE: RESOLVE },
      stdio: 'inherit',
    });
    banner(null, started);
  } else {
    if (electron && !electron.ok) log(`${electron.reason}: opening the browser shell instead.`);
    consoleProcess = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'tenantctl.mjs'), '--data-dir', DATA_DIR, 'serve', '--json', '--resolve', RESOLVE],
      { cwd: REPO_ROOT, env: consoleEnv, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    banner(await readServeUrl(consoleProcess), started);
  }
  consoleProcess.once('exit', (code, signal) => {
    if (stopping) return;
    void stopAll(`The console exited (${signal ?? `code ${code}`})`).then(() => process.exit(code ?? 0));
  });
}

/** `tenantctl serve --json` prints {"url": …} (pretty-printed): read until it parses. */
function readServeUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      try {
        const url = (JSON.parse(out) as { url?: unknown }).url;
        if (typeof url === 'string') {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve(url);
        }
      } catch {
        // not complete yet
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`tenantctl serve exited (code ${code}) before printing its URL`)));
  });
}

function banner(url: string | null, started: number): void {
  const lines = [
    '',
    `Ready in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    url ? `Open the console: ${url}` : 'The Electron console is open.',
    '',
    'Walk the flow:',
    '  1. Fleet: the "Local sandbox" card shows its Elasticsearch capacity.',
    '  2. New tenant: type company-x (the name is derived live), an e-mail, Create tenant, then Reveal token.',
    '  3. Install the tenant as its customer would (paste the revealed token):',
    `     curl -sS -X POST ${tracardi?.url}/install -H 'Host: company-x.${SUFFIX}' -H 'Content-Type: application/json' \\`,
    `       -d '{"username":"admin@company-x.com","password":"sandbox-admin","token":"<TOKEN>","needs_admin":true}'`,
    '  4. Verify: Start verification: company-x shows installed.',
    '',
    `Data folder ${DATA_DIR} (recreated on every start). Ctrl-C stops everything.`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[sandbox] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll('Start-up failed').then(() => process.exit(1));
});
