// Capacity snapshots against two real clusters: grouping by tenant, isolation per cluster, and the
// proof that "room for N" is what Elasticsearch then really allows (shard limit) and that the disk
// watermarks bind when they should. Cluster settings changed here are always reset.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacityOutcome, CapacitySnapshot, TenantFootprint } from '../../shared/capacity';
import { indexName, partitionSuffix } from '../../shared/index-naming';
import { instanceSchema, type Instance, type TracardiVersion } from '../../shared/instance';
import { primaryShardsOfType, versionProfile } from '../../shared/version-profiles';
import { CapacityService } from '../../main/services/capacity';

const run = randomBytes(3).toString('hex');
const t = (name: string) => `cap${run}${name}`; // tenant names unique to this run

// Loose on purpose: tests read a few known fields of Elasticsearch replies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EsReply = { status: number; json: any };

async function es(base: string, method: string, path: string, body?: unknown): Promise<EsReply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers:
      body === undefined ? {} : { 'content-type': body instanceof Array ? 'application/x-ndjson' : 'application/json' },
    body:
      body === undefined
        ? undefined
        : body instanceof Array
          ? body.map((l) => JSON.stringify(l)).join('\n') + '\n'
          : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function createIndex(base: string, name: string, shards = 1): Promise<EsReply> {
  return es(base, 'PUT', `/${name}`, { settings: { number_of_shards: shards, number_of_replicas: 0 } });
}

function instance(id: string, url: string, version: TracardiVersion, extra: { timeoutMs?: number } = {}): Instance {
  return instanceSchema.parse({
    id,
    name: `Capacity ${id}`,
    environment: 'test',
    apiUrl: `https://api.${id}.example.com`,
    tenantDomainSuffix: `${id}.example.com`,
    tracardiVersion: version,
    tmsUrl: `https://tms.${id}.example.com`,
    es: { nodes: [url], timeoutMs: extra.timeoutMs ?? 10_000 },
  });
}

function serviceFor(instances: Instance[]): CapacityService {
  const summary = (instance: Instance) => ({ instance, tlsVerifyOff: false, warnings: [] });
  return new CapacityService({
    instances: {
      get: async (id) => summary(instances.find((i) => i.id === id)!),
      list: async () => instances.map(summary),
      resolveSecrets: async () => ({}),
    },
  });
}

function ok(outcome: CapacityOutcome): CapacitySnapshot {
  if (!outcome.ok) throw new Error(`snapshot failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.snapshot;
}

function mine(s: CapacitySnapshot): Map<string, TenantFootprint> {
  return new Map(s.tenants.filter((f) => f.tenant.startsWith(`cap${run}`)).map((f) => [f.tenant, f]));
}

let urlA: string;
let urlB: string;
let instA: Instance;
let instB: Instance;
let service: CapacityService;
const created: Array<[string, string]> = []; // [cluster, index]

// Fixture: on A (a 0.9.x instance) three tenants, one with 0.8.2 leftovers and one with 0.8.2 only;
// on B (a 0.8.x instance) two tenants with prod-, static- and staging names.
const FIXTURE: Record<'A' | 'B', Array<{ index: string; docs: number }>> = {
  A: [
    { index: `09x.${t('a1')}.tracardi-event-2026-q1`, docs: 3 },
    { index: `prod-09x.${t('a1')}.tracardi-event-2026-q1`, docs: 2 },
    { index: `09x.${t('a1')}.tracardi-field-update-log-2026-3`, docs: 0 },
    { index: `0820.${t('a1')}.tracardi-user`, docs: 1 },
    { index: `static-0820.${t('a1')}.tracardi-bridge`, docs: 0 },
    { index: `09x.${t('a2')}.tracardi-profile-2026-q2`, docs: 5 },
    { index: `prod-09x.${t('a2')}.tracardi-session-2026-q2`, docs: 0 },
    { index: `prod-0820.${t('a3')}.tracardi-event-2026-1`, docs: 4 },
  ],
  B: [
    { index: `0820.${t('b1')}.tracardi-event-2026-1`, docs: 2 },
    { index: `prod-0820.${t('b1')}.tracardi-event-2026-1`, docs: 1 },
    { index: `prod-0820.${t('b1')}.tracardi-flow`, docs: 0 },
    { index: `static-0820.${t('b1')}.tracardi-flow-action-plugins`, docs: 6 },
    { index: `0820.${t('b2')}.tracardi-profile-2026-2`, docs: 1 },
  ],
};

beforeAll(async () => {
  [urlA, urlB] = inject('esUrls') as [string, string];
  instA = instance('cap-a', urlA, '0.9.x');
  instB = instance('cap-b', urlB, '0.8.x');
  service = serviceFor([instA, instB]);
  await Promise.all(
    (['A', 'B'] as const).flatMap((c) =>
      FIXTURE[c].map(async ({ index, docs }) => {
        const base = c === 'A' ? urlA : urlB;
        const r = await createIndex(base, index);
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        created.push([base, index]);
        if (docs > 0) {
          const lines = Array.from({ length: docs }, (_, i) => [{ index: { _index: index } }, { n: i }]).flat();
          const b = await es(base, 'POST', '/_bulk?refresh=true', lines);
          expect(b.json.errors).toBe(false);
        }
      }),
    ),
  );
});

afterAll(async () => {
  await service?.close();
  // Delete in batches (URL length); our names only, never a wildcard over others' indices.
  for (let i = 0; i < created.length; i += 50) {
    const batch = created.slice(i, i + 50);
    for (const base of new Set(batch.map(([b]) => b))) {
      const names = batch.filter(([b]) => b === base).map(([, n]) => n);
      await es(base, 'DELETE', `/${names.join(',')}?ignore_unavailable=true`);
    }
  }
});

describe('snapshot of two clusters', () => {
  it('groups indices by tenant, per cluster, with both versions and every context', async () => {
    const [a, b] = (await service.snapshotAll()).map(ok);
    expect(a!.instanceId).toBe('cap-a');
    expect(a!.cluster.uuid).not.toBe(b!.cluster.uuid);

    const ta = mine(a!);
    expect([...ta.keys()].sort()).toEqual([t('a1'), t('a2'), t('a3')]);
    expect(ta.get(t('a1'))).toMatchObject({ version: '0.9.x', indices: 5, primaryShards: 5, totalShards: 5, docs: 6 });
    expect(ta.get(t('a2'))).toMatchObject({ version: '0.9.x', indices: 2, primaryShards: 2, totalShards: 2, docs: 5 });
    expect(ta.get(t('a3'))).toMatchObject({ version: '0.8.x', indices: 1, primaryShards: 1, totalShards: 1, docs: 4 });
    for (const f of ta.values()) expect(f.storeBytes).toBeGreaterThan(0);

    const tb = mine(b!);
    expect([...tb.keys()].sort()).toEqual([t('b1'), t('b2')]);
    expect(tb.get(t('b1'))).toMatchObject({ version: '0.8.x', indices: 4, primaryShards: 4, totalShards: 4, docs: 9 });
    expect(tb.get(t('b2'))).toMatchObject({ version: '0.8.x', indices: 1, primaryShards: 1, totalShards: 1, docs: 1 });

    // The same fixed requests on both, whatever each holds.
    expect(a!.cost.requests).toBe(6);
    expect(b!.cost.requests).toBe(6);
    expect(a!.cost.bytesReceived).toBeGreaterThan(0);
    // A single data node: Tracardi creates no replicas, so a 0.9 tenant is 32 shards and a 0.8.2 one 104.
    expect(a!.room.shardsPerNewTenant).toBe(32);
    expect(b!.room.shardsPerNewTenant).toBe(104);
  });
});

describe('room for N is what Elasticsearch then allows', () => {
  // Some 35 index creations, one cluster-state update each: slow on a busy 2-core machine.
  it(
    'lowering cluster.max_shards_per_node to leave room for 2: two tenants install, the third does not',
    { timeout: 240_000 },
    async () => {
      const before = ok(await service.snapshot('cap-a'));
      const perTenant = before.room.shardsPerNewTenant;
      const dataNodes = before.cluster.dataNodes;
      // Headroom = 2 tenants and almost a third (perTenant − 1 spare shards), so floor() matters.
      const perNode = Math.floor((before.shards.open + 3 * perTenant - 1) / dataNodes);
      const profile = versionProfile('0.9.x');
      const install = (tenant: string) =>
        (['staging', 'production'] as const).flatMap((context) =>
          profile.partitionedTypes.map((type) => ({
            name: indexName(tenant, '0.9.x', context, type, partitionSuffix(type, '0.9.x', new Date())),
            shards: primaryShardsOfType('0.9.x', type),
          })),
        );

      await es(urlA, 'PUT', '/_cluster/settings', { persistent: { 'cluster.max_shards_per_node': perNode } });
      try {
        const limited = ok(await service.snapshot('cap-a'));
        expect(limited.shards.limit).toBe(perNode * dataNodes);
        expect(limited.room.tenantsByShards).toBe(2);
        expect(limited.room.room).toBe(2);
        expect(limited.room.binding).toBe('shards');

        for (const tenant of [t('n1'), t('n2')]) {
          const results = await Promise.all(
            install(tenant).map(async (ix) => {
              const r = await createIndex(urlA, ix.name, ix.shards);
              if (r.status === 200) created.push([urlA, ix.name]);
              return r;
            }),
          );
          expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
        }
        const full = ok(await service.snapshot('cap-a'));
        expect(full.room.room).toBe(0);
        expect(full.shards.open).toBe(limited.shards.open + 2 * perTenant);

        // The third tenant: indices one after the other until Elasticsearch refuses.
        let refusal: EsReply['json'] = null;
        let createdShards = 0;
        for (const ix of install(t('n3'))) {
          const r = await createIndex(urlA, ix.name, ix.shards);
          if (r.status === 200) {
            created.push([urlA, ix.name]);
            createdShards += ix.shards;
            continue;
          }
          refusal = r.json;
          break;
        }
        // On shared dev clusters another run may reset the limit meanwhile: say so rather than blame the model.
        const now = await es(urlA, 'GET', '/_cluster/settings?filter_path=persistent.cluster.max_shards_per_node');
        expect(
          String(now.json?.persistent?.cluster?.max_shards_per_node),
          'another process changed the shard limit',
        ).toBe(String(perNode));
        expect(refusal, 'Elasticsearch accepted a whole third tenant').not.toBeNull();
        const reason = String(refusal?.error?.reason);
        expect(reason).toMatch(/maximum normal shards open/);
        // Elasticsearch's own count of open shards is the snapshot's.
        const [, current, limit] = /currently has \[(\d+)\]\/\[(\d+)\]/.exec(reason) ?? [];
        expect(Number(current)).toBe(full.shards.open + createdShards);
        expect(Number(limit)).toBe(full.shards.limit);
        expect(createdShards).toBeLessThan(perTenant);
      } finally {
        await es(urlA, 'PUT', '/_cluster/settings', { persistent: { 'cluster.max_shards_per_node': null } });
      }
    },
  );

  it('a low watermark just above the free space makes disk the binding limit', async () => {
    const before = ok(await service.snapshot('cap-b'));
    const node = before.nodes.find((n) => n.isData)!;
    expect(before.room.bytesPerTenantSource).toBe('median');
    const avail = node.diskAvailableBytes;
    const GB = 1024 ** 3;
    // Absolute watermarks are free-space values and must all be absolute: low demands more free
    // space than there is; high and flood stay far from tripping.
    await es(urlB, 'PUT', '/_cluster/settings', {
      persistent: {
        'cluster.routing.allocation.disk.watermark.low': `${avail + GB}b`,
        'cluster.routing.allocation.disk.watermark.high': `${Math.floor(avail / 2)}b`,
        'cluster.routing.allocation.disk.watermark.flood_stage': `${Math.floor(avail / 4)}b`,
      },
    });
    try {
      const s = ok(await service.snapshot('cap-b'));
      expect(s.watermarks.low).toBe(`${avail + GB}b`);
      const n = s.nodes.find((x) => x.id === node.id)!;
      expect(n.watermarks.lowUsedBytes).toBe(n.diskTotalBytes - (avail + GB));
      expect(n.diskUsedBytes).toBeGreaterThan(n.watermarks.lowUsedBytes);
      expect(s.room.diskHeadroomBytes).toBe(0);
      expect(s.room.tenantsByDisk).toBe(0);
      expect(s.room.tenantsByShards).toBeGreaterThan(0);
      expect(s.room.binding).toBe('disk');
      expect(s.room.room).toBe(0);
    } finally {
      await es(urlB, 'PUT', '/_cluster/settings', {
        persistent: {
          'cluster.routing.allocation.disk.watermark.low': null,
          'cluster.routing.allocation.disk.watermark.high': null,
          'cluster.routing.allocation.disk.watermark.flood_stage': null,
        },
      });
    }
    const after = ok(await service.snapshot('cap-b'));
    expect(after.watermarks.low).toBe(before.watermarks.low);
  });
});

describe('snapshotAll with a dead and a slow instance', () => {
  it('answers the healthy instance without waiting for the others, each bounded by its own timeout', async () => {
    // Slow: accepts connections and never answers. Dead: a port nothing listens on.
    const sockets = new Set<net.Socket>();
    const slow = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const slowPort = (slow.address() as net.AddressInfo).port;
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));

    const slowTimeout = 1500;
    const insts = [
      instance('slow', `http://127.0.0.1:${slowPort}`, '0.9.x', { timeoutMs: slowTimeout }),
      instance('dead', `http://127.0.0.1:${deadPort}`, '0.9.x', { timeoutMs: 30_000 }),
      instance('healthy', urlA, '0.9.x', { timeoutMs: 10_000 }),
    ];
    const svc = serviceFor(insts);
    const arrivals: Record<string, number> = {};
    const start = performance.now();
    try {
      const outcomes = await svc.snapshotAll(undefined, {
        onResult: (o) => (arrivals[o.ok ? o.snapshot.instanceId : o.instanceId] = performance.now() - start),
      });
      const total = performance.now() - start;
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['es-timeout', 'es-refused', 'ok']);
      // Behaviour, not speed (bench/ measures speed): the healthy and the dead one are reported
      // before the slow one, which is reported only once its own timeout has passed.
      expect(arrivals.healthy!).toBeLessThan(arrivals.slow!);
      expect(arrivals.dead!).toBeLessThan(arrivals.slow!);
      expect(arrivals.slow!).toBeGreaterThanOrEqual(slowTimeout - 50);
      expect(total).toBeGreaterThanOrEqual(arrivals.slow!);
      expect(sockets.size).toBeGreaterThan(0); // the slow server really was asked
    } finally {
      await svc.close();
      for (const s of sockets) s.destroy();
      slow.close();
    }
  });
});
