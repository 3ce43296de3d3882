import { describe, expect, it } from 'vitest';
import { seriesOf, type HistorySample } from '../../../shared/capacity/capacity-history';
import { seriesSince, thinSeries } from '../../../shared/capacity/history-chart-series';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const sample = (h: number, used: number, low = 850, open = 100, limit = 1000): HistorySample => ({
  t: T0 + h * HOUR,
  st: 'green',
  n: [['n1', used, 1000, low, 900, 950, 1, 2]],
  sh: [open, limit],
  ix: 1,
  tn: 1,
  pt: {},
});
/** A year of hourly samples: disk used climbing with a spike at hour 5,000, the low watermark dipping once. */
const year = Array.from({ length: 365 * 24 }, (_, h) =>
  sample(h, h === 5000 ? 999 : 100 + h / 100, h === 6000 ? 700 : 850, 100 + Math.floor(h / 24)),
);

describe('chart series for a plot', () => {
  it('a range is cut by time, the samples at or after its start', () => {
    const all = seriesOf(year, 0);
    const since = seriesSince(all, T0 + 8000 * HOUR);
    expect(since.t[0]).toBe((T0 + 8000 * HOUR) / 1000);
    expect(since.t).toHaveLength(year.length - 8000);
    expect(since.diskUsed[0]).toBe(all.diskUsed[8000]);
    expect(since.shardLimit).toHaveLength(since.t.length);
    expect(seriesSince(all, 0)).toBe(all);
    expect(seriesSince(all, T0 + 10_000 * HOUR).t).toEqual([]);
  });

  it('thinned to the points asked for: first and last sample as they are, peaks of use and dips of limits kept', () => {
    const all = seriesOf(year, 0);
    const thin = thinSeries(all, 500);
    expect(thin.t.length).toBeLessThanOrEqual(500);
    expect(thin.t.length).toBeGreaterThan(450);
    for (const column of Object.values(thin)) expect(column).toHaveLength(thin.t.length);
    expect(thin.t[0]).toBe(all.t[0]);
    expect(thin.t.at(-1)).toBe(all.t.at(-1));
    expect(thin.diskUsed.at(-1)).toBe(all.diskUsed.at(-1));
    expect(thin.shardsOpen.at(-1)).toBe(all.shardsOpen.at(-1));
    // The one-hour spike and the one-hour dip survive thinning 17 to 1.
    expect(Math.max(...thin.diskUsed)).toBe(999);
    expect(Math.min(...thin.diskLow)).toBe(700);
    // Times stay in order.
    for (let i = 1; i < thin.t.length; i++) expect(thin.t[i]!).toBeGreaterThan(thin.t[i - 1]!);
  });

  it('a series with no more samples than points is answered as it is', () => {
    const few = seriesOf(year.slice(0, 40), 0);
    expect(thinSeries(few, 40)).toBe(few);
    expect(thinSeries(few, 100)).toBe(few);
    expect(thinSeries(few, 16).t).toHaveLength(16);
  });
});
