import { describe, expect, it } from 'vitest';
import { clusterGrowthOf, type GrowthIndex } from '../../../shared/capacity/cluster-growth';

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

describe('growth with creation dates', () => {
  const now = Date.UTC(2026, 11, 15); // 15 December 2026
  const at = (y: number, m: number, d = 10) => Date.UTC(y, m - 1, d);
  const dated = (index: string, pri: number, rep: number, createdMs: number, storeBytes = 0): GrowthIndex => ({
    index,
    pri,
    rep,
    storeBytes,
    createdMs,
  });

  it('an index without a partition counts whole in the month it was created', () => {
    const g = clusterGrowthOf(
      [
        dated('0820.acme.tracardi-resource', 3, 1, at(2026, 10), 600), // 6 shards opened in October (0.8.2 plain type)
        dated('0820.acme.tracardi-log-2026-10', 1, 1, at(2026, 10)),
        dated('0820.acme.tracardi-log-2026-11', 1, 1, at(2026, 11, 1)),
        dated('0820.acme.tracardi-log-2026-12', 1, 1, at(2026, 12, 1)),
      ],
      now,
    );
    // Oct-Nov are complete: 6 + 2 (Oct) + 2 (Nov) = 10 shards in 2 months; bytes 600 in 2 months.
    expect(g.monthsObserved).toBe(2);
    expect(g.shardsPerMonth).toBeCloseTo(5, 10);
    expect(g.bytesPerMonth).toBeCloseTo(300, 10);
    expect(g.perTenant).toEqual({ acme: expect.closeTo(5, 10) });
    expect(g.months).toEqual([
      { month: '2026-10', shards: 8, bytes: 600 },
      { month: '2026-11', shards: 2, bytes: 0 },
      { month: '2026-12', shards: 2, bytes: 0 },
    ]);
  });

  it('without a creation date an index without a partition is not counted (as before)', () => {
    const g = clusterGrowthOf(
      [ix('0820.acme.tracardi-resource', 3, 1, 600), ix('0820.acme.tracardi-log-2026-11', 1, 1, 0)],
      now,
    );
    expect(g.shardsPerMonth).toBeCloseTo(2, 10);
    expect(g.monthsObserved).toBe(1);
  });

  it('a partition is opened in its creation month when that lies in its period: no share of the months before', () => {
    // The October-December quarter's partition was opened on the first write, in November.
    const q4 = dated('09x.acme.tracardi-event-2026-q4', 3, 1, at(2026, 11));
    const g = clusterGrowthOf([q4], now);
    expect(g.months).toEqual([
      { month: '2026-11', shards: 6, bytes: 0 },
      { month: '2026-12', shards: 0, bytes: 0 },
    ]);
    // Still 2 a month (6 shards over the quarter's 3 months), counted from November: 1 complete month.
    expect(g.monthsObserved).toBe(1);
    expect(g.shardsPerMonth).toBeCloseTo(2, 10);
    // By its name alone it would be observed from October: 2 + 2 over 2 months.
    const byName = clusterGrowthOf([ix(q4.index, 3, 1, 0)], now);
    expect(byName.monthsObserved).toBe(2);
    expect(byName.months[0]).toEqual({ month: '2026-10', shards: 6, bytes: 0 });
  });

  it('a tenant installed today (partitions of this quarter) adds nothing to the rate yet', () => {
    const g = clusterGrowthOf(
      [
        dated('09x.acme.tracardi-event-2026-q4', 3, 1, at(2026, 12, 2)),
        dated('09x.acme.tracardi-log-2026-12', 1, 1, at(2026, 12, 2)),
      ],
      now,
    );
    expect(g.shardsPerMonth).toBeNull();
    expect(g.months).toEqual([{ month: '2026-12', shards: 8, bytes: 0 }]);
  });

  it('a creation date outside the named period (restored, reindexed) does not move the partition', () => {
    const g = clusterGrowthOf([dated('0820.acme.tracardi-log-2026-9', 1, 0, at(2026, 12, 2))], now);
    expect(g.months[0]).toEqual({ month: '2026-09', shards: 1, bytes: 0 });
    expect(g.monthsObserved).toBe(3);
    expect(g.shardsPerMonth).toBeCloseTo(1 / 3, 10);
  });

  it('indices that are not a tenant’s never count, dated or not', () => {
    const g = clusterGrowthOf([dated('.kibana_1', 1, 0, at(2026, 9)), dated('app-logs', 5, 1, at(2026, 10))], now);
    expect(g).toMatchObject({ months: [], monthsObserved: 0, shardsPerMonth: null, perTenant: {} });
  });
});
