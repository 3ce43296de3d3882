import { describe, expect, it } from 'vitest';
import { clusterGrowthOf, type GrowthIndex } from '../../../shared/cluster-growth';

const ix = (index: string, pri: number, rep: number, storeBytes: number): GrowthIndex => ({
  index,
  pri,
  rep,
  storeBytes,
});

describe('growth from partition names', () => {
  const now = Date.UTC(2026, 11, 15); // 15 December 2026
  const indices = [
    ix('09x.acme.tracardi-log-2026-9', 1, 1, 100),
    ix('09x.acme.tracardi-log-2026-10', 1, 1, 100),
    ix('09x.acme.tracardi-log-2026-11', 1, 1, 100),
    ix('09x.acme.tracardi-log-2026-12', 1, 1, 50), // the current month: in the table, not in the rate
    ix('09x.acme.tracardi-event-2026-q4', 3, 1, 300), // 6 shards over Oct-Dec: 2 a month
    ix('09x.acme.tracardi-profile', 3, 1, 999), // not partitioned: no date in the name
    ix('.kibana_1', 1, 0, 10), // not a tenant's
  ];

  it('shards opened per month, by the month each partition starts', () => {
    const g = clusterGrowthOf(indices, now);
    expect(g.months).toEqual([
      { month: '2026-09', shards: 2, bytes: 100 },
      { month: '2026-10', shards: 8, bytes: 400 },
      { month: '2026-11', shards: 2, bytes: 100 },
      { month: '2026-12', shards: 2, bytes: 50 },
    ]);
  });

  it('the rate averages the complete months since the first partition, quarters spread over theirs', () => {
    const g = clusterGrowthOf(indices, now);
    // Sep-Nov: log 2+2+2, event 2 (Oct) + 2 (Nov) = 10 shards in 3 months; bytes 300 + 200.
    expect(g.monthsObserved).toBe(3);
    expect(g.shardsPerMonth).toBeCloseTo(10 / 3, 10);
    expect(g.bytesPerMonth).toBeCloseTo(500 / 3, 10);
    expect(g.perTenant).toEqual({ acme: expect.closeTo(10 / 3, 10) });
  });

  it('per tenant, and a 12-month window: older partitions do not count', () => {
    const g = clusterGrowthOf(
      [
        ...indices,
        ix('prod-09x.shop.tracardi-log-2024-1', 5, 0, 1), // two years ago: outside the window
        ix('prod-09x.shop.tracardi-log-2026-11', 1, 0, 1),
      ],
      now,
    );
    expect(g.monthsObserved).toBe(12);
    expect(g.perTenant.shop).toBeCloseTo(1 / 12, 10);
    expect(g.perTenant.acme).toBeCloseTo(10 / 12, 10);
    expect(g.shardsPerMonth).toBeCloseTo(11 / 12, 10);
  });

  it('no partition, or only the current month: no rate', () => {
    expect(clusterGrowthOf([ix('09x.acme.tracardi-profile', 3, 1, 1)], now)).toMatchObject({
      months: [],
      monthsObserved: 0,
      shardsPerMonth: null,
    });
    expect(clusterGrowthOf([ix('09x.acme.tracardi-log-2026-12', 1, 0, 1)], now).shardsPerMonth).toBeNull();
  });
});
