// Capacity snapshots against two real clusters: grouping by tenant, isolation per cluster, and the
// proof that "room for N" is what Elasticsearch then really allows (shard limit) and that the disk
// watermarks bind when they should. Cluster settings changed here are always reset.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacitySnapshot, TenantFootprint } from '../../shared/capacity/capacity';
import { indexName, partitionSuffix } from '../../shared/instances/index-naming';
import type { Instance } from '../../shared/instances/instance';
import { versionProfile } from '../../shared/instances/version-profiles';
import { CapacityService } from '../../main/services/capacity';
import { startCountingProxy } from '../support/counting-proxy';
import { startRewritingProxy } from '../support/rewriting-proxy';
import { createIndex, es, instance, ok, serviceFor, type EsReply } from '../support/capacity-fixture';

const run = randomBytes(3).toString('hex');
const t = (name: string) => `cap${run}${name}`; // tenant names unique to this run

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
    // The fixture's indices have 1 primary and no replica whatever their type: that is what the
    // snapshot measures (not the default 3/1/1), so a 0.9 tenant costs 12 shards and a 0.8.2 one 76.
    for (const s of [a!, b!]) {
      expect(s.layout.indexShards).toEqual({ value: 1, basis: 'measured' });
      expect(s.layout.confShards).toEqual({ value: 1, basis: 'measured' });
      expect(s.layout.replicas).toEqual({ value: 0, basis: 'measured' });
      expect(s.basis.shardsPerNewTenant).toEqual({ basis: 'measured', assumed: [] });
    }
    expect(a!.room.shardsPerNewTenant).toBe(12);
    expect(b!.room.shardsPerNewTenant).toBe(76);
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
      // A new tenant as the snapshot's layout says it costs (the fixture's 1-shard indices).
      const install = (tenant: string) =>
        (['staging', 'production'] as const).flatMap((context) =>
          profile.partitionedTypes.map((type) => ({
            name: indexName(tenant, '0.9.x', context, type, partitionSuffix(type, '0.9.x', new Date())),
            shards: profile.indexShardTypes.includes(type)
              ? before.layout.indexShards.value
              : before.layout.confShards.value,
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

describe('per-index sizes on their own cadence', () => {
  it('three requests on a steady refresh, four when the sizes expire or indices come or go, six when the cluster facts are due too; counted at the wire', async () => {
    const proxy = await startCountingProxy(urlB);
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const inst = instance('cap-sizes', proxy.url, '0.8.x');
    const summary = { instance: inst, tlsVerifyOff: false, warnings: [] };
    const svc = new CapacityService({
      instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
      clock: { now: () => clock },
      sizesTtlMs: 60_000,
    });
    const take = async () => {
      proxy.reset();
      const s = ok(await svc.snapshot('cap-sizes'));
      // the service's own meter and the wire agree (bytes: the body bytes the proxy sent back)
      expect(s.cost.requests).toBe(proxy.count());
      expect(s.cost.bytesReceived).toBe(proxy.bytes());
      return s;
    };
    const extra = `0820.${t('sz')}.tracardi-event-2026-11`;
    try {
      const first = await take();
      expect([first.cost.requests, first.sizes.reason, first.sizes.ageMs]).toEqual([6, 'first', 0]);
      const docsBefore = mine(first).get(t('b1'))!.docs;

      // Docs written since: a steady refresh does not see them (the sizes are cached) and says how old they are.
      const b = await es(urlB, 'POST', `/0820.${t('b1')}.tracardi-event-2026-1/_doc?refresh=true`, { n: 99 });
      expect(b.status).toBe(201);
      clock += 30_000;
      const steady = await take();
      expect([steady.cost.requests, steady.sizes.reason, steady.sizes.ageMs]).toEqual([3, 'cached', 30_000]);
      expect(steady.sizes.readAt).toBe(first.sizes.readAt);
      expect(mine(steady).get(t('b1'))!.docs).toBe(docsBefore);

      // A new index: health lists it, so the sizes are read again at once.
      expect((await createIndex(urlB, extra)).status).toBe(200);
      created.push([urlB, extra]);
      const changed = await take();
      expect([changed.cost.requests, changed.sizes.reason, changed.sizes.ageMs]).toEqual([4, 'indices-changed', 0]);
      expect(mine(changed).get(t('b1'))!.docs).toBe(docsBefore + 1);
      expect(mine(changed).has(t('sz'))).toBe(true);

      clock += 30_000;
      expect((await take()).sizes.reason).toBe('cached');
      // An index deleted counts as a change too.
      expect((await es(urlB, 'DELETE', `/${extra}`)).status).toBe(200);
      const removed = await take();
      expect([removed.cost.requests, removed.sizes.reason]).toEqual([4, 'indices-changed']);
      expect(mine(removed).has(t('sz'))).toBe(false);

      clock += 60_000;
      const expired = await take();
      expect([expired.cost.requests, expired.sizes.reason]).toEqual([4, 'expired']);

      // Ten minutes on, the cluster facts (UUID, node versions) and the settings defaults are read again too.
      clock += 10 * 60_000;
      const factsDue = await take();
      expect([factsDue.cost.requests, factsDue.sizes.reason]).toEqual([6, 'expired']);
      expect(factsDue.cluster.uuid).toBe(first.cluster.uuid);
    } finally {
      await svc.close();
      await proxy.stop();
    }
  });
});

describe('cluster facts: read once, again when a node restarts', () => {
  it('a steady refresh asks neither the cluster UUID nor the node versions; a node that restarted (a rolling upgrade) has them and the settings defaults read again at once', async () => {
    // Elasticsearch cannot be restarted on another version inside a test: the proxy makes its real
    // replies say so. Nodes stats: each node's clock a minute later for the same uptime (it started a
    // minute later); nodes info: another version.
    let restarted = false;
    const proxy = await startRewritingProxy(urlB, [
      {
        matches: (path) => path.startsWith('/_nodes/stats'),
        rewrite: (body) => {
          if (!restarted) return;
          for (const node of Object.values(body.nodes as Record<string, { timestamp?: number }>))
            if (node.timestamp !== undefined) node.timestamp += 60_000;
        },
      },
      {
        matches: (path) => path.startsWith('/_nodes/_all'),
        rewrite: (body) => {
          if (!restarted) return;
          for (const node of Object.values(body.nodes as Record<string, { version: string }>)) node.version = '8.99.0';
        },
      },
    ]);
    const svc = serviceFor([instance('cap-facts', proxy.url, '0.8.x')]);
    const asked = () =>
      proxy
        .paths()
        .map((p) => (p.includes('include_defaults=true') ? `${p.split('?')[0]} (with defaults)` : p.split('?')[0]))
        .sort();
    try {
      const first = ok(await svc.snapshot('cap-facts'));
      expect(first.cost.requests).toBe(6);
      proxy.reset();
      const steady = ok(await svc.snapshot('cap-facts'));
      expect(asked()).toEqual(['/_cluster/health', '/_cluster/settings', '/_nodes/stats/fs,jvm']);
      expect([steady.cluster.uuid, steady.cluster.version]).toEqual([first.cluster.uuid, first.cluster.version]);

      restarted = true;
      proxy.reset();
      const upgraded = ok(await svc.snapshot('cap-facts'));
      expect(asked()).toEqual([
        '/_cluster/health',
        '/_cluster/settings',
        '/_cluster/settings (with defaults)',
        '/_cluster/state/version',
        '/_nodes/_all/_none',
        '/_nodes/stats/fs,jvm',
      ]);
      expect(upgraded.cost.requests).toBe(6);
      expect(upgraded.cluster.version).toBe('8.99.0');
      expect(upgraded.cluster.uuid).toBe(first.cluster.uuid);

      // The restarted node's new start is the one remembered: the next refresh is steady again.
      proxy.reset();
      const after = ok(await svc.snapshot('cap-facts'));
      expect(after.cost.requests).toBe(3);
      expect(after.cluster.version).toBe('8.99.0');
    } finally {
      await svc.close();
      await proxy.stop();
    }
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
