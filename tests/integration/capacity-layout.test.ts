// The measured layout against real clusters: tenants laid out exactly as Tracardi 0.8.2 and 0.9 name
// them (the simulator installs them from its own copy of Tracardi's config.py, not from shared/),
// plus hand-made partitions: a tenant with partitions missing, history of older periods, an operator
// override (EVENT_PARTITIONING=quarter on 0.8.2), and replicas on a single node. Checks the periods,
// shard settings and replicas the snapshot reads, and the growth it computes from them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacitySnapshot } from '../../shared/capacity/capacity';
import type { CapacityService } from '../../main/services/capacity';
import { Es } from '../simulator/es';
import { deleteTenantArtefacts } from '../simulator/cleanup';
import { periodsFor, profileFor, type PartitioningOption, type ShardSettings } from '../simulator/profiles';
import { installTenant } from '../simulator/tenant-install';
import type { SimVersion } from '../simulator/naming';
import { createIndex, es, instance, ok, serviceFor } from '../support/capacity-fixture';

const run = randomBytes(3).toString('hex');
const t = (name: string) => `lay${run}${name}`;

// Written out here rather than taken from shared/: the suffixes Tracardi gives today's date.
const now = new Date();
const Y = now.getUTCFullYear();
const M = now.getUTCMonth() + 1;
const MONTH = `${Y}-${M}`;
const QUARTER = `${Y}-q${Math.ceil(M / 3)}`;
const PREVIOUS_MONTH = M === 1 ? `${Y - 1}-12` : `${Y}-${M - 1}`;

let urlA: string;
let urlB: string;
let service: CapacityService;
const installed: Array<[string, string]> = []; // [cluster, tenant]
const handMade: Array<[string, string]> = []; // [cluster, index]

async function install(
  url: string,
  version: SimVersion,
  tenant: string,
  shards: ShardSettings,
  p?: PartitioningOption,
) {
  const profile = profileFor(version);
  installed.push([url, tenant]);
  await installTenant(
    new Es(url),
    tenant,
    { profile, shards, periods: periodsFor(profile, p), now },
    { email: '', password: '', needsAdmin: false },
  );
}

async function make(url: string, index: string, shards: number, replicas = 0): Promise<void> {
  const r = await createIndex(url, index, shards, replicas);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  handMade.push([url, index]);
}

const period = (s: CapacitySnapshot, type: string) => s.layout.partitions.find((p) => p.type === type);
const mineOnly = (s: CapacitySnapshot, version: string) =>
  s.tenants.filter((f) => f.version === version).every((f) => f.tenant.startsWith(`lay${run}`));

beforeAll(async () => {
  [urlA, urlB] = inject('esUrls') as [string, string];
  service = serviceFor([
    instance('lay-08', urlB, '0.8.x'),
    instance('lay-09', urlA, '0.9.x'),
    // A second 0.8.x instance on cluster A, whose Tracardi runs with EVENT_PARTITIONING=quarter.
    instance('lay-08q', urlA, '0.8.x'),
  ]);
  // The layout is instance-wide: another file's leftover tenants would change what is measured.
  for (const id of ['lay-08', 'lay-09', 'lay-08q']) {
    const s = ok(await service.snapshot(id));
    const version = id === 'lay-09' ? '0.9.x' : '0.8.x';
    expect(
      s.tenants.filter((f) => f.version === version).map((f) => f.tenant),
      'the test cluster holds leftover tenants',
    ).toEqual([]);
  }

  // 0.8.2 with its own defaults, ELASTIC_INDEX_SHARDS=2 (the console's footprint setting says 3).
  await install(urlB, '0.8.x', t('full'), { indexShards: 2, confShards: 1, replicas: 0 });
  // History of an earlier month, and a tenant with most partitions missing.
  await make(urlB, `0820.${t('full')}.tracardi-event-${PREVIOUS_MONTH}`, 2);
  await make(urlB, `prod-0820.${t('part')}.tracardi-event-${MONTH}`, 2);
  await make(urlB, `0820.${t('part')}.tracardi-profile-${QUARTER}`, 2);
  await make(urlB, `0820.${t('part')}.tracardi-user`, 1);

  // 0.9 defaults with a replica per index on this single node (Tracardi would force 0: measured wins).
  await install(urlA, '0.9.x', t('nine'), { indexShards: 1, confShards: 1, replicas: 1 });
  await make(urlA, `09x.${t('ninepart')}.tracardi-log-${MONTH}`, 1, 1);

  // 0.8.2 with EVENT_PARTITIONING=quarter, 1 shard everywhere.
  await install(
    urlA,
    '0.8.x',
    t('evq'),
    { indexShards: 1, confShards: 1, replicas: 0 },
    {
      EVENT_PARTITIONING: 'quarter',
    },
  );
}, 300_000);

afterAll(async () => {
  await service?.close();
  for (const [url, tenant] of installed) await deleteTenantArtefacts(url, tenant);
  for (const [url, index] of handMade) await es(url, 'DELETE', `/${index}?ignore_unavailable=true`);
});

describe('measured layout', () => {
  it('0.8.2 defaults: periods read from month, quarter and year suffixes; shards and replicas from the indices', async () => {
    const s = ok(await service.snapshot('lay-08'));
    expect(mineOnly(s, '0.8.x')).toBe(true);
    expect(s.layout.tenants).toBe(2);
    const periods = Object.fromEntries(s.layout.partitions.map((p) => [p.type, [p.period, p.basis]]));
    expect(periods).toEqual({
      event: ['month', 'measured'],
      log: ['month', 'measured'],
      'console-log': ['month', 'measured'],
      'dispatch-log': ['month', 'measured'],
      'field-update-log': ['month', 'measured'],
      profile: ['quarter', 'measured'],
      session: ['quarter', 'measured'],
      entity: ['quarter', 'measured'],
      item: ['year', 'measured'],
      'user-log': ['year', 'measured'],
    });
    expect(period(s, 'event')).toMatchObject({ mixed: false, partitions: 4 }); // 2 current + history + part's
    expect(s.layout.indexShards).toEqual({ value: 2, basis: 'measured' });
    expect(s.layout.confShards).toEqual({ value: 1, basis: 'measured' });
    expect(s.layout.replicas).toEqual({ value: 0, basis: 'measured' });
    // (7 event-like types × 2 + 30 others × 1) × 2 contexts + 2 static = 90 primaries, no replica
    expect(s.room.shardsPerNewTenant).toBe(90);
    expect(s.basis.shardsPerNewTenant.basis).toBe('measured');
    // monthly:   event 2 + log 2 + console-log 2 + dispatch-log 2 + field-update-log 1 = 9 × 2 = 18
    // quarterly: profile 2 + session 2 + entity 2 = 6 × 2 = 12 / 3 = 4
    // yearly:    item 1 + user-log 1 = 2 × 2 = 4 / 12 = 1/3          → 22⅓ a month per tenant
    expect(s.growth.newPrimariesPerTenantPerMonth).toBeCloseTo(18 + 4 + 1 / 3, 10);
    expect(s.growth.newShardsPerMonth).toBeCloseTo(2 * (18 + 4 + 1 / 3), 10);
    expect(s.growth.monthsUntilShardLimit).toBe(Math.floor(s.room.shardHeadroom / (2 * (18 + 4 + 1 / 3))));
    expect(s.basis.growth).toEqual({ basis: 'measured', assumed: [] });
  });

  it('a type without any partition is assumed from the version default, and says so', async () => {
    for (const context of ['', 'prod-'])
      await es(urlB, 'DELETE', `/${context}0820.${t('full')}.tracardi-user-log-${Y}-year`);
    const s = ok(await service.snapshot('lay-08'));
    expect(period(s, 'user-log')).toMatchObject({ period: 'year', basis: 'assumed', partitions: 0 });
    expect(s.basis.growth.basis).toBe('partly measured');
    expect(s.basis.growth.assumed).toEqual(['user-log by year (USER_LOG_PARTITIONING default)']);
    expect(s.growth.newPrimariesPerTenantPerMonth).toBeCloseTo(18 + 4 + 1 / 3, 10);
  });

  it('0.9: quarterly and monthly types, replicas measured on a single node', async () => {
    const s = ok(await service.snapshot('lay-09'));
    expect(mineOnly(s, '0.9.x')).toBe(true);
    expect(s.cluster.dataNodes).toBe(1);
    const periods = Object.fromEntries(s.layout.partitions.map((p) => [p.type, p.period]));
    expect(periods).toEqual({
      event: 'quarter',
      entity: 'quarter',
      session: 'quarter',
      profile: 'quarter',
      log: 'month',
      'field-update-log': 'month',
    });
    expect(s.layout.partitions.every((p) => p.basis === 'measured')).toBe(true);
    // The instance setting and the single-node rule say 0 replicas; the indices have 1.
    expect(s.layout.replicas).toEqual({ value: 1, basis: 'measured' });
    expect(s.room.shardsPerNewTenant).toBe(12 * 2);
    // monthly (log 1 + field-update-log 1) × 2 = 4; quarterly (4 × 1) × 2 = 8 / 3 → 6⅔ a month per tenant
    expect(s.growth.newPrimariesPerTenantPerMonth).toBeCloseTo(4 + 8 / 3, 10);
    // two tenants (one with a single partition: growth assumes every tenant writes), 2 copies each
    expect(s.tenants.filter((f) => f.version === '0.9.x')).toHaveLength(2);
    expect(s.growth.newShardsPerMonth).toBeCloseTo(2 * (4 + 8 / 3) * 2, 10);
  });

  it('an operator override (EVENT_PARTITIONING=quarter on 0.8.2) is read off the names', async () => {
    const s = ok(await service.snapshot('lay-08q'));
    expect(mineOnly(s, '0.8.x')).toBe(true);
    expect(period(s, 'event')).toMatchObject({
      period: 'quarter',
      basis: 'measured',
      defaultPeriod: 'month',
      env: 'EVENT_PARTITIONING',
    });
    // 1 shard everywhere. monthly: log, console-log, dispatch-log, field-update-log = 4 × 2 = 8;
    // quarterly: event, profile, session, entity = 4 × 2 = 8 / 3; yearly: item, user-log = 4 / 12 → 11
    expect(s.growth.newPrimariesPerTenantPerMonth).toBeCloseTo(8 + 8 / 3 + 1 / 3, 10);
    // the all-defaults reading would have said 10 + 2 + 1/3 = 12⅓
    expect(s.growth.newPrimariesPerTenantPerMonth).not.toBeCloseTo(10 + 2 + 1 / 3, 3);
  });
});
