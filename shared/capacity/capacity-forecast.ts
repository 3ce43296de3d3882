/**
 * The forecast of months to the shard limit and to the low disk watermark (pure): growth measured
 * from the cluster's partitions on day one, blended into the trend of local history as it grows
 * (full weight at 90 days of history). docs/capacity.md, "Blending".
 */
import { z } from 'zod';
import type { CapacitySnapshot } from './capacity';
import {
  HISTORY_RANGES,
  historySeriesSchema,
  sampleOf,
  seriesOf,
  slopePerMonth,
  type HistorySample,
  type HistorySeries,
} from './capacity-history';
import { formatByteSize } from './capacity-model';
import { clusterGrowthSchema, type ClusterGrowth } from './cluster-growth';
import type { ForecastFormat } from './forecast-text';

const MONTH_MS = 30 * 86_400_000;
/** Days of local history at which its trend has the whole weight. */
export const FULL_WEIGHT_DAYS = 90;
/** Local history shorter than this has no trend of its own (a day of noise is not a trend). */
export const MIN_TREND_DAYS = 1;

export const forecastSourceSchema = z.enum(['cluster', 'history', 'blended', 'model', 'none']);

/** What a forecast stands on: the method line (forecast-text.ts) is written from these alone. */
export const forecastInputsSchema = z.object({
  /** Shards open, or disk bytes used (summed over the data nodes), at the last sample. */
  used: z.number(),
  /** The shard limit, or the summed bytes at the low watermarks. */
  limit: z.number(),
  /** Data nodes of the last sample (disk: the room is the tightest node's times this; 0: summed). */
  dataNodes: z.number(),
  /** Local history's trend a month over the last FULL_WEIGHT_DAYS (null: no trend), and its span in days. */
  historyPerMonth: z.number().nullable(),
  historyDays: z.number(),
  /** The cluster's own rate a month (null: none), and the complete months it averages. */
  clusterPerMonth: z.number().nullable(),
  clusterMonths: z.number(),
});
export type ForecastInputs = z.infer<typeof forecastInputsSchema>;

export const limitForecastSchema = z.object({
  /** Growth a month (shards, or bytes), and where it comes from. */
  perMonth: z.number().nullable(),
  source: forecastSourceSchema,
  /** Weight of local history in the blend (0-1). */
  historyWeight: z.number(),
  /** Room left under the limit now. */
  headroom: z.number(),
  /** Months until the limit at that growth (0: at or past it; null: not growing). */
  months: z.number().nullable(),
  /** When the limit is crossed (ms since the epoch), or null. */
  crossesAt: z.number().nullable(),
  inputs: forecastInputsSchema,
});
export type LimitForecast = z.infer<typeof limitForecastSchema>;

export const capacityForecastSchema = z.object({ shards: limitForecastSchema, disk: limitForecastSchema });
export type CapacityForecast = z.infer<typeof capacityForecastSchema>;

export interface ForecastInput {
  /** Local history, oldest first (the last entry is now). */
  series: HistorySeries;
  cluster: ClusterGrowth | null;
  /** The layout model's shards a month (snapshot.growth), the fallback when nothing is measured. */
  modelShardsPerMonth?: number | null;
  /**
   * The data nodes of the last sample: the disk forecast then ends when the FIRST node reaches its low
   * watermark (see evenDiskHeadroom), not when the nodes' sum reaches the sum of theirs.
   */
  nodes?: HistorySample['n'];
  nowMs: number;
}

/**
 * Disk room before the first data node reaches its low watermark, counted in bytes the cluster can
 * still take: Elasticsearch spreads new shards evenly over the data nodes, so growth g a month adds
 * about g / N to each, and the node with the least room r crosses after r / (g / N) months, i.e.
 * after N × r bytes of growth. The summed room overstates it whenever the nodes are unequal.
 * Null without data nodes.
 */
export function evenDiskHeadroom(nodes: HistorySample['n']): number | null {
  if (nodes.length === 0) return null;
  const tightest = Math.min(...nodes.map(([, used, , low]) => low - used));
  return nodes.length * tightest;
}

/** Weight of local history spanning `days`: 0 below MIN_TREND_DAYS, rising to 1 at FULL_WEIGHT_DAYS. */
export function historyWeight(days: number): number {
  if (days < MIN_TREND_DAYS) return 0;
  return Math.min(1, days / FULL_WEIGHT_DAYS);
}

/** Blend a history trend and a cluster rate by the weight; whichever exists when the other does not. */
export function blend(
  history: number | null,
  cluster: number | null,
  weight: number,
): { perMonth: number | null; source: LimitForecast['source'] } {
  if (history !== null && weight > 0 && cluster !== null) {
    if (weight >= 1) return { perMonth: history, source: 'history' };
    return { perMonth: weight * history + (1 - weight) * cluster, source: 'blended' };
  }
  if (history !== null && weight > 0) return { perMonth: history, source: 'history' };
  if (cluster !== null) return { perMonth: cluster, source: 'cluster' };
  return { perMonth: null, source: 'none' };
}

function limitForecast(
  perMonth: number | null,
  source: LimitForecast['source'],
  weight: number,
  headroom: number,
  nowMs: number,
  inputs: ForecastInputs,
): LimitForecast {
  let months: number | null = null;
  if (headroom <= 0) months = 0;
  else if (perMonth !== null && perMonth > 0) months = headroom / perMonth;
  return {
    perMonth,
    source,
    historyWeight: weight,
    headroom,
    months,
    crossesAt: months === null ? null : nowMs + months * MONTH_MS,
    inputs,
  };
}

/** The trend of the last FULL_WEIGHT_DAYS of a column, per month. */
function recentSlope(ts: readonly number[], ys: readonly number[], nowMs: number): number | null {
  const since = nowMs / 1000 - FULL_WEIGHT_DAYS * 86_400;
  const start = ts.findIndex((t) => t >= since);
  if (start < 0) return null;
  return slopePerMonth(ts.slice(start), ys.slice(start));
}

/** Months to the shard limit and to the low watermark, from the cluster's growth and local history. */
export function forecastOf(input: ForecastInput): CapacityForecast {
  const { series, cluster, nowMs } = input;
  const last = series.t.length - 1;
  const spanDays = last > 0 ? (series.t[last]! - series.t[0]!) / 86_400 : 0;
  const weight = historyWeight(spanDays);

  const shardHeadroom = last >= 0 ? series.shardLimit[last]! - series.shardsOpen[last]! : 0;
  const shardTrend = recentSlope(series.t, series.shardsOpen, nowMs);
  let shards = blend(shardTrend, cluster?.shardsPerMonth ?? null, weight);
  if (shards.source === 'none' && input.modelShardsPerMonth != null)
    shards = { perMonth: input.modelShardsPerMonth, source: 'model' };

  const summed = last >= 0 ? series.diskLow[last]! - series.diskUsed[last]! : 0;
  const even = input.nodes ? evenDiskHeadroom(input.nodes) : null;
  const diskHeadroom = even ?? summed;
  const diskTrend = recentSlope(series.t, series.diskUsed, nowMs);
  const disk = blend(diskTrend, cluster?.bytesPerMonth ?? null, weight);

  const at = (ys: readonly number[]) => (last >= 0 ? ys[last]! : 0);
  const common = { historyDays: spanDays, clusterMonths: cluster?.monthsObserved ?? 0 };
  return {
    shards: limitForecast(shards.perMonth, shards.source, weight, shardHeadroom, nowMs, {
      ...common,
      used: at(series.shardsOpen),
      limit: at(series.shardLimit),
      dataNodes: input.nodes?.length ?? 0,
      historyPerMonth: weight > 0 ? shardTrend : null,
      clusterPerMonth: cluster?.shardsPerMonth ?? null,
    }),
    disk: limitForecast(disk.perMonth, disk.source, weight, diskHeadroom, nowMs, {
      ...common,
      used: at(series.diskUsed),
      limit: at(series.diskLow),
      dataNodes: even === null ? 0 : (input.nodes?.length ?? 0),
      historyPerMonth: weight > 0 ? diskTrend : null,
      clusterPerMonth: cluster?.bytesPerMonth ?? null,
    }),
  };
}

/**
 * The forecast of an instance that has no history to read (a service without one, a unit test): the
 * same forecastOf over its one snapshot, so the layout model's growth ('model') with the same words.
 */
export function snapshotForecast(snapshot: CapacitySnapshot): CapacityForecast {
  const sample = sampleOf(snapshot);
  return forecastOf({
    series: seriesOf([sample], 0),
    cluster: null,
    modelShardsPerMonth: snapshot.growth.newShardsPerMonth,
    nodes: sample.n,
    nowMs: sample.t,
  });
}

/** Counts grouped by thousands with commas, sizes in binary units: how the CLI and Prometheus write them. */
export const PLAIN_FORMAT: ForecastFormat = {
  count: (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ','),
  bytes: formatByteSize,
};

export {
  forecastFigure,
  forecastMethod,
  forecastSentence,
  monthsText,
  wholeMonths,
  type ForecastFormat,
  type ForecastLimit,
} from './forecast-text';

/** What `capacity.history` answers: an instance's series over a range, its growth and forecast. */
export const historyViewSchema = z.object({
  instanceId: z.string(),
  range: z.enum(HISTORY_RANGES),
  series: historySeriesSchema,
  /** Samples kept in all (every range), and when the first was taken (ms), or null. */
  samples: z.number(),
  firstAt: z.number().nullable(),
  cluster: clusterGrowthSchema.nullable(),
  forecast: capacityForecastSchema,
});
export type HistoryView = z.infer<typeof historyViewSchema>;

/** One instance in the fleet's headroom overview (`capacity.headroom`): its last sample and forecast. */
export const headroomRowSchema = z.object({
  instanceId: z.string(),
  /** When the last sample was taken (ms), or null: no history yet. */
  at: z.number().nullable(),
  shardsOpen: z.number(),
  shardLimit: z.number(),
  diskUsed: z.number(),
  diskLow: z.number(),
  diskTotal: z.number(),
  forecast: capacityForecastSchema,
});
export type HeadroomRow = z.infer<typeof headroomRowSchema>;
