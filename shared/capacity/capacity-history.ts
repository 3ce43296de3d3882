/**
 * Capacity history (pure): the key figures of a snapshot as one compact sample, the downsampling that
 * bounds a history (raw for 7 days, hourly for 90 days, daily for 2 years), and the chart series of a
 * range. The store that keeps samples on disk is main/services/history; docs/capacity.md, "History".
 */
import { z } from 'zod';
import type { CapacitySnapshot } from './capacity';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long each resolution is kept, and the bucket each keeps one sample of. */
export const RETENTION = Object.freeze({
  rawMs: 7 * DAY_MS,
  hourlyMs: 90 * DAY_MS,
  dailyMs: 730 * DAY_MS,
});

/** At most one raw sample per instance in this interval: a UI polling every few seconds adds nothing. */
export const RAW_MIN_INTERVAL_MS = 60_000;

/**
 * One sample, written as one JSON line (short keys: the byte budget is per key, per line).
 * n: data nodes as [name, diskUsed, diskTotal, lowUsed, highUsed, floodUsed, heapUsed, heapMax];
 * sh: [open shards, shard limit]; ix: indices; tn: tenants; pt: tenant → [primaries, store bytes].
 */
export const historySampleSchema = z.object({
  t: z.number().int(),
  st: z.enum(['green', 'yellow', 'red']),
  n: z.array(z.tuple([z.string(), z.number(), z.number(), z.number(), z.number(), z.number(), z.number(), z.number()])),
  sh: z.tuple([z.number(), z.number()]),
  ix: z.number(),
  tn: z.number(),
  pt: z.record(z.string(), z.tuple([z.number(), z.number()])),
});
export type HistorySample = z.infer<typeof historySampleSchema>;

/** The key figures of a snapshot (data nodes only: they hold the disk and count toward the limit). */
export function sampleOf(snapshot: CapacitySnapshot): HistorySample {
  const pt: HistorySample['pt'] = {};
  for (const t of snapshot.tenants) pt[t.tenant] = [t.primaryShards, t.storeBytes];
  return {
    t: Date.parse(snapshot.takenAt),
    st: snapshot.cluster.status,
    n: snapshot.nodes
      .filter((n) => n.isData)
      .map((n) => [
        n.name,
        n.diskUsedBytes,
        n.diskTotalBytes,
        n.watermarks.lowUsedBytes,
        n.watermarks.highUsedBytes,
        n.watermarks.floodUsedBytes,
        n.heapUsedBytes,
        n.heapMaxBytes,
      ]),
    sh: [snapshot.shards.open, snapshot.shards.limit],
    ix:
      snapshot.tenants.reduce((sum, t) => sum + t.indices, 0) +
      snapshot.otherIndices +
      (snapshot.console?.indices ?? 0),
    tn: snapshot.tenants.length,
    pt,
  };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const STATUSES = new Set(['green', 'yellow', 'red']);

/**
 * Read one line of a history file; null for anything that is not a whole, valid sample. Checked by
 * hand (historySampleSchema says the same): thousands of lines are read per chart, and a schema
 * library costs ten times as much per line.
 */
export function parseSampleLine(line: string): HistorySample | null {
  if (line.length < 2 || line[0] !== '{') return null;
  let v: Partial<Record<keyof HistorySample, unknown>>;
  try {
    v = JSON.parse(line) as typeof v;
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  if (!Number.isInteger(v.t) || typeof v.st !== 'string' || !STATUSES.has(v.st)) return null;
  if (!finite(v.ix) || !finite(v.tn)) return null;
  if (!Array.isArray(v.sh) || v.sh.length !== 2 || !finite(v.sh[0]) || !finite(v.sh[1])) return null;
  if (!Array.isArray(v.n)) return null;
  for (const node of v.n as unknown[]) {
    if (!Array.isArray(node) || node.length !== 8 || typeof node[0] !== 'string') return null;
    for (let i = 1; i < 8; i++) if (!finite(node[i])) return null;
  }
  if (v.pt === null || typeof v.pt !== 'object' || Array.isArray(v.pt)) return null;
  for (const f of Object.values(v.pt as object) as unknown[])
    if (!Array.isArray(f) || f.length !== 2 || !finite(f[0]) || !finite(f[1])) return null;
  return v as HistorySample;
}

/** The bucket a sample of age `ageMs` falls in: its own time (raw), its hour, its day, or gone. */
function bucketOf(t: number, nowMs: number): string | null {
  const age = nowMs - t;
  if (age < RETENTION.rawMs) return `r${t}`;
  if (age < RETENTION.hourlyMs) return `h${Math.floor(t / HOUR_MS)}`;
  if (age < RETENTION.dailyMs) return `d${Math.floor(t / DAY_MS)}`;
  return null;
}

/**
 * Downsample: keep every sample younger than 7 days, the last of each hour up to 90 days, the last
 * of each day up to 2 years, nothing older. The last, not an average: counts stay whole and a
 * sample stays one real snapshot. Sorted by time; duplicates of one time keep the later line.
 */
export function downsample(samples: readonly HistorySample[], nowMs: number): HistorySample[] {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const kept = new Map<string, HistorySample>();
  for (const s of sorted) {
    const bucket = bucketOf(s.t, nowMs);
    if (bucket !== null) kept.set(bucket, s);
  }
  return [...kept.values()];
}

/** Most samples a history can hold after downsampling at RAW_MIN_INTERVAL_MS (the count bound). */
export function maxSamples(rawIntervalMs: number = RAW_MIN_INTERVAL_MS): number {
  const raw = Math.ceil(RETENTION.rawMs / rawIntervalMs);
  const hourly = Math.ceil((RETENTION.hourlyMs - RETENTION.rawMs) / HOUR_MS) + 1;
  const daily = Math.ceil((RETENTION.dailyMs - RETENTION.hourlyMs) / DAY_MS) + 1;
  return raw + hourly + daily;
}

export const HISTORY_RANGES = ['7d', '90d', '2y'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const RANGE_MS: Readonly<Record<HistoryRange, number>> = {
  '7d': RETENTION.rawMs,
  '90d': RETENTION.hourlyMs,
  '2y': RETENTION.dailyMs,
};

/** Chart series, column-wise (uPlot's shape): one entry per sample in every array. */
export const historySeriesSchema = z.object({
  /** Seconds since the epoch. */
  t: z.array(z.number()),
  diskUsed: z.array(z.number()),
  diskTotal: z.array(z.number()),
  /** Used bytes at which the watermarks trip, summed over the data nodes. */
  diskLow: z.array(z.number()),
  diskHigh: z.array(z.number()),
  diskFlood: z.array(z.number()),
  shardsOpen: z.array(z.number()),
  shardLimit: z.array(z.number()),
  heapUsed: z.array(z.number()),
  heapMax: z.array(z.number()),
  tenants: z.array(z.number()),
});
export type HistorySeries = z.infer<typeof historySeriesSchema>;

/** The chart series of the samples at or after `sinceMs`. */
export function seriesOf(samples: readonly HistorySample[], sinceMs: number): HistorySeries {
  const out: HistorySeries = {
    t: [],
    diskUsed: [],
    diskTotal: [],
    diskLow: [],
    diskHigh: [],
    diskFlood: [],
    shardsOpen: [],
    shardLimit: [],
    heapUsed: [],
    heapMax: [],
    tenants: [],
  };
  for (const s of samples) {
    if (s.t < sinceMs) continue;
    const sum = (i: number) => s.n.reduce((acc, node) => acc + (node[i] as number), 0);
    out.t.push(Math.round(s.t / 1000));
    out.diskUsed.push(sum(1));
    out.diskTotal.push(sum(2));
    out.diskLow.push(sum(3));
    out.diskHigh.push(sum(4));
    out.diskFlood.push(sum(5));
    out.shardsOpen.push(s.sh[0]);
    out.shardLimit.push(s.sh[1]);
    out.heapUsed.push(sum(6));
    out.heapMax.push(sum(7));
    out.tenants.push(s.tn);
  }
  return out;
}

/**
 * Least-squares slope of `ys` over `ts` (seconds), per 30-day month; null with fewer than two
 * distinct times.
 */
export function slopePerMonth(ts: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(ts.length, ys.length);
  if (n < 2) return null;
  let mt = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mt += ts[i]!;
    my += ys[i]!;
  }
  mt /= n;
  my /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (ts[i]! - mt) * (ys[i]! - my);
    den += (ts[i]! - mt) ** 2;
  }
  if (den === 0) return null;
  return (num / den) * 30 * 86_400;
}
