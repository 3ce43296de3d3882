// Playwright globalSetup for the UI specs: builds the app once, starts (or reuses) two real
// Elasticsearch clusters, and hands their URLs to the workers through the environment
// (E2E_ES_URLS, a JSON array). The returned function stops the clusters it started.
//   TEST_ES_URL / TEST_ES_URL_2   reuse running clusters instead (never stopped)
//   TEST_ES_START_TIMEOUT_MS      health wait of a started cluster (default 120000)
//   E2E_SKIP_BUILD=1              use out/ as it is (scripts/test-all.sh has just built it)
import { existsSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { startElasticsearch } from '../support/elasticsearch';
import { appBuilt, buildApp } from './support/build';
import { findElectronBinary } from './support/electron-binary';
import { CHROMIUM_PATH } from './support/chromium';

interface Cluster {
  url: string;
  stop(): Promise<void>;
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const log = (line: string): void => console.log(`[e2e setup] ${line}`);
  const names = new Set(config.projects.map((p) => p.name));

  if (process.env.TENANT_CONSOLE_KEYCHAIN_SESSION !== '1') {
    throw new Error(
      'The UI specs store secrets in the OS keychain: run them inside scripts/with-keychain.sh (npm run test:e2e, or npm test).',
    );
  }
  if (names.has('browser-shell') && !existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH} (E2E_CHROMIUM): install it with scripts/setup.sh.`);
  }

  if (process.env.E2E_SKIP_BUILD === '1' && appBuilt()) {
    log('E2E_SKIP_BUILD=1: using out/ as built.');
  } else {
    const t = Date.now();
    buildApp(); // throws (and fails the run) when main, preload, the CLI or the renderer do not build
    log(`built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  if (names.has('electron')) {
    const electron = findElectronBinary();
    // Said once here; every test of the project then skips with the same reason.
    if (!electron.ok)
      log(`electron project: its tests skip: ${electron.reason}; the same specs run under the browser shell.`);
  }

  const started = Date.now();
  const results = await Promise.allSettled([
    cluster(process.env.TEST_ES_URL, `tracardi-e2e-${process.pid}-a`),
    cluster(process.env.TEST_ES_URL_2, `tracardi-e2e-${process.pid}-b`),
  ]);
  const clusters = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(clusters.map((c) => c.stop()));
    throw failure.reason;
  }
  const urls = clusters.map((c) => c.url);
  log(`Elasticsearch clusters ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${urls.join(', ')}`);
  process.env.E2E_ES_URLS = JSON.stringify(urls);
  return async () => {
    await Promise.all(clusters.map((c) => c.stop()));
  };
}

async function cluster(externalUrl: string | undefined, name: string): Promise<Cluster> {
  if (!externalUrl) return startElasticsearch({ name });
  const url = externalUrl.replace(/\/+$/, '');
  const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(10_000) }).catch((err: unknown) => {
    throw new Error(`external Elasticsearch ${url} does not answer: ${(err as Error).message}`);
  });
  if (!res.ok) throw new Error(`external Elasticsearch ${url} answers /_cluster/health with HTTP ${res.status}`);
  return { url, stop: async () => {} }; // not ours: never stopped
}
