/**
 * What the shells ask of the history: an instance's chart series over a range with its forecast
 * (`capacity.history`), and every instance's headroom side by side (`capacity.headroom`).
 */
import {
  RANGE_MS,
  seriesOf,
  type HistoryRange,
  type HistorySample,
  type HistorySeries,
} from '../../../shared/capacity/capacity-history';
import { seriesSince, thinSeries } from '../../../shared/capacity/history-chart-series';
import {
  forecastOf,
  type CapacityForecast,
  type HeadroomRow,
  type HistoryView,
} from '../../../shared/capacity/capacity-forecast';
import { ChartCache } from './chart-cache';
import type { HistoryStore } from './history-store';

/**
 * The columns of every sample of a file, per file version: the store answers the same array while
 * the file is unchanged, so the nodes are summed once per version, not on every visit and range.
 */
const columnsByVersion = new WeakMap<readonly HistorySample[], HistorySeries>();
function columnsOf(samples: readonly HistorySample[]): HistorySeries {
  let columns = columnsByVersion.get(samples);
  if (columns === undefined) {
    columns = seriesOf(samples, -Infinity);
    columnsByVersion.set(samples, columns);
  }
  return columns;
}

/** Reads and forecasts over a HistoryStore. */
export class HistoryService {
  readonly #store: HistoryStore;
  readonly #charts: ChartCache;
  readonly #now: () => number;

  constructor(deps: { store: HistoryStore; clock?: { now(): number } }) {
    this.#store = deps.store;
    this.#charts = new ChartCache(deps.store);
    const clock = deps.clock ?? { now: () => Date.now() };
    this.#now = () => clock.now();
  }

  /**
   * An instance's series over `range` (thinned to `points`, the plot's width in pixels, when given),
   * the growth measured from its cluster, and the forecast.
   */
  async view(instanceId: string, range: HistoryRange, points?: number): Promise<HistoryView> {
    // The chart cache, not every sample: a first visit reads columns, not megabytes of JSON lines.
    const [chart, growth] = await Promise.all([this.#charts.read(instanceId), this.#store.growth(instanceId)]);
    const now = this.#now();
    const series = seriesSince(chart.columns, now - RANGE_MS[range]);
    return {
      instanceId,
      range,
      series: points === undefined ? series : thinSeries(series, points),
      samples: chart.columns.t.length,
      firstAt: chart.firstAt,
      cluster: growth?.cluster ?? null,
      forecast: this.#forecastOf(chart.columns, chart.nodes, growth, now),
    };
  }

  /** Forget an instance's history: its files and its chart cache (the instance was removed). */
  async remove(instanceId: string): Promise<void> {
    await Promise.all([this.#store.remove(instanceId), this.#charts.remove(instanceId)]);
  }

  /** Each instance's last sample against its limits, and its forecast. */
  async headroom(instanceIds: readonly string[]): Promise<HeadroomRow[]> {
    const now = this.#now();
    return Promise.all(
      instanceIds.map(async (instanceId) => {
        const [samples, growth] = await Promise.all([this.#store.read(instanceId), this.#store.growth(instanceId)]);
        const last = seriesOf(samples.slice(-1), 0);
        return {
          instanceId,
          at: samples.at(-1)?.t ?? null,
          shardsOpen: last.shardsOpen[0] ?? 0,
          shardLimit: last.shardLimit[0] ?? 0,
          diskUsed: last.diskUsed[0] ?? 0,
          diskLow: last.diskLow[0] ?? 0,
          diskTotal: last.diskTotal[0] ?? 0,
          forecast: this.#forecast(samples, growth, now),
        };
      }),
    );
  }

  /** Each instance's forecast alone (placement ranks by it). */
  async forecasts(instanceIds: readonly string[]): Promise<Map<string, CapacityForecast>> {
    const now = this.#now();
    const entries = await Promise.all(
      instanceIds.map(async (id) => {
        const [samples, growth] = await Promise.all([this.#store.read(id), this.#store.growth(id)]);
        return [id, this.#forecast(samples, growth, now)] as const;
      }),
    );
    return new Map(entries);
  }

  #forecast(
    samples: readonly HistorySample[],
    growth: Awaited<ReturnType<HistoryStore['growth']>>,
    now: number,
  ): HistoryView['forecast'] {
    return this.#forecastOf(columnsOf(samples), samples.at(-1)?.n ?? [], growth, now);
  }

  #forecastOf(
    columns: HistorySeries,
    nodes: HistorySample['n'],
    growth: Awaited<ReturnType<HistoryStore['growth']>>,
    now: number,
  ): HistoryView['forecast'] {
    return forecastOf({
      // The trend reads the last 90 days; older samples do not change it.
      series: seriesSince(columns, now - RANGE_MS['90d']),
      cluster: growth?.cluster ?? null,
      modelShardsPerMonth: growth?.modelShardsPerMonth ?? null,
      nodes,
      nowMs: now,
    });
  }
}
