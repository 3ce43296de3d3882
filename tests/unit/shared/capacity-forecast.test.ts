import { describe, expect, it } from 'vitest';
import {
  blend,
  evenDiskHeadroom,
  forecastOf,
  historyWeight,
  monthsText,
} from '../../../shared/capacity/capacity-forecast';
import { seriesOf, type HistorySample } from '../../../shared/capacity/capacity-history';
import type { ClusterGrowth } from '../../../shared/capacity/cluster-growth';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function sample(t: number, open: number, used: number): HistorySample {
  return { t, st: 'green', n: [['n1', used, 1000, 850, 900, 950, 1, 2]], sh: [open, 1000], ix: 1, tn: 1, pt: {} };
}
const cluster = (shards: number | null, bytes: number | null): ClusterGrowth => ({
  measuredAt: T0,
  months: [],
  monthsObserved: 6,
  shardsPerMonth: shards,
  bytesPerMonth: bytes,
  perTenant: {},
});

describe('blending', () => {
  it('history weighs nothing under a day, a third at 30 days, all of it from 90 days', () => {
    expect(historyWeight(0.5)).toBe(0);
    expect(historyWeight(30)).toBeCloseTo(1 / 3, 10);
    expect(historyWeight(90)).toBe(1);
    expect(historyWeight(400)).toBe(1);
  });

  it('blends by weight; either alone when the other is missing', () => {
    expect(blend(30, 60, 1 / 3)).toEqual({ perMonth: expect.closeTo(50, 10), source: 'blended' });
    expect(blend(30, 60, 1)).toEqual({ perMonth: 30, source: 'history' });
    expect(blend(30, 60, 0)).toEqual({ perMonth: 60, source: 'cluster' });
    expect(blend(null, 60, 0.5)).toEqual({ perMonth: 60, source: 'cluster' });
    expect(blend(30, null, 0.5)).toEqual({ perMonth: 30, source: 'history' });
    expect(blend(null, null, 1)).toEqual({ perMonth: null, source: 'none' });
  });
});

describe('forecast', () => {
  it('day one: the cluster rate alone; 870 shards of headroom at 60 a month is 14.5 months', () => {
    const now = T0;
    const f = forecastOf({ series: seriesOf([sample(now, 130, 500)], 0), cluster: cluster(60, 10), nowMs: now });
    expect(f.shards).toMatchObject({ source: 'cluster', perMonth: 60, headroom: 870, months: 14.5 });
    expect(f.shards.crossesAt).toBe(now + 14.5 * 30 * DAY);
    // Disk: 850 (low watermark) - 500 used = 350 bytes at 10 a month.
    expect(f.disk).toMatchObject({ source: 'cluster', perMonth: 10, headroom: 350, months: 35 });
    // Whole months, rounded down everywhere: 14.5 is "about 14" (never more room than there is).
    expect(monthsText('shard limit', f.shards)).toBe('shard limit in about 14 months');
  });

  it('30 days of history growing 30 shards a month, blended a third into the cluster’s 60: 50 a month', () => {
    const now = T0 + 30 * DAY;
    const samples = [sample(T0, 100, 500), sample(T0 + 15 * DAY, 115, 510), sample(now, 130, 520)];
    const f = forecastOf({ series: seriesOf(samples, 0), cluster: cluster(60, null), nowMs: now });
    expect(f.shards.source).toBe('blended');
    expect(f.shards.historyWeight).toBeCloseTo(1 / 3, 10);
    expect(f.shards.perMonth).toBeCloseTo(50, 6);
    expect(f.shards.months).toBeCloseTo(870 / 50, 6);
    expect(monthsText('shard limit', f.shards)).toBe('shard limit in about 17 months');
    // Disk has no cluster rate here: history's 20 bytes a month alone, 330 of headroom.
    expect(f.disk.source).toBe('history');
    expect(f.disk.perMonth).toBeCloseTo(20, 6);
    expect(f.disk.months).toBeCloseTo(330 / 20, 6);
  });

  it('nothing measured falls back to the layout model; past the limit is 0 months; flat is not growing', () => {
    const now = T0;
    const model = forecastOf({
      series: seriesOf([sample(now, 100, 1)], 0),
      cluster: null,
      modelShardsPerMonth: 45,
      nowMs: now,
    });
    expect(model.shards).toMatchObject({ source: 'model', perMonth: 45, months: 20 });
    const full = forecastOf({ series: seriesOf([sample(now, 1000, 900)], 0), cluster: null, nowMs: now });
    expect(full.shards.months).toBe(0);
    expect(full.disk.months).toBe(0);
    expect(monthsText('shard limit', full.shards)).toBe('shard limit reached');
    const flat = forecastOf({
      series: seriesOf([sample(T0 - 10 * DAY, 100, 1), sample(now, 100, 1)], 0),
      cluster: null,
      nowMs: now,
    });
    expect(flat.shards.months).toBeNull();
    expect(monthsText('shard limit', flat.shards)).toBe('shard limit: not growing');
  });
});

describe('disk forecast over unequal data nodes', () => {
  it('ends when the first node reaches its low watermark, growth spread evenly over the nodes', () => {
    const now = T0 + 10 * DAY;
    // Node a has 600 bytes of room, node b only 100: summed 700, but b crosses first. Growth 100 a
    // month adds 50 to each node: b crosses after 2 months (2 x 100 = 200 bytes of growth), not 7.
    const nodes: HistorySample['n'] = [
      ['a', 250, 1000, 850, 900, 950, 1, 2],
      ['b', 750, 1000, 850, 900, 950, 1, 2],
    ];
    expect(evenDiskHeadroom(nodes)).toBe(200);
    const s: HistorySample = { t: now, st: 'green', n: nodes, sh: [10, 1000], ix: 1, tn: 1, pt: {} };
    const f = forecastOf({ series: seriesOf([s], 0), cluster: cluster(null, 100), nodes, nowMs: now });
    expect(f.disk.headroom).toBe(200);
    expect(f.disk.months).toBe(2);
    // Without the nodes (an older caller) the summed room stands.
    expect(forecastOf({ series: seriesOf([s], 0), cluster: cluster(null, 100), nowMs: now }).disk.months).toBe(7);
  });

  it('a node already past its watermark means the limit is reached', () => {
    const nodes: HistorySample['n'] = [
      ['a', 100, 1000, 850, 900, 950, 1, 2],
      ['b', 870, 1000, 850, 900, 950, 1, 2],
    ];
    expect(evenDiskHeadroom(nodes)).toBe(-40);
    expect(evenDiskHeadroom([])).toBeNull();
  });
});
