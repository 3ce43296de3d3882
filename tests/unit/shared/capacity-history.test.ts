import { describe, expect, it } from 'vitest';
import {
  downsample,
  parseSampleLine,
  RETENTION,
  seriesOf,
  slopePerMonth,
  type HistorySample,
} from '../../../shared/capacity/capacity-history';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 1);
const s = (t: number, open = 1): HistorySample => ({
  t,
  st: 'green',
  n: [
    ['a', 10, 100, 85, 90, 95, 1, 4],
    ['b', 20, 100, 85, 90, 95, 2, 4],
  ],
  sh: [open, 2000],
  ix: 3,
  tn: 1,
  pt: { acme: [3, 7] },
});

describe('downsample', () => {
  it('keeps the last week raw, the last of each hour to 90 days, the last of each day to 2 years', () => {
    const raw = [NOW - 1000, NOW - 2000, NOW - 3 * DAY];
    const hour = NOW - 10 * DAY - (NOW % HOUR); // two samples in one hour 10 days ago: the later stays
    const day = Math.floor((NOW - 200 * DAY) / DAY) * DAY; // two in one day 200 days ago
    const kept = downsample(
      [...raw, hour + 1000, hour + 2000, day + HOUR, day + 5 * HOUR, NOW - RETENTION.dailyMs - 1].map((t) => s(t)),
      NOW,
    ).map((x) => x.t);
    expect(kept).toEqual([day + 5 * HOUR, hour + 2000, NOW - 3 * DAY, NOW - 2000, NOW - 1000]);
  });
});

describe('lines', () => {
  it('reads a whole sample and refuses torn, garbage and wrong shapes', () => {
    const line = JSON.stringify(s(NOW));
    expect(parseSampleLine(line)).toEqual(s(NOW));
    expect(parseSampleLine(line.slice(0, -3))).toBeNull();
    expect(parseSampleLine('garbage')).toBeNull();
    expect(parseSampleLine(JSON.stringify({ ...s(NOW), sh: [1] }))).toBeNull();
    expect(parseSampleLine(JSON.stringify({ ...s(NOW), n: [['a', 1, 2]] }))).toBeNull();
    expect(parseSampleLine(JSON.stringify({ ...s(NOW), st: 'purple' }))).toBeNull();
  });
});

describe('series and trend', () => {
  it('sums the data nodes per sample, from the range start', () => {
    const out = seriesOf([s(NOW - 2 * DAY), s(NOW, 5)], NOW - DAY);
    expect(out).toMatchObject({
      t: [NOW / 1000],
      diskUsed: [30],
      diskTotal: [200],
      diskLow: [170],
      diskFlood: [190],
      shardsOpen: [5],
      shardLimit: [2000],
      heapUsed: [3],
      heapMax: [8],
    });
  });

  it('least-squares slope per 30-day month', () => {
    const t = [0, 15, 30].map((d) => d * 86_400);
    expect(slopePerMonth(t, [100, 115, 130])).toBeCloseTo(30, 10);
    expect(slopePerMonth([1], [1])).toBeNull();
    expect(slopePerMonth([5, 5], [1, 2])).toBeNull();
  });
});
