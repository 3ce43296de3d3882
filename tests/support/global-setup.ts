// vitest globalSetup for the integration project: two SEPARATE Elasticsearch clusters, started
// concurrently, handed to tests as `inject('esUrls')` (see inject.d.ts).
//   TEST_ES_URL    use this cluster as the first one instead of starting it
//   TEST_ES_URL_2  use this cluster as the second one (else it is started locally)
// It also builds the app first: the CLI specs run bin/tenantctl.mjs, i.e. the compiled out/main/cli.js,
// which must be the sources under test, not an older build (E2E_SKIP_BUILD=1: scripts/test-all.sh built it).
import type { TestProject } from 'vitest/node';
import { appBuilt, buildApp } from '../e2e/support/build';
import { startElasticsearch, type RunningElasticsearch } from './elasticsearch';

interface Cluster {
  url: string;
  stop(): Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.E2E_SKIP_BUILD !== '1' || !appBuilt()) buildApp();
  const started = Date.now();
  const run = `${process.pid}`;
  const results = await Promise.allSettled([
    cluster(process.env.TEST_ES_URL, `tracardi-test-${run}-a`),
    cluster(process.env.TEST_ES_URL_2, `tracardi-test-${run}-b`),
  ]);
  const clusters = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.all(clusters.map((c) => c.stop()));
    throw failures[0];
  }
  const urls = clusters.map((c) => c.url);
  console.log(
    `[global-setup] Elasticsearch clusters ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${urls.join(', ')}`,
  );
  project.provide('esUrls', urls);
  return async () => {
    await Promise.all(clusters.map((c) => c.stop()));
  };
}

async function cluster(externalUrl: string | undefined, name: string): Promise<Cluster> {
  if (!externalUrl) {
    const es: RunningElasticsearch = await startElasticsearch({ name });
    return es;
  }
  const url = externalUrl.replace(/\/+$/, '');
  await checkExternal(url);
  return { url, stop: async () => {} }; // not ours: never stopped
}

async function checkExternal(url: string): Promise<void> {
  const target = new URL('/_cluster/health', url);
  const headers: Record<string, string> = {};
  if (target.username) {
    const creds = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  try {
    const res = await fetch(target, { headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    throw new Error(
      `external Elasticsearch ${target.origin} does not answer /_cluster/health: ${(err as Error).message}`,
    );
  }
}
