import { describe, expect, it } from 'vitest';
import {
  admitOneMore,
  computeRoom,
  countsTowardShardLimit,
  effectiveWatermarkUsedBytes,
  growthOf,
  monthsUntilShardLimit,
  parseByteSize,
  primaryGrowthPerTenant,
  type RoomInput,
} from '../../../shared/capacity/capacity-model';
import { assumedLayout, measureLayout, type LayoutIndex } from '../../../shared/capacity/capacity-layout';
import { ConsoleError } from '../../../shared/errors/errors';
import { parseIndexName } from '../../../shared/instances/index-naming';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

describe('parseByteSize', () => {
  it.each([
    ['50gb', 50 * GiB],
    ['500mb', 500 * MiB],
    ['1tb', TiB],
    ['123b', 123],
    ['10kb', 10 * KiB],
    ['2k', 2 * KiB],
    ['1.5gb', 1.5 * GiB],
    [' 50GB ', 50 * GiB],
    ['1pb', 1024 ** 5],
    ['0', 0],
  ])('%j → %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['-1', '85%', '0.85', '500', 'gb', '5 xb', ''])('%j is no byte size', (text) => {
    expect(parseByteSize(text)).toBeNull();
  });
});

describe('effectiveWatermarkUsedBytes', () => {
  it('reads a percentage and a ratio the same way', () => {
    expect(effectiveWatermarkUsedBytes('85%', undefined, 1000)).toBe(850);
    expect(effectiveWatermarkUsedBytes('0.85', undefined, 1000)).toBe(850);
    expect(effectiveWatermarkUsedBytes('87.5%', undefined, 1000)).toBe(875);
    expect(effectiveWatermarkUsedBytes('100%', undefined, 1000)).toBe(1000);
  });

  it('reads an absolute value as the free space to keep', () => {
    expect(effectiveWatermarkUsedBytes('50gb', undefined, TiB)).toBe(TiB - 50 * GiB);
    expect(effectiveWatermarkUsedBytes('500mb', undefined, GiB)).toBe(GiB - 500 * MiB);
    expect(effectiveWatermarkUsedBytes('123b', undefined, 1000)).toBe(877);
    expect(effectiveWatermarkUsedBytes('1tb', undefined, 2 * TiB)).toBe(TiB);
    // a disk smaller than the free space to keep allows nothing
    expect(effectiveWatermarkUsedBytes('50gb', undefined, 10 * GiB)).toBe(0);
  });

  it('caps the free space a ratio demands at max_headroom (8.x)', () => {
    // 10 TiB disk at 85 %: 1.5 TiB free would be demanded, the 200gb headroom caps it
    expect(effectiveWatermarkUsedBytes('85%', '200gb', 10 * TiB)).toBe(10 * TiB - 200 * GiB);
    // a small disk: the ratio's free space is already below the headroom
    expect(effectiveWatermarkUsedBytes('85%', '200gb', 100 * GiB)).toBe(85 * GiB);
    expect(effectiveWatermarkUsedBytes('0.9', '100b', 10_000)).toBe(9_900);
  });

  it('ignores max_headroom of -1 or absent', () => {
    expect(effectiveWatermarkUsedBytes('85%', '-1', 10 * TiB)).toBe(8.5 * TiB);
    expect(effectiveWatermarkUsedBytes('85%', '', 10 * TiB)).toBe(8.5 * TiB);
  });

  it('does not apply max_headroom to an absolute watermark', () => {
    expect(effectiveWatermarkUsedBytes('50gb', '10gb', TiB)).toBe(TiB - 50 * GiB);
  });

  it('refuses values Elasticsearch would not hold', () => {
    expect(() => effectiveWatermarkUsedBytes('85', undefined, 1000)).toThrow(ConsoleError);
    expect(() => effectiveWatermarkUsedBytes('lots', undefined, 1000)).toThrow(/Cannot read the disk watermark "lots"/);
    expect(() => effectiveWatermarkUsedBytes('85%', 'big', 1000)).toThrow(/max_headroom/);
  });
});

describe('countsTowardShardLimit', () => {
  it('counts non-frozen data nodes only', () => {
    expect(countsTowardShardLimit(['data', 'master'])).toBe(true);
    expect(countsTowardShardLimit(['data_hot', 'ingest'])).toBe(true);
    expect(countsTowardShardLimit(['data_frozen'])).toBe(false);
    expect(countsTowardShardLimit(['master', 'ingest'])).toBe(false);
  });
});

/** Three 1 TiB data nodes, 200 GiB used each, low watermark at 85 %. */
function baseInput(over: Partial<RoomInput> = {}): RoomInput {
  const node = { diskTotalBytes: TiB, diskUsedBytes: 200 * GiB, lowWatermarkUsedBytes: 0.85 * TiB };
  return {
    maxShardsPerNode: 1000,
    dataNodes: [node, { ...node }, { ...node }],
    openShards: 0,
    version: '0.9.x',
    tenantStoreBytes: [],
    diskThresholdEnabled: true,
    ...over,
  };
}

describe('computeRoom', () => {
  it('shards bind: headroom ÷ shards per new tenant, with replicas', () => {
    const r = computeRoom(baseInput({ openShards: 2_800, tenantStoreBytes: [GiB] }));
    expect(r.shardLimit).toBe(3_000);
    expect(r.shardHeadroom).toBe(200);
    expect(r.shardsPerNewTenant).toBe(64); // 32 primaries × (1 + 1 replica)
    expect(r.tenantsByShards).toBe(3);
    expect(r.diskHeadroomBytes).toBe(3 * (0.85 * TiB - 200 * GiB));
    expect(r.bytesPerTenant).toBe(GiB);
    expect(r.tenantsByDisk).toBe(Math.floor((3 * (0.85 * TiB - 200 * GiB)) / GiB));
    expect(r).toMatchObject({ room: 3, binding: 'shards', bytesPerTenantSource: 'median' });
  });

  it('disk binds when the expected tenant size exhausts the disk first', () => {
    const r = computeRoom(baseInput({ openShards: 100, tenantStoreBytes: [300 * GiB, 500 * GiB, 400 * GiB] }));
    expect(r.bytesPerTenant).toBe(400 * GiB); // median of three
    expect(r.tenantsByShards).toBe(45);
    expect(r.tenantsByDisk).toBe(5); // 3 × 670.4 GiB ÷ 400 GiB = 5.03
    expect(r).toMatchObject({ room: 5, binding: 'disk' });
  });

  it('uses the median of an even count, not the mean', () => {
    const r = computeRoom(baseInput({ tenantStoreBytes: [1 * GiB, 3 * GiB, 100 * GiB, 900 * GiB] }));
    expect(r.bytesPerTenant).toBe(51.5 * GiB);
  });

  it('falls back to the operator estimate, then to no disk figure (shards bind)', () => {
    const est = computeRoom(baseInput({ bytesPerTenantEstimate: 500 * GiB }));
    expect(est).toMatchObject({
      bytesPerTenant: 500 * GiB,
      bytesPerTenantSource: 'estimate',
      tenantsByDisk: 4,
      binding: 'disk',
      room: 4,
    });
    const none = computeRoom(baseInput({ openShards: 2_800 }));
    expect(none).toMatchObject({
      bytesPerTenant: null,
      bytesPerTenantSource: 'none',
      tenantsByDisk: null,
      binding: 'shards',
      room: 3,
    });
  });

  it('prefers the observed median over the estimate', () => {
    expect(
      computeRoom(baseInput({ tenantStoreBytes: [2 * GiB], bytesPerTenantEstimate: 500 * GiB })).bytesPerTenant,
    ).toBe(2 * GiB);
  });

  it('a single data node gets no replicas', () => {
    const r = computeRoom(baseInput({ dataNodes: [baseInput().dataNodes[0]!], replicas: 1, openShards: 900 }));
    expect(r.shardsPerNewTenant).toBe(32);
    expect(r.tenantsByShards).toBe(3);
  });

  it('negative shard headroom means no room, not negative room', () => {
    const r = computeRoom(baseInput({ openShards: 3_500, tenantStoreBytes: [GiB] }));
    expect(r.shardHeadroom).toBe(-500);
    expect(r.tenantsByShards).toBe(0);
    expect(r).toMatchObject({ room: 0, binding: 'shards' });
  });

  it('a node above its low watermark adds no headroom (and takes none from the others)', () => {
    const full = { diskTotalBytes: TiB, diskUsedBytes: 0.95 * TiB, lowWatermarkUsedBytes: 0.85 * TiB };
    const free = { diskTotalBytes: TiB, diskUsedBytes: 0.5 * TiB, lowWatermarkUsedBytes: 0.85 * TiB };
    expect(computeRoom(baseInput({ dataNodes: [full, free] })).diskHeadroomBytes).toBe(0.35 * TiB);
  });

  it('with the disk threshold off, the whole disk is the allowance', () => {
    const r = computeRoom(baseInput({ diskThresholdEnabled: false, tenantStoreBytes: [GiB] }));
    expect(r.diskHeadroomBytes).toBe(3 * (TiB - 200 * GiB));
  });

  it('honours the instance shard settings', () => {
    expect(computeRoom(baseInput({ indexShards: 1, replicas: 0 })).shardsPerNewTenant).toBe(12);
  });
});

describe('monthsUntilShardLimit', () => {
  it('0.9 defaults: quarterly event/entity/session/profile, monthly log/field-update-log', () => {
    // per tenant per month, 2 contexts × 2 copies: quarterly 12 primaries ÷ 3 + monthly 4 primaries = 8 → 32 shards
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 10, version: '0.9.x', dataNodes: 3 })).toBe(3);
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 1, version: '0.9.x', dataNodes: 3 })).toBe(31);
  });

  it('0.8.2 defaults: monthly, quarterly and yearly types', () => {
    // 32⅓ primaries (see primaryGrowthPerTenant) × 2 copies = 64⅔ shards per tenant a month;
    // 1,000 / 64.67 = 15.5 → 15 (all-monthly, the old assumption, gave 1,000 / 96 = 10)
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 1, version: '0.8.x', dataNodes: 3 })).toBe(15);
  });

  it('a single data node grows without replicas', () => {
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 1, version: '0.9.x', dataNodes: 1 })).toBe(62);
  });

  it('follows partition overrides', () => {
    expect(
      monthsUntilShardLimit({
        shardHeadroom: 1_000,
        tenants: 1,
        version: '0.9.x',
        dataNodes: 3,
        periods: { event: 'month', entity: 'month', session: 'month', profile: 'month' },
      }),
    ).toBe(15);
  });

  it('null without tenants, 0 at or over the limit', () => {
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 0, version: '0.9.x', dataNodes: 3 })).toBeNull();
    expect(monthsUntilShardLimit({ shardHeadroom: 0, tenants: 5, version: '0.9.x', dataNodes: 3 })).toBe(0);
    expect(monthsUntilShardLimit({ shardHeadroom: -40, tenants: 5, version: '0.9.x', dataNodes: 3 })).toBe(0);
  });
});

describe('growth from a layout', () => {
  const defaults = { indexShards: 3, confShards: 1, replicas: 1, dataNodes: 3 };

  it('0.8.2 defaults: about 32 new primaries a month per tenant, not 48', () => {
    // 2 contexts each; ELASTIC_INDEX_SHARDS 3 for event/entity/log/session/profile/console-log/dispatch-log, 1 otherwise.
    // monthly:   event 3 + log 3 + console-log 3 + dispatch-log 3 + field-update-log 1 = 13 × 2 = 26 a month
    // quarterly: profile 3 + session 3 + entity 3                                     =  9 × 2 = 18 a quarter = 6 a month
    // yearly:    item 1 + user-log 1                                                  =  2 × 2 =  4 a year = 1/3 a month
    // 26 + 6 + 1/3 = 32.33 (all monthly: (7 × 3 + 3 × 1) × 2 = 48)
    const layout = assumedLayout('0.8.x', defaults);
    expect(primaryGrowthPerTenant(layout)).toBeCloseTo(26 + 6 + 1 / 3, 10);
    const allMonthly = assumedLayout('0.8.x', defaults);
    for (const p of allMonthly.partitions) p.period = 'month';
    expect(primaryGrowthPerTenant(allMonthly)).toBe(48);
  });

  it('0.9 defaults: 4 monthly + 24 a quarter = 12 primaries a month per tenant', () => {
    // monthly: log 3 + field-update-log 1 = 4 × 2 = 8; quarterly: event/entity/session/profile 12 × 2 = 24 / 3 = 8
    expect(primaryGrowthPerTenant(assumedLayout('0.9.x', defaults))).toBe(16);
  });

  it('months to the shard limit: headroom ÷ (tenants × primaries × copies)', () => {
    // 0.8.2, 10 tenants, 1 replica: 10 × 32.33 × 2 = 646.7 shards a month; 17,500 / 646.7 = 27.06 → 27
    const g = growthOf(assumedLayout('0.8.x', defaults), 10, 17_500);
    expect(g.newShardsPerMonth).toBeCloseTo(646.67, 1);
    expect(g.monthsUntilShardLimit).toBe(27);
    // the all-monthly model said 17,500 / (10 × 48 × 2) = 18.2 → 18
    expect(Math.floor(17_500 / (10 * 48 * 2))).toBe(18);
    expect(growthOf(assumedLayout('0.8.x', defaults), 0, 17_500).monthsUntilShardLimit).toBeNull();
    expect(growthOf(assumedLayout('0.8.x', defaults), 3, -5).monthsUntilShardLimit).toBe(0);
  });

  it('uses measured periods, shards and replicas: an operator who set EVENT_PARTITIONING=quarter on 0.8.2', () => {
    const now = Date.UTC(2026, 10, 15);
    const ix = (name: string, pri: number, rep: number): LayoutIndex => ({ parsed: parseIndexName(name)!, pri, rep });
    const layout = measureLayout(
      [
        ix('0820.acme.tracardi-event-2026-q4', 2, 0),
        ix('prod-0820.acme.tracardi-event-2026-q4', 2, 0),
        ix('0820.acme.tracardi-log-2026-11', 2, 0),
        ix('0820.acme.tracardi-item-2026-year', 1, 0),
      ],
      '0.8.x',
      now,
      defaults,
    );
    // measured: event by quarter, ELASTIC_INDEX_SHARDS 2, conf shards 1, replicas 0 (the fallback said 3/1/1)
    // monthly:   log 2 + console-log 2 + dispatch-log 2 + field-update-log 1 = 7 × 2 = 14
    // quarterly: event 2 + profile 2 + session 2 + entity 2 = 8 × 2 = 16 / 3 = 5.33
    // yearly:    item 1 + user-log 1 = 2 × 2 = 4 / 12 = 0.33
    const g = growthOf(layout, 4, 1_000);
    expect(g.newPrimariesPerTenantPerMonth).toBeCloseTo(14 + 16 / 3 + 1 / 3, 10);
    // 4 tenants × 19.67 × 1 copy = 78.67 a month; 1,000 / 78.67 = 12.7 → 12
    expect(g.monthsUntilShardLimit).toBe(12);
  });

  it('a day-or-finer period grows at least daily', () => {
    const layout = assumedLayout('0.9.x', { ...defaults, replicas: 0 });
    for (const p of layout.partitions) p.period = p.type === 'log' ? 'day' : 'year';
    // log: 3 × 2 = 6 a day = 6 × 365.25 / 12 = 182.6 a month; the five others (4 × 3 + 1) × 2 / 12 = 2.17
    expect(primaryGrowthPerTenant(layout)).toBeCloseTo((6 * 365.25) / 12 + 26 / 12, 10);
  });
});

describe('admitOneMore', () => {
  it('admits while there is room', () => {
    expect(admitOneMore(computeRoom(baseInput({ openShards: 2_936 })))).toEqual({ ok: true });
  });

  it('refuses on shards and says what is needed', () => {
    const a = admitOneMore(computeRoom(baseInput({ openShards: 2_950 })));
    expect(a).toMatchObject({ ok: false, reason: 'shards' });
    expect(!a.ok && a.message).toMatch(/needs 64 shards.*has 50 left of its 3000-shard limit/);
  });

  it('refuses on disk and names the tenant size and its source', () => {
    // 3 × 670.4 GiB of headroom cannot hold a 2 TiB tenant
    const a = admitOneMore(computeRoom(baseInput({ tenantStoreBytes: [2 * TiB] })));
    expect(a).toMatchObject({ ok: false, reason: 'disk' });
    expect(!a.ok && a.message).toMatch(
      /1\.96 TiB left below the low disk watermark.*2\.00 TiB \(median of this instance\)/,
    );
  });

  it('reports an over-limit cluster as 0 shards left', () => {
    const a = admitOneMore(computeRoom(baseInput({ openShards: 3_100 })));
    expect(!a.ok && a.message).toContain('has 0 left');
  });
});
