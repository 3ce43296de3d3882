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

function withForecast(
  kind: ChartKind,
  title: string,
  unit: ChartModel['unit'],
  s: HistorySeries,
  measured: ChartLine,
  limits: ChartLine[],
  f: LimitForecast | null,
): ChartModel {
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

/** The three charts of an instance's history. */
export function chartModels(view: HistoryView): ChartModel[] {
  const s = view.series;
  return [
    withForecast(
      'disk',
      'Disk used (data nodes)',
      'bytes',
      s,
      measuredLine('Disk used', s.diskUsed),
      [limitLine('Low watermark', s.diskLow, '--warn'), limitLine('Flood stage', s.diskFlood)],
      view.forecast.disk,
    ),
    withForecast(
      'shards',
      'Open shards',
      'count',
      s,
      measuredLine('Open shards', s.shardsOpen),
      [limitLine('Shard limit', s.shardLimit)],
      view.forecast.shards,
    ),
    withForecast(
      'heap',
      'Heap used',
      'bytes',
      s,
      measuredLine('Heap used', s.heapUsed),
      [limitLine('Heap max', s.heapMax)],
      null,
    ),
  ];
}
