/**
 * What each request of a capacity snapshot costs on its own, next to one plain GET _cluster/health,
 * on a cluster with 1,000 indices (50 tenants × 20, one shard each), and the steady refresh's requests
 * (health with its index listing, nodes stats, settings) and the former five (with cluster state and
 * nodes info) sent together with no service around them: what the request set itself costs before the
 * console does any work. docs/capacity.md ("Cluster facts") quotes its figures.
 *
 *   npx tsx bench/snapshot-requests.ts            # starts a throw-away cluster
 *   TEST_ES_URL=http://127.0.0.1:9200 npx tsx bench/snapshot-requests.ts   # or uses yours (cleaned up after)
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { SNAPSHOT_REQUESTS } from '../main/services/capacity';
import { benchCluster, createIndices, deleteIndices, es, median } from './support/cluster';

const RUNS = 25;
const WARMUP = 5;
const INDICES = 1000;

type Request = { path: string; querystring: Record<string, string> };

async function main(): Promise<void> {
  const cluster = await benchCluster('tenant-console-bench-requests');
  const base = cluster.url;
  const run = randomBytes(2).toString('hex');
  const prefix = `09x.r${run}`;
  const names = Array.from({ length: INDICES }, (_, i) => `${prefix}t${Math.floor(i / 20)}.tracardi-x${i % 20}`);
  try {
    await es(
      base,
      'PUT',
      `/_index_template/bench-requests-${run}`,
      JSON.stringify({
        index_patterns: [`${prefix}*`],
        priority: 500,
        template: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
      }),
    );
    await createIndices(base, names);

    const q = SNAPSHOT_REQUESTS;
    const alone: Record<string, Request> = {
      'plain health': { path: '/_cluster/health', querystring: {} },
      'health, level=indices (1)': q.health,
      'cluster state (2)': q.state,
      'nodes info (3)': q.nodesInfo,
      'nodes stats (4)': q.nodesStats,
      'settings (5)': q.settings,
      'settings with defaults (5)': q.settingsWithDefaults,
      'index stats (6)': q.indices,
    };
    const together: Record<string, Request[]> = {
      'steady: 1, 4, 5 together': [q.health, q.nodesStats, q.settings],
      'former steady: 1-5 together': [q.health, q.state, q.nodesInfo, q.nodesStats, q.settings],
    };
    const send = async (r: Request) => {
      const url = `${base}${r.path}?${new URLSearchParams(r.querystring).toString()}`;
      const res = await request(url, { headers: { 'accept-encoding': 'gzip' } });
      await res.body.arrayBuffer();
    };
    const times = new Map<string, number[]>();
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // Interleaved, so every figure sees the same cluster load.
      for (const [name, r] of Object.entries(alone)) {
        const t = performance.now();
        await send(r);
        if (i >= WARMUP) times.set(name, [...(times.get(name) ?? []), performance.now() - t]);
      }
      for (const [name, rs] of Object.entries(together)) {
        const t = performance.now();
        await Promise.all(rs.map(send));
        if (i >= WARMUP) times.set(name, [...(times.get(name) ?? []), performance.now() - t]);
      }
    }
    const health = median(times.get('plain health')!);
    process.stdout.write(`Snapshot requests at ${INDICES} indices, medians of ${RUNS} (interleaved):\n`);
    for (const [name, values] of times) {
      const m = median(values);
      process.stdout.write(`  ${name.padEnd(30)} ${m.toFixed(1).padStart(6)} ms  ${(m / health).toFixed(2)}x health\n`);
    }
  } finally {
    await deleteIndices(base, names);
    await es(base, 'DELETE', `/_index_template/bench-requests-${run}`).catch(() => undefined);
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/snapshot-requests: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
