import { describe, expect, it } from 'vitest';
import { instanceSchema } from '../../../shared/instances/instance';
import { formatSnapshot } from '../../../main/cli/commands/capacity';
import {
  buildSnapshot,
  effectiveSettings,
  flattenSettings,
  groupIndices,
  lowestVersion,
  defaultsAfterChange,
  explicitKeys,
  joinIndexRows,
  type IndexRow,
  type RawCapacity,
} from '../../../main/services/capacity';

const row = (index: string, pri: number, rep: number, docs = 0, storeBytes = 0, status = 'open'): IndexRow => ({
  index,
  status,
  pri,
  rep,
  docs,
  storeBytes,
});

const instance = instanceSchema.parse({
  id: 'eu1',
  name: 'EU 1',
  environment: 'production',
  apiUrl: 'https://api.eu1.example.com',
  tenantDomainSuffix: 'eu1.example.com',
  tracardiVersion: '0.9.x',
  tmsUrl: 'https://tms.eu1.example.com',
  es: { nodes: ['http://127.0.0.1:9200'] },
});

describe('groupIndices', () => {
  const rows: IndexRow[] = [
    row('09x.acme.tracardi-event-2026-q1', 3, 1, 100, 1000),
    row('prod-09x.acme.tracardi-event-2026-q1', 3, 1, 50, 500),
    row('09x.acme.tracardi-field-update-log-2026-3', 1, 1, 1, 10),
    // the same tenant's leftovers of 0.8.2, static context included
    row('0820.acme.tracardi-user', 1, 1, 2, 20),
    row('static-0820.acme.tracardi-bridge', 1, 0, 0, 5),
    // a tenant of the other version only
    row('prod-0820.old.tracardi-event-2026-1', 3, 1, 7, 70),
    // not tenants
    row('.kibana_1', 1, 0, 3, 300),
    row('09x.acme.tracardi-event', 1, 0), // the bare 0.9 name is an alias, not an index
    row('logs-2026', 2, 1, 9, 900),
    // closed: belongs to the tenant, holds no open shards
    row('09x.beta.tracardi-log-2026-2', 3, 1, 0, 0, 'close'),
  ];

  it('groups both versions and every context under the tenant', () => {
    const g = groupIndices(rows, '0.9.x');
    expect(g.tenants.map((t) => t.tenant)).toEqual(['acme', 'beta', 'old']);
    expect(g.tenants[0]).toEqual({
      tenant: 'acme',
      version: '0.9.x',
      indices: 5,
      primaryShards: 3 + 3 + 1 + 1 + 1,
      totalShards: 6 + 6 + 2 + 2 + 1,
      docs: 153,
      storeBytes: 1535,
    });
  });

  it('keeps the other version for a tenant that has nothing of the instance version', () => {
    const g = groupIndices(rows, '0.9.x');
    expect(g.tenants.find((t) => t.tenant === 'old')).toMatchObject({ version: '0.8.x', indices: 1, totalShards: 6 });
  });

  it('counts non-tenant indices apart', () => {
    expect(groupIndices(rows, '0.9.x').otherIndices).toBe(3);
  });

  it('counts open shards as Elasticsearch does: open indices only, primaries × (1 + replicas)', () => {
    const g = groupIndices(rows, '0.9.x');
    const all = rows.filter((r) => r.status === 'open').reduce((n, r) => n + r.pri * (1 + r.rep), 0);
    expect(g.openShards).toBe(all);
    expect(g.tenants.find((t) => t.tenant === 'beta')).toMatchObject({ indices: 1, totalShards: 6 });
  });
});

describe('effectiveSettings', () => {
  it('reads nested and dotted keys, transient over persistent over defaults', () => {
    const s = effectiveSettings({
      defaults: {
        cluster: {
          max_shards_per_node: '1000',
          routing: {
            allocation: {
              disk: {
                threshold_enabled: 'true',
                watermark: { low: '85%', high: '90%', flood_stage: '95%', 'low.max_headroom': '200GB' },
              },
            },
          },
        },
      },
      persistent: {
        cluster: { max_shards_per_node: '500', routing: { allocation: { disk: { watermark: { low: '80%' } } } } },
      },
      transient: { cluster: { max_shards_per_node: '300' } },
    });
    expect(s).toEqual({
      maxShardsPerNode: 300,
      thresholdEnabled: true,
      low: '80%',
      high: '90%',
      floodStage: '95%',
      lowMaxHeadroom: '200GB',
    });
  });

  it('falls back to Elasticsearch defaults when nothing is reported', () => {
    expect(effectiveSettings({})).toMatchObject({ maxShardsPerNode: 1000, low: '85%', high: '90%', floodStage: '95%' });
  });

  it('flattens objects whose keys hold dots', () => {
    expect(flattenSettings({ a: { 'b.c': 1, d: { e: 'x' } } })).toEqual({ 'a.b.c': '1', 'a.d.e': 'x' });
  });
});

describe('joinIndexRows', () => {
  it('takes shards from health (every index, closed too) and docs, bytes and state from the stats listing', () => {
    const rows = joinIndexRows(
      {
        cluster_name: 'c',
        status: 'yellow',
        indices: {
          open: { number_of_shards: 2, number_of_replicas: 1 },
          closed: { number_of_shards: 3, number_of_replicas: 0 },
          'new-since': { number_of_shards: 1, number_of_replicas: 0 },
        },
      },
      {
        indices: {
          open: { status: 'open', primaries: { docs: { count: 7 } }, total: { store: { size_in_bytes: 99 } } },
          closed: { status: 'close', primaries: { docs: { count: 0 } }, total: { store: { size_in_bytes: 5 } } },
        },
      },
    );
    expect(rows).toEqual([
      { index: 'open', status: 'open', pri: 2, rep: 1, docs: 7, storeBytes: 99 },
      { index: 'closed', status: 'close', pri: 3, rep: 0, docs: 0, storeBytes: 5 },
      { index: 'new-since', status: 'open', pri: 1, rep: 0, docs: 0, storeBytes: 0 },
    ]);
    expect(groupIndices(rows, '0.9.x').openShards).toBe(4 + 1);
  });
});

describe('cached settings defaults', () => {
  const WM = 'cluster.routing.allocation.disk.watermark';
  const defaults = { [`${WM}.low`]: '85%', [`${WM}.low.max_headroom`]: '200GB', [`${WM}.high.max_headroom`]: '-1' };

  it('drops the max_headroom default of a watermark set since (Elasticsearch makes it -1)', () => {
    const raw = { persistent: { cluster: { routing: { allocation: { disk: { watermark: { low: '80%' } } } } } } };
    expect(defaultsAfterChange(defaults, raw)[`${WM}.low.max_headroom`]).toBe('-1');
  });

  it('assumes no cap for a watermark removed since (unknown until the defaults are read again)', () => {
    expect(defaultsAfterChange(defaults, {})).not.toHaveProperty(`${WM}.high.max_headroom`);
  });

  it('notices any change of the explicit settings', () => {
    expect(explicitKeys({ transient: { a: { b: '1' } }, persistent: { c: '2' } })).toBe('a.b,c');
    expect(explicitKeys({})).toBe('');
  });
});

describe('lowestVersion', () => {
  it('picks the lowest of a mixed cluster numerically', () => {
    expect(lowestVersion(['8.19.2', '8.9.10', '8.10.0'])).toBe('8.9.10');
  });
});

describe('buildSnapshot', () => {
  const GB = 1024 ** 3;
  const raw = (version: string): RawCapacity => ({
    health: {
      cluster_name: 'c',
      status: 'green',
      indices: {
        '09x.t1.tracardi-event-2026-q1': { number_of_shards: 3, number_of_replicas: 1 },
        '09x.t2.tracardi-event-2026-q1': { number_of_shards: 3, number_of_replicas: 1 },
      },
    },
    state: { cluster_uuid: 'u' },
    nodesInfo: { nodes: { a: { version }, b: { version }, f: { version } } },
    nodesStats: {
      nodes: {
        a: node('a', ['data_hot', 'master'], 50),
        b: node('b', ['data'], 90),
        f: node('f', ['data_frozen'], 1),
      },
    },
    settings: {
      defaults: {
        cluster: {
          max_shards_per_node: '100',
          routing: {
            allocation: {
              disk: { threshold_enabled: 'true', watermark: { low: '85%', high: '90%', flood_stage: '95%' } },
            },
          },
        },
      },
    },
    indexStats: {
      indices: {
        '09x.t1.tracardi-event-2026-q1': {
          status: 'open',
          primaries: { docs: { count: 1 } },
          total: { store: { size_in_bytes: 4 * GB } },
        },
        '09x.t2.tracardi-event-2026-q1': {
          status: 'open',
          primaries: { docs: { count: 1 } },
          total: { store: { size_in_bytes: 2 * GB } },
        },
      },
    },
  });
  const node = (name: string, roles: string[], availableGb: number) => ({
    name,
    roles,
    fs: { total: { total_in_bytes: 100 * GB, available_in_bytes: availableGb * GB } },
    jvm: { mem: { heap_used_in_bytes: 1, heap_max_in_bytes: 2 } },
  });

  it('counts non-frozen data nodes for the limit and the disk, and computes the room', () => {
    const s = buildSnapshot(raw('8.19.2'), instance, {
      takenAt: 'now',
      cost: { requests: 6, bytesReceived: 1, durationMs: 1 },
    });
    expect(s.cluster.dataNodes).toBe(2);
    expect(s.shards).toEqual({ open: 12, limitPerNode: 100, limit: 200 });
    expect(s.tenants.map((t) => t.tenant)).toEqual(['t1', 't2']);
    // 2 data nodes: replicas 1, so a 0.9 tenant takes 32 × 2 shards; (200 − 12) / 64 = 2
    expect(s.room).toMatchObject({
      shardsPerNewTenant: 64,
      tenantsByShards: 2,
      bytesPerTenant: 3 * GB,
      bytesPerTenantSource: 'median',
    });
    // disk: a has 85 − 50 = 35 GB below low, b has 85 − 10 = 75 GB → 110 GB / 3 GB = 36 tenants
    expect(s.room.tenantsByDisk).toBe(36);
    expect(s.room.binding).toBe('shards');
    expect(s.nodes.find((n) => n.name === 'f')?.isData).toBe(false);
    expect(s.growth.monthsUntilShardLimit).not.toBeNull();
  });

  it("the tenants' own indices win over the instance's shard settings, which fill in what they do not show", () => {
    // The fixture holds event indices only (3 primaries, 1 replica): ELASTIC_INDEX_SHARDS and the
    // replicas are measured; no conf-shard index, so ELASTIC_CONF_INDEX_SHARDS comes from the settings.
    const skewed = instanceSchema.parse({ ...instance, footprint: { indexShards: 1, confShards: 2, replicas: 0 } });
    const s = buildSnapshot(raw('8.19.2'), skewed, {
      takenAt: '2026-02-10T00:00:00Z',
      cost: { requests: 6, bytesReceived: 1, durationMs: 1 },
    });
    expect(s.layout.indexShards).toEqual({ value: 3, basis: 'measured' });
    expect(s.layout.confShards).toEqual({ value: 2, basis: 'assumed' });
    expect(s.layout.replicas).toEqual({ value: 1, basis: 'measured' });
    // 0.9: (5 event-like types × 3 + field-update-log × 2) × 2 contexts = 34 primaries, × 2 copies
    expect(s.room.shardsPerNewTenant).toBe(68);
    expect(s.basis.shardsPerNewTenant).toEqual({ basis: 'partly measured', assumed: ['ELASTIC_CONF_INDEX_SHARDS 2'] });
    // event measured by quarter (2026-q1 covers 10 February); the five other types assumed
    expect(s.layout.partitions.find((p) => p.type === 'event')).toMatchObject({ period: 'quarter', basis: 'measured' });
    expect(s.basis.growth.basis).toBe('partly measured');
    expect(s.basis.bytesPerTenant).toEqual({ basis: 'measured', assumed: [] });

    // The CLI says the same, figure by figure.
    const text = formatSnapshot(s).join('\n');
    expect(text).toContain(
      'ELASTIC_INDEX_SHARDS 3 (measured), ELASTIC_CONF_INDEX_SHARDS 2 (assumed), replicas 1 (measured)',
    );
    expect(text).toContain('68 shards each, partly measured; assumed ELASTIC_CONF_INDEX_SHARDS 2');
    expect(text).toMatch(/periods {2}event quarter, entity quarter \(assumed\)/);
    expect(text).toMatch(
      /growth .* new primaries a month per tenant, .* \(partly measured; assumed ELASTIC_CONF_INDEX_SHARDS 2, entity by quarter/,
    );
  });

  it("with no tenant on the cluster, a new tenant's cost comes from the instance's settings", () => {
    const small = instanceSchema.parse({ ...instance, footprint: { indexShards: 1, confShards: 1, replicas: 0 } });
    const empty = raw('8.19.2');
    empty.health.indices = {};
    empty.indexStats.indices = {};
    const s = buildSnapshot(empty, small, { takenAt: 'now', cost: { requests: 6, bytesReceived: 1, durationMs: 1 } });
    // 0.9: 6 partitioned types × 2 contexts × 1 shard, no replicas
    expect(s.room.shardsPerNewTenant).toBe(12);
    expect(s.room.tenantsByShards).toBe(Math.floor(200 / 12));
    expect(s.basis.shardsPerNewTenant.basis).toBe('assumed');
    expect(s.basis.growth.basis).toBe('assumed');
    expect(s.growth.monthsUntilShardLimit).toBeNull(); // no tenants, nothing grows
  });

  it('refuses versions the console does not read', () => {
    expect(() =>
      buildSnapshot(raw('7.9.3'), instance, { takenAt: 'now', cost: { requests: 6, bytesReceived: 1, durationMs: 1 } }),
    ).toThrow(expect.objectContaining({ code: 'es-unsupported-version' }));
    expect(() =>
      buildSnapshot(raw('10.0.0'), instance, {
        takenAt: 'now',
        cost: { requests: 6, bytesReceived: 1, durationMs: 1 },
      }),
    ).toThrow(/not supported/);
  });
});
