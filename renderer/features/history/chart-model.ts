/**
 * What each chart draws (pure, no uPlot): the measured line, its limits as flat lines, and the
 * forecast as a straight line from the last sample to the date it crosses the limit.
 */
import type { HistoryView, LimitForecast } from '../../../shared/capacity-forecast';
import type { HistorySeries } from '../../../shared/capacity-history';

export type ChartKind = 'disk' | 'shards' | 'heap';

export interface ChartLine {
  label: string;
  /** Theme colour (a CSS variable name). */
  colour: string;
  dash?: number[];
  values: (number | null)[];
}

export interface ChartModel {
  kind: ChartKind;
  title: string;
  unit: 'bytes' | 'count';
  /** Seconds since the epoch. */
  t: number[];
  lines: ChartLine[];
}

const MONTH_S = 30 * 86_400;

/** Where the forecast line ends: at its crossing, capped at two years out. */
function forecastEnd(f: LimitForecast, lastT: number): number | null {
  if (f.months === null || f.months <= 0 || f.perMonth === null) return null;
  return lastT + Math.min(f.months, 24) * MONTH_S;
}

/** What was measured: the accent line. */
function measuredLine(label: string, values: (number | null)[]): ChartLine {
  return { label, colour: '--accent', values };
}

/** A limit: a flat dotted line, in the danger colour unless another is given. */
function limitLine(label: string, values: (number | null)[], colour = '--danger'): ChartLine {
  return { label, colour, dash: [2, 3], values };
}

/** One chart: what it is called, its unit, what was measured, its limits and the forecast it draws. */
interface ChartSpec {
  kind: ChartKind;
  title: string;
  unit: ChartModel['unit'];
  measured: ChartLine;
  limits: ChartLine[];
  forecast: LimitForecast | null;
}

function withForecast(s: HistorySeries, { kind, title, unit, measured, limits, forecast: f }: ChartSpec): ChartModel {
  const t = [...s.t];
  const lines = [measured, ...limits];
  const last = s.t.length - 1;
  const end = f !== null && last >= 0 ? forecastEnd(f, s.t[last]!) : null;
  const forecast: (number | null)[] = s.t.map((_, i) => (i === last ? measured.values[i]! : null));
  if (end !== null && f?.perMonth != null && last >= 0) {
    t.push(end);
    for (const l of lines) l.values = [...l.values, l === measured ? null : (l.values[last] ?? null)];
    forecast.push((measured.values[last] ?? 0) + ((end - s.t[last]!) / MONTH_S) * f.perMonth);
    lines.push({ label: 'Forecast', colour: '--warn', dash: [6, 4], values: forecast });
  }
  return { kind, title, unit, t, lines };
}

/** The three charts of an instance's history: disk and shards with their forecast, heap without. */
export function chartModels(view: HistoryView): ChartModel[] {
  const s = view.series;
  const specs: ChartSpec[] = [
    {
      kind: 'disk',
      title: 'Disk used (data nodes)',
      unit: 'bytes',
      measured: measuredLine('Disk used', s.diskUsed),
      limits: [limitLine('Low watermark', s.diskLow, '--warn'), limitLine('Flood stage', s.diskFlood)],
      forecast: view.forecast.disk,
    },
    {
      kind: 'shards',
      title: 'Open shards',
      unit: 'count',
      measured: measuredLine('Open shards', s.shardsOpen),
      limits: [limitLine('Shard limit', s.shardLimit)],
      forecast: view.forecast.shards,
    },
    {
      kind: 'heap',
      title: 'Heap used',
      unit: 'bytes',
      measured: measuredLine('Heap used', s.heapUsed),
      limits: [limitLine('Heap max', s.heapMax)],
      forecast: null,
    },
  ];
  return specs.map((spec) => withForecast(s, spec));
}
