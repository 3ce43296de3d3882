import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  groupByTenant,
  parseAliasName,
  parseIndexName,
  parsePartition,
  parseTemplateName,
} from '../../../shared/instances/index-naming';
import type { TracardiVersion } from '../../../shared/instances/instance';
import {
  VERSION_PROFILES,
  aliasName,
  expectedArtifacts,
  indexName,
  partitionSuffix,
  primaryShardsOfType,
  primaryShardsPerTenant,
  shardsPerNewTenant,
  templateName,
} from '../../../shared/instances/version-profiles';

const VERSIONS: TracardiVersion[] = ['0.8.x', '0.9.x'];
const NOV_2026 = new Date(Date.UTC(2026, 10, 15));
const MAR_2026 = new Date(Date.UTC(2026, 2, 1));

describe('version profiles: the contract table', () => {
  it('0.8.2 has 10 partitioned, 27 plain and 2 static types; 0.9 has 6 partitioned only', () => {
    const p8 = VERSION_PROFILES['0.8.x'];
    expect([p8.partitionedTypes.length, p8.plainTypes.length, p8.staticTypes.length]).toEqual([10, 27, 2]);
    expect(p8.dbVersion).toBe('0820');
    expect(p8.staticTypes).toEqual(['bridge', 'flow-action-plugins']);
    const p9 = VERSION_PROFILES['0.9.x'];
    expect([p9.partitionedTypes.length, p9.plainTypes.length, p9.staticTypes.length]).toEqual([6, 0, 0]);
    expect(p9.dbVersion).toBe('09x');
    expect([...p9.partitionedTypes].sort()).toEqual([
      'entity',
      'event',
      'field-update-log',
      'log',
      'profile',
      'session',
    ]);
  });

  it.each([
    ['0.8.x', 76, 20, 76],
    ['0.9.x', 12, 12, 12],
  ] as const)(
    '%s: one install creates %i indices, %i templates, %i aliases',
    (version, indices, templates, aliases) => {
      const a = expectedArtifacts('acme', version);
      expect(a.plainIndices.length + a.partitionedTypes.length).toBe(indices);
      expect(a.templates).toHaveLength(templates);
      expect(a.aliases).toHaveLength(aliases);
      // no duplicates: each is a distinct Elasticsearch object
      expect(new Set([...a.plainIndices, ...a.partitionedTypes.map((p) => p.indexPrefix)]).size).toBe(indices);
      expect(new Set(a.aliases).size).toBe(aliases);
      expect(new Set(a.templates).size).toBe(templates);
    },
  );

  it('primary shards per tenant with default settings: 104 (0.8.2) and 32 (0.9)', () => {
    expect(primaryShardsPerTenant('0.8.x')).toBe(104);
    expect(primaryShardsPerTenant('0.9.x')).toBe(32);
  });

  it('ELASTIC_INDEX_SHARDS applies to the event-like types, ELASTIC_CONF_INDEX_SHARDS to the rest', () => {
    expect(primaryShardsOfType('0.8.x', 'console-log')).toBe(3);
    expect(primaryShardsOfType('0.8.x', 'dispatch-log')).toBe(3);
    expect(primaryShardsOfType('0.9.x', 'field-update-log')).toBe(1);
    expect(primaryShardsOfType('0.8.x', 'flow', { confShards: 2 })).toBe(2);
    // 0.9: 5 types × 2 contexts × indexShards + 1 type × 2 contexts × confShards
    expect(primaryShardsPerTenant('0.9.x', { indexShards: 5, confShards: 2 })).toBe(54);
    // 0.8.2: 7 × 2 × 1 + 30 × 2 × 1 + 2 static
    expect(primaryShardsPerTenant('0.8.x', { indexShards: 1 })).toBe(76);
  });

  it('shards per new tenant count replicas, except on a single data node', () => {
    expect(shardsPerNewTenant('0.9.x', { dataNodes: 3 })).toBe(64);
    expect(shardsPerNewTenant('0.9.x', { dataNodes: 3, replicas: 2 })).toBe(96);
    expect(shardsPerNewTenant('0.9.x', { dataNodes: 1, replicas: 2 })).toBe(32);
    expect(shardsPerNewTenant('0.8.x', { dataNodes: 2 })).toBe(208);
  });

  it('refuses shard settings Elasticsearch would refuse', () => {
    expect(() => primaryShardsPerTenant('0.9.x', { indexShards: 0 })).toThrow(/ELASTIC_INDEX_SHARDS/);
    expect(() => shardsPerNewTenant('0.9.x', { dataNodes: 2, replicas: -1 })).toThrow(/REPLICAS/);
  });
});

describe('partition suffixes', () => {
  it('monthly without zero padding, quarterly as qN (0.9 defaults)', () => {
    expect(partitionSuffix('log', '0.9.x', NOV_2026)).toBe('-2026-11');
    expect(partitionSuffix('log', '0.9.x', MAR_2026)).toBe('-2026-3');
    expect(partitionSuffix('event', '0.9.x', NOV_2026)).toBe('-2026-q4');
    expect(partitionSuffix('profile', '0.9.x', MAR_2026)).toBe('-2026-q1');
  });

  it('0.8.2 defaults of tracardi/config.py: event and the logs monthly, profile/session/entity quarterly, item/user-log yearly', () => {
    const got = Object.fromEntries(
      VERSION_PROFILES['0.8.x'].partitionedTypes.map((t) => [t, partitionSuffix(t, '0.8.x', NOV_2026)]),
    );
    expect(got).toEqual({
      event: '-2026-11',
      log: '-2026-11',
      'console-log': '-2026-11',
      'dispatch-log': '-2026-11',
      'field-update-log': '-2026-11',
      profile: '-2026-q4',
      session: '-2026-q4',
      entity: '-2026-q4',
      item: '-2026-year',
      'user-log': '-2026-year',
    });
  });

  it('a daily period is spelled as 0.9 spells it; 0.8.2 cannot name one', () => {
    expect(partitionSuffix('event', '0.9.x', NOV_2026, { event: 'day' })).toBe(`-2026-11${NOV_2026.getUTCDate()}`);
    expect(() => partitionSuffix('event', '0.8.x', NOV_2026, { event: 'day' })).toThrow(/daily/);
  });

  it('follows an instance override of the period', () => {
    expect(partitionSuffix('event', '0.9.x', NOV_2026, { event: 'month' })).toBe('-2026-11');
    expect(partitionSuffix('log', '0.9.x', NOV_2026, { log: 'year' })).toBe('-2026-year');
  });

  it('uses the UTC date', () => {
    expect(partitionSuffix('log', '0.9.x', new Date('2026-11-30T23:30:00-05:00'))).toBe('-2026-12');
  });

  it('refuses a type that is not partitioned', () => {
    expect(() => partitionSuffix('flow', '0.8.x', NOV_2026)).toThrow(/not time-partitioned/);
  });
});

describe('names: the contract shapes', () => {
  it('0.8.2', () => {
    expect(indexName('acme', '0.8.x', 'production', 'event', '-2026-11')).toBe('prod-0820.acme.tracardi-event-2026-11');
    expect(indexName('acme', '0.8.x', 'static', 'bridge')).toBe('static-0820.acme.tracardi-bridge');
    expect(aliasName('acme', '0.8.x', 'staging', 'event')).toBe('acme.tracardi-event');
    expect(aliasName('acme', '0.8.x', 'static', 'bridge')).toBe('static-acme.tracardi-bridge');
    expect(templateName('acme', '0.8.x', 'production', 'event')).toBe('prod-template.0820.acme.tracardi-event');
  });

  it('0.9: aliases carry the version', () => {
    expect(indexName('acme', '0.9.x', 'staging', 'event', '-2026-q4')).toBe('09x.acme.tracardi-event-2026-q4');
    expect(aliasName('acme', '0.9.x', 'production', 'event')).toBe('prod-09x.acme.tracardi-event');
    expect(templateName('acme', '0.9.x', 'staging', 'event')).toBe('template.09x.acme.tracardi-event');
  });

  it('refuses a tenant with a dot', () => {
    expect(() => indexName('a.b', '0.9.x', 'staging', 'event')).toThrow(/not a tenant name/);
  });
});

describe('round trip: expectedArtifacts → parse', () => {
  it.each(VERSIONS)('%s: every artefact parses back to its tenant, version, context and type', (version) => {
    const tenant = 'companyx';
    const a = expectedArtifacts(tenant, version);
    const db = VERSION_PROFILES[version].dbVersion;
    for (const p of a.partitionedTypes) {
      for (const date of [NOV_2026, MAR_2026]) {
        const suffix = partitionSuffix(p.type, version, date);
        expect(parseIndexName(p.indexPrefix + suffix)).toEqual({
          tenant,
          version,
          dbVersion: db,
          context: p.context,
          type: p.type,
          partition: suffix.slice(1),
          known: true,
        });
      }
      // the bare prefix of a partitioned type is no index (in 0.9 it is the alias)
      expect(parseIndexName(p.indexPrefix)).toBeNull();
      expect(parseAliasName(p.aliasName)).toEqual({
        tenant,
        version,
        dbVersion: db,
        context: p.context,
        type: p.type,
        known: true,
      });
    }
    for (const name of a.plainIndices) {
      const parsed = parseIndexName(name);
      expect(parsed).toMatchObject({ tenant, version, dbVersion: db, known: true });
      expect(parsed).not.toHaveProperty('partition');
      expect(indexName(tenant, version, parsed!.context, parsed!.type)).toBe(name);
    }
    for (const name of a.aliases) {
      const parsed = parseAliasName(name);
      expect(parsed).toMatchObject({ tenant, version });
      expect(aliasName(tenant, version, parsed!.context, parsed!.type)).toBe(name);
    }
    for (const name of a.templates) {
      const parsed = parseTemplateName(name);
      expect(parsed).toMatchObject({ tenant, version, dbVersion: db });
      expect(templateName(tenant, version, parsed!.context as 'staging' | 'production', parsed!.type)).toBe(name);
    }
  });

  it('round-trips any tenant and date (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{3,40}$/),
        fc.constantFrom(...VERSIONS),
        fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true }),
        (tenant, version, date) => {
          for (const p of expectedArtifacts(tenant, version).partitionedTypes) {
            const parsed = parseIndexName(p.indexPrefix + partitionSuffix(p.type, version, date));
            expect(parsed).toMatchObject({ tenant, version, type: p.type, context: p.context });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parsing: what is not a tenant index', () => {
  it.each([
    '.kibana_8.19.0',
    'my-app-logs',
    '0820.acme.tracardi-event', // partitioned type without a suffix
    '0820.acme.tracardi-flow-2026-3', // plain type with a suffix
    '0820.acme.tracardi-bridge', // static type outside the static context
    'prod-0820.acme.tracardi-bridge',
    'static-0820.acme.tracardi-flow', // plain type in the static context
    'static-09x.acme.tracardi-event-2026-q4', // 0.9 has no static context
    '0810.acme.tracardi-event-2026-3', // unknown db_version
    '0820.a.b.tracardi-flow', // a dot in the tenant
    'acme.tracardi-flow', // a 0.8.2 alias, not an index
    '0820.acme.tracardi-',
  ])('%s → null', (name) => {
    expect(parseIndexName(name)).toBeNull();
  });

  it('tells event from event-redirect and user from user-log', () => {
    expect(parseIndexName('0820.acme.tracardi-event-redirect')).toMatchObject({ type: 'event-redirect', known: true });
    expect(parseIndexName('0820.acme.tracardi-event-redirect')).not.toHaveProperty('partition');
    expect(parseIndexName('prod-0820.acme.tracardi-user-log-2026-3')).toMatchObject({
      type: 'user-log',
      partition: '2026-3',
      context: 'production',
    });
    expect(parseIndexName('0820.acme.tracardi-event_to_profile')).toMatchObject({ type: 'event_to_profile' });
  });

  it('keeps an index of a type it does not know (it still costs shards), marked unknown', () => {
    expect(parseIndexName('09x.acme.tracardi-license-2026-3')).toMatchObject({
      tenant: 'acme',
      type: 'license',
      partition: '2026-3',
      known: false,
    });
  });

  it('reads the other Tracardi suffixes: year and day', () => {
    expect(parseIndexName('09x.acme.tracardi-log-2026-year')).toMatchObject({ partition: '2026-year' });
    expect(parseIndexName('09x.acme.tracardi-log-2026-1130')).toMatchObject({ partition: '2026-1130' });
  });

  it('parsePartition: the period and UTC range of every suffix Tracardi produces', () => {
    const d = (y: number, m: number, day = 1) => Date.UTC(y, m - 1, day);
    expect(parsePartition('2026-3')).toEqual({ period: 'month', startMs: d(2026, 3), endMs: d(2026, 4) });
    expect(parsePartition('2026-12')).toEqual({ period: 'month', startMs: d(2026, 12), endMs: d(2027, 1) });
    expect(parsePartition('2026-q4')).toEqual({ period: 'quarter', startMs: d(2026, 10), endMs: d(2027, 1) });
    expect(parsePartition('2026-q1')).toEqual({ period: 'quarter', startMs: d(2026, 1), endMs: d(2026, 4) });
    expect(parsePartition('2026-year')).toEqual({ period: 'year', startMs: d(2026, 1), endMs: d(2027, 1) });
    // 0.9/1.0.x day and finer: digits run together (`{y}-{m}{d}[{h}...]`)
    expect(parsePartition('2026-1211')).toEqual({ period: 'day', startMs: d(2026, 12, 11), endMs: d(2026, 12, 12) });
    expect(parsePartition('2026-35')).toEqual({ period: 'day', startMs: d(2026, 3, 5), endMs: d(2026, 3, 6) });
    expect(parsePartition('2026-121123')?.period).toBe('day'); // an hour: at least daily
    for (const bad of ['2026-0', '2026-03', '2026-q5', '2026-years', '26-3', '2026-'])
      expect(parsePartition(bad), bad).toBeNull();
  });

  it('aliases and templates of the wrong shape → null', () => {
    expect(parseAliasName('0820.acme.tracardi-flow')).toBeNull(); // an index
    expect(parseAliasName('09x.acme.tracardi-event-2026-q4')).toBeNull(); // an index
    expect(parseAliasName('acme.tracardi-bridge')).toBeNull(); // static type without static-
    expect(parseAliasName('.kibana')).toBeNull();
    expect(parseTemplateName('template.0820.acme.tracardi-flow')).toBeNull(); // plain types have no template
    expect(parseTemplateName('static-template.0820.acme.tracardi-event')).toBeNull();
    expect(parseTemplateName('template.0820.acme.tracardi-event')).toMatchObject({
      tenant: 'acme',
      context: 'staging',
    });
  });
});

describe('groupByTenant', () => {
  it('groups a listing by tenant and keeps the rest apart', () => {
    const rows = [
      { index: '09x.acme.tracardi-event-2026-q4', shards: 3 },
      { index: 'prod-09x.acme.tracardi-log-2026-11', shards: 3 },
      { index: '09x.shop.tracardi-profile-2026-q4', shards: 3 },
      { index: '.security-7', shards: 1 },
      { index: '0820.acme.tracardi-flow', shards: 1 },
    ];
    const g = groupByTenant(rows, (r) => r.index);
    expect([...g.tenants.keys()]).toEqual(['acme', 'shop']);
    expect(g.tenants.get('acme')!.map((e) => e.item.index)).toEqual([rows[0]!.index, rows[1]!.index, rows[4]!.index]);
    expect(g.tenants.get('acme')!.map((e) => e.parsed.version)).toEqual(['0.9.x', '0.9.x', '0.8.x']);
    expect(g.other).toEqual([rows[3]]);
  });
});
