/**
 * Capacity snapshot cost: requests, bytes and time per snapshot at 10 tenants / 200 indices and at
 * 50 tenants / 1,000 indices, next to a single GET _cluster/health measured in the same run.
 *
 *   npx tsx bench/capacity.ts            # starts a throw-away cluster (tests/support/elasticsearch.ts)
 *   TEST_ES_URL=http://127.0.0.1:9200 npx tsx bench/capacity.ts   # or uses yours (cleaned up after)
 *
 * Targets: the same number of requests at both sizes; snapshot time under 5× one health call.
 */
import { randomBytes } from 'node:crypto';
import { instanceSchema } from '../shared/instance';
import { indexName } from '../shared/index-naming';
import { versionProfile } from '../shared/version-profiles';
import { CapacityService, SNAPSHOT_REQUESTS } from '../main/services/capacity';
import { createEsClient, createMeter, meteredRequest } from '../main/services/es-client';
import { startElasticsearch } from '../tests/support/elasticsearch';

const RUNS = 20;
const WARMUP = 3;
const INDICES_PER_TENANT = 20;

async function es(base: string, method: string, path: string, body?: string, type = 'application/json') {
  const res = await fetch(`${base}${path}`, { method, headers: body ? { 'content-type': type } : {}, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

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

/** Create the indices with one auto-creating bulk request (one doc each): far faster than 1,000 PUTs. */
async function createIndices(base: string, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 100) {
    const lines = names
      .slice(i, i + 100)
      .flatMap((n) => [JSON.stringify({ index: { _index: n } }), JSON.stringify({ tenant: n.split('.')[1] })]);
    const r = await es(base, 'POST', '/_bulk?refresh=true&timeout=5m', `${lines.join('\n')}\n`, 'application/x-ndjson');
    if (r.errors) {
      const items = r.items as Array<{ index: { error?: { reason?: string } } }>;
      const first = items.find((it) => it.index.error)?.index.error?.reason;
      throw new Error(`bulk index creation failed: ${first}`);
    }
  }
}

async function main(): Promise<void> {
  const external = process.env.TEST_ES_URL?.replace(/\/+$/, '');
  const cluster = external
    ? { url: external, stop: async () => {} }
    : await startElasticsearch({ name: 'tenant-console-bench' });
  const base = cluster.url;
  const run = randomBytes(2).toString('hex');
  const template = `tenant-console-bench-${run}`;
  const created: string[] = [];
  const before = await es(base, 'GET', '/_cluster/settings?filter_path=persistent.cluster.max_shards_per_node');
  const previousLimit =
    (before.persistent as { cluster?: { max_shards_per_node?: string } } | undefined)?.cluster?.max_shards_per_node ??
    null;

  const instance = instanceSchema.parse({
    id: 'bench',
    name: 'Bench',
    environment: 'test',
    apiUrl: 'https://api.bench.example.com',
    tenantDomainSuffix: 'bench.example.com',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.bench.example.com',
    es: { nodes: [base] },
  });
  const summary = { instance, tlsVerifyOff: false, warnings: [] };
  const service = new CapacityService({
    instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
  });
  const healthClient = await createEsClient(instance, {});

  try {
    // One shard, no replicas for every bench index; 1,000 of them need a higher shard limit.
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
    for (const target of [10, 50]) {
      const names = [];
      for (; tenants < target; tenants++) names.push(...tenantIndices(`b${run}t${String(tenants).padStart(2, '0')}`));
      const t0 = performance.now();
      created.push(...names); // before creating: a partial failure is cleaned up too
      await createIndices(base, names);
      const setupS = ((performance.now() - t0) / 1000).toFixed(1);

      const snapMs: number[] = [];
      const healthMs: number[] = [];
      let requests = 0;
      let bytes = 0;
      let seenTenants = 0;
      let seenIndices = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        // Interleaved so both see the same cluster load.
        const s0 = performance.now();
        const outcome = await service.snapshot('bench');
        const s1 = performance.now();
        const meter = createMeter();
        await healthClient.transport.request({ method: 'GET', path: '/_cluster/health' }, meteredRequest(meter));
        const h1 = performance.now();
        if (!outcome.ok) throw new Error(`snapshot failed: ${outcome.error.message}`);
        if (i < WARMUP) continue;
        snapMs.push(s1 - s0);
        healthMs.push(h1 - s1);
        requests = outcome.snapshot.cost.requests;
        bytes = outcome.snapshot.cost.bytesReceived;
        const ours = outcome.snapshot.tenants.filter((t) => t.tenant.startsWith(`b${run}`));
        seenTenants = ours.length;
        seenIndices = ours.reduce((n, t) => n + t.indices, 0);
      }
      const snap = median(snapMs);
      const health = median(healthMs);
      rows.push(
        [
          `${String(seenTenants).padStart(3)} tenants`,
          `${String(seenIndices).padStart(5)} indices`,
          `${requests} requests/snapshot`,
          `${String(bytes).padStart(7)} bytes received/snapshot`,
          `snapshot median ${snap.toFixed(1).padStart(6)} ms`,
          `health median ${health.toFixed(1).padStart(5)} ms`,
          `ratio ${(snap / health).toFixed(2)}x`,
          `(setup ${setupS} s, ${RUNS} runs)`,
        ].join('  '),
      );
      console.log(rows[rows.length - 1]);

      // Where the time goes: each request alone, one after the other (same options as the service).
      const parts: string[] = [];
      for (const [name, r] of Object.entries(SNAPSHOT_REQUESTS)) {
        const times: number[] = [];
        const meter = createMeter();
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          await healthClient.transport.request(
            { method: 'GET', path: r.path, querystring: r.querystring },
            { ...meteredRequest(meter), headers: { 'accept-encoding': 'gzip' } },
          );
          times.push(performance.now() - t0);
        }
        parts.push(`${name} ${median(times).toFixed(1)} ms/${Math.round(meter.bytesReceived / RUNS)} B`);
      }
      console.log(`    each alone (median): ${parts.join(', ')}`);
    }
  } finally {
    await service.close();
    await healthClient.close();
    // Names, never wildcards (destructive_requires_name), 40 per request (4 KB URL line limit).
    for (let i = 0; i < created.length; i += 40) {
      await es(base, 'DELETE', `/${created.slice(i, i + 40).join(',')}?ignore_unavailable=true`).catch(() => undefined);
    }
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
