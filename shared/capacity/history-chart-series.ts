/**
 * A history's chart series sized for a plot (pure): the samples of a range, cut by binary search, and
 * thinned to at most one point per pixel column of the plot, so `capacity.history` answers what a
 * chart can draw and no more. docs/capacity.md, "History".
 */
import type { HistorySeries } from './capacity-history';

/** The fewest and most points a chart may ask for (`capacity.history`'s `points`). */
export const MIN_CHART_POINTS = 16;
export const MAX_CHART_POINTS = 8192;

/** Columns drawn at their highest in a pixel (what is used: a peak is never smoothed away). */
const PEAK_COLUMNS: ReadonlySet<string> = new Set(['diskUsed', 'shardsOpen', 'heapUsed', 'tenants']);

const COLUMNS = Object.freeze([
  'diskUsed',
  'diskTotal',
  'diskLow',
  'diskHigh',
  'diskFlood',
  'shardsOpen',
  'shardLimit',
  'heapUsed',
  'heapMax',
  'tenants',
] as const satisfies readonly (keyof HistorySeries)[]);

/** The first index whose time (seconds) is at or after `sinceS`. */
function firstAtOrAfter(t: readonly number[], sinceS: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < sinceS) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The part of a series (oldest first) at or after `sinceMs`. */
export function seriesSince(s: HistorySeries, sinceMs: number): HistorySeries {
  const from = firstAtOrAfter(s.t, Math.ceil(sinceMs / 1000));
  if (from === 0) return s;
  const out = { t: s.t.slice(from) } as HistorySeries;
  for (const c of COLUMNS) out[c] = s[c].slice(from);
  return out;
}

/**
 * At most `points` points: the first and the last sample as they are (the legend's latest figures
 * are a real sample), the samples between in equal spans of time, one point each: its last time,
 * the highest use and the lowest (tightest) limit of the span.
 */
export function thinSeries(s: HistorySeries, points: number): HistorySeries {
  const n = s.t.length;
  const budget = Math.max(3, Math.floor(points));
  if (n <= budget) return s;
  const out = { t: [] } as unknown as HistorySeries;
  for (const c of COLUMNS) out[c] = [];
  const push = (i: number) => {
    out.t.push(s.t[i]!);
    for (const c of COLUMNS) out[c].push(s[c][i]!);
  };
  push(0);
  const first = s.t[1]!;
  const span = (s.t[n - 2]! - first) / (budget - 2) || 1;
  let bucket = -1;
  for (let i = 1; i < n - 1; i++) {
    const b = Math.min(budget - 3, Math.floor((s.t[i]! - first) / span));
    if (b !== bucket) {
      bucket = b;
      push(i);
      continue;
    }
    const last = out.t.length - 1;
    out.t[last] = s.t[i]!;
    for (const c of COLUMNS) {
      const v = s[c][i]!;
      const col = out[c];
      col[last] = PEAK_COLUMNS.has(c) ? Math.max(col[last]!, v) : Math.min(col[last]!, v);
    }
  }
  push(n - 1);
  return out;
}
