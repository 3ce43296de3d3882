import { describe, expect, it } from 'vitest';
import {
  admitOneMore,
  computeRoom,
  countsTowardShardLimit,
  effectiveWatermarkUsedBytes,
  monthsUntilShardLimit,
  parseByteSize,
  type RoomInput,
} from '../../../shared/capacity-model';
import { ConsoleError } from '../../../shared/errors';

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

  it('0.8.2: all ten types monthly', () => {
    // 24 primaries × 2 contexts × 2 copies = 96 shards per tenant per month
    expect(monthsUntilShardLimit({ shardHeadroom: 1_000, tenants: 1, version: '0.8.x', dataNodes: 3 })).toBe(10);
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
