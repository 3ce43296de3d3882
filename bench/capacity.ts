/**
 * Capacity snapshot cost at 1,000 and 3,000 indices (50 and 150 tenants × 20), next to one plain
 * GET _cluster/health measured in the same run, interleaved:
 * - steady: the refresh a user meets (the console keeps its client; per-index sizes cached), and
 * - cold: settings defaults and per-index sizes read on every snapshot, printed beside it; and
 * - dates: the creation-date request alone, for every tenant index (what an instance's first
 *   snapshot adds when the service keeps a history; later snapshots ask only for new names).
 * Requests and response bytes are counted AT THE WIRE by a counting proxy in front of Elasticsearch
 * and printed next to the service's own meter.
 *
 *   npx tsx bench/capacity.ts            # starts a throw-away cluster (tests/support/elasticsearch.ts)
 *   TEST_ES_URL=http://127.0.0.1:9200 npx tsx bench/capacity.ts   # or uses yours (cleaned up after)
 *
 * Target: a steady snapshot at most 3× one health call.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexName } from '../shared/index-naming';
import { versionProfile } from '../shared/version-profiles';
import { CapacityService, creationDatesRequest } from '../main/services/capacity';
import { HistoryStore } from '../main/services/history';
import { createEsClient, createMeter, meteredRequest } from '../main/services/es-client';
import { instance } from '../tests/support/capacity-fixture';
import { startCountingProxy, type CountingProxy } from '../tests/support/counting-proxy';
import { benchCluster, createIndices, deleteIndices, es, median } from './support/cluster';

const RUNS = 20;
const TARGET = 3;
const SIZES = [1000, 3000];
const WARMUP = 3;
const INDICES_PER_TENANT = 20;

/** INDICES_PER_TENANT 0.9 index names for a tenant: 6 types × 2 contexts × successive partitions. */
function tenantIndices(tenant: string): string[] {
  const types = versionProfile('0.9.x').partitionedTypes;
  const names: string[] = [];
  for (let i = 0; i < INDICES_PER_TENANT; i++) {
    const type = types[i % types.length]!;
    const context = Math.floor(i / types.length) % 2 === 0 ? 'staging' : 'production';
    const period = Math.floor(i / (2 * types.length));
    names.push(indexName(tenant, '0.9.x', context, type, `-2026-q${period + 1}`));
  }
  return names;
}

const HISTORY_DIR = mkdtempSync(join(tmpdir(), 'bench-capacity-history-'));
process.on('exit', () => rmSync(HISTORY_DIR, { recursive: true, force: true }));

/** A service over one instance; ttl 0 makes every snapshot a cold one (defaults and sizes read again). */
function serviceAt(id: string, url: string, ttlMs?: number): CapacityService {
  const summary = { instance: instance(id, url, '0.9.x', { timeoutMs: 60_000 }), tlsVerifyOff: false, warnings: [] };
  return new CapacityService({
    instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
    // As the console keeps it: every snapshot goes to the history (at most one sample a minute).
    history: new HistoryStore({ dir: HISTORY_DIR }),
    ...(ttlMs === undefined ? {} : { defaultsTtlMs: ttlMs, sizesTtlMs: ttlMs }),
  });
}

async function snap(service: CapacityService, id: string) {
  const outcome = await service.snapshot(id);
  if (!outcome.ok) throw new Error(`snapshot failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.snapshot;
}

/** One snapshot through the proxy: the service's meter next to what crossed the wire. */
async function wire(service: CapacityService, proxy: CountingProxy) {
  proxy.reset();
  const s = await snap(service, 'wire');
  return { meter: s.cost, wire: { requests: proxy.count(), bytes: proxy.bytes() }, reason: s.sizes.reason };
}

async function main(): Promise<void> {
  const cluster = await benchCluster('tenant-console-bench');
  const base = cluster.url;
  const run = randomBytes(2).toString('hex');
  const template = `tenant-console-bench-${run}`;
  const created: string[] = [];
  const before = await es(base, 'GET', '/_cluster/settings?filter_path=persistent.cluster.max_shards_per_node');
  const previousLimit =
    (before.persistent as { cluster?: { max_shards_per_node?: string } } | undefined)?.cluster?.max_shards_per_node ??
    null;

  const proxy = await startCountingProxy(base);
  const steady = serviceAt('bench', base); // the console's own settings: sizes and defaults cached
  const cold = serviceAt('bench', base, 0); // every snapshot reads defaults and sizes
  const healthClient = await createEsClient(instance('bench', base, '0.9.x', { timeoutMs: 60_000 }), {});

  try {
    // One shard, no replicas for every bench index; 3,000 of them need a higher shard limit.
    await es(
      base,
      'PUT',
      `/_index_template/${template}`,
      JSON.stringify({
        index_patterns: [`09x.b${run}*`, `prod-09x.b${run}*`],
        priority: 500,
        template: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
      }),
    );
    await es(
      base,
      'PUT',
      '/_cluster/settings',
      JSON.stringify({ persistent: { 'cluster.max_shards_per_node': 5000 } }),
    );

    const rows: string[] = [];
    let tenants = 0;
    for (const size of SIZES) {
      const names = [];
      for (; tenants < size / INDICES_PER_TENANT; tenants++)
        names.push(...tenantIndices(`b${run}t${String(tenants).padStart(3, '0')}`));
      const t0 = performance.now();
      created.push(...names); // before creating: a partial failure is cleaned up too
      await createIndices(base, names);
      const setupS = ((performance.now() - t0) / 1000).toFixed(1);

      // Wire counts: a fresh service through the proxy, its first (cold) snapshot then a steady one.
      const viaProxy = serviceAt('wire', proxy.url);
      const wireCold = await wire(viaProxy, proxy);
      const wireSteady = await wire(viaProxy, proxy);
      await viaProxy.close();

      const steadyMs: number[] = [];
      const coldMs: number[] = [];
      const healthMs: number[] = [];
      const datesMs: number[] = [];
      let indices = 0;
      let steadyReason = '';
      await snap(steady, 'bench'); // reads the new indices' sizes once (they came since the last size)
      for (let i = 0; i < WARMUP + RUNS; i++) {
        // Interleaved so all three see the same cluster load.
        const h0 = performance.now();
        await healthClient.transport.request(
          { method: 'GET', path: '/_cluster/health' },
          meteredRequest(createMeter()),
        );
        const s0 = performance.now();
        const s = await snap(steady, 'bench');
        const c0 = performance.now();
        await snap(cold, 'bench');
        const c1 = performance.now();
        await healthClient.transport.request(
          { method: 'GET', ...creationDatesRequest(null) },
          { ...meteredRequest(createMeter()), headers: { 'accept-encoding': 'gzip' } },
        );
        const d1 = performance.now();
        if (i < WARMUP) continue;
        datesMs.push(d1 - c1);
        healthMs.push(s0 - h0);
        steadyMs.push(c0 - s0);
        coldMs.push(c1 - c0);
        steadyReason = s.sizes.reason;
        indices = s.tenants.filter((t) => t.tenant.startsWith(`b${run}`)).reduce((n, t) => n + t.indices, 0);
      }
      const health = median(healthMs);
      const st = median(steadyMs);
      const co = median(coldMs);
      const count = (w: Awaited<ReturnType<typeof wire>>) =>
        `${w.wire.requests} req/${w.wire.bytes} B at the wire (meter ${w.meter.requests} req/${w.meter.bytesReceived} B)`;
      rows.push(
        [
          `${String(indices).padStart(5)} indices`,
          `health ${health.toFixed(1).padStart(5)} ms`,
          `STEADY ${st.toFixed(1).padStart(5)} ms = ${(st / health).toFixed(2)}x, ${count(wireSteady)}, sizes ${steadyReason}`,
          `| cold ${co.toFixed(1).padStart(5)} ms = ${(co / health).toFixed(2)}x, ${count(wireCold)}`,
          `| dates alone ${median(datesMs).toFixed(1)} ms = ${(median(datesMs) / health).toFixed(2)}x`,
          `(medians of ${RUNS}; setup ${setupS} s)`,
        ].join('  '),
      );
      console.log(rows[rows.length - 1]);
      if (wireSteady.wire.requests !== wireSteady.meter.requests || wireCold.wire.requests !== wireCold.meter.requests)
        console.log('    WARNING: the meter and the wire disagree on the request count');
      rows.push(`${st / health <= TARGET ? 'MET' : 'NOT MET'}`);
    }
    const verdicts = rows.filter((r) => r === 'MET' || r === 'NOT MET');
    console.log(
      `verdict (steady refresh ≤ ${TARGET}x one health call, at ${SIZES.join(' and ')} indices): ${verdicts.join(', ')}`,
    );
  } finally {
    await steady.close();
    await cold.close();
    await healthClient.close();
    await proxy.stop();
    await deleteIndices(base, created);
    await es(base, 'DELETE', `/_index_template/${template}`).catch(() => undefined);
    await es(
      base,
      'PUT',
      '/_cluster/settings',
      JSON.stringify({ persistent: { 'cluster.max_shards_per_node': previousLimit } }),
    );
    await cluster.stop();
  }
}

await main();
