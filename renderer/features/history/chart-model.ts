/**
 * What each chart draws (pure, no uPlot): the measured line, its limits as flat lines, and the
 * forecast as a straight line from the last sample to the date the forecast text names. Every line
 * of a chart has a colour and a dash of its own, and a label on the plot (colour-blind readers).
 */
import type { HistoryView, LimitForecast } from '../../../shared/capacity/capacity-forecast';
import type { HistorySeries } from '../../../shared/capacity/capacity-history';
import { formatBytes, formatCount } from '../../lib/format';

export type ChartKind = 'disk' | 'shards' | 'heap';

/** How a line is drawn: what was measured, a threshold (soft limit), a hard limit, the forecast. */
export type LineStyle = 'measured' | 'threshold' | 'limit' | 'forecast';

/** Colour (a CSS variable of history.css) and dash of each style: no two lines of a chart share either. */
export const LINE_STYLES: Readonly<Record<LineStyle, { colour: string; dash: readonly number[] }>> = {
  measured: { colour: '--chart-measured', dash: [] },
  threshold: { colour: '--chart-threshold', dash: [2, 4] },
  limit: { colour: '--chart-limit', dash: [12, 4, 3, 4] },
  forecast: { colour: '--chart-forecast', dash: [7, 5] },
};

export interface ChartLine {
  label: string;
  style: LineStyle;
  values: (number | null)[];
}

export interface ChartModel {
  kind: ChartKind;
  title: string;
  unit: 'bytes' | 'count';
  /** Seconds since the epoch: the samples, then the forecast's end (if any). */
  t: number[];
  lines: ChartLine[];
  /** Index of the last sample in `t` (-1: none). */
  lastSample: number;
  /** Where the drawn forecast ends (seconds), or null: no forecast line. */
  forecastEnd: number | null;
  /** The crossing the forecast names, when it is further out than the chart draws (seconds). */
  crossingBeyond: number | null;
}

/** How far out a forecast line is drawn at most: beyond it the chart says where it would cross. */
export const FORECAST_HORIZON_S = 10 * 365 * 86_400;

/** The forecast line's end: the date the forecast names, at the value it crosses at (or the horizon). */
function forecastEnd(
  f: LimitForecast | null,
  lastT: number,
  lastValue: number,
): { t: number; value: number; beyond: number | null } | null {
  if (f === null || f.crossesAt === null || f.months === null || f.months <= 0) return null;
  const crossing = f.crossesAt / 1000;
  if (crossing <= lastT) return null;
  const reached = lastValue + f.headroom;
  if (crossing - lastT <= FORECAST_HORIZON_S) return { t: crossing, value: reached, beyond: null };
  const end = lastT + FORECAST_HORIZON_S;
  return { t: end, value: lastValue + (f.headroom * (end - lastT)) / (crossing - lastT), beyond: crossing };
}

/** One chart: its name and unit, what was measured, its limits, the forecast it draws. */
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
  const end = last >= 0 ? forecastEnd(f, s.t[last]!, measured.values[last] ?? 0) : null;
  if (end !== null) {
    t.push(end.t);
    // The limits go on to the forecast's end; the measured line stops at the last sample.
    for (const l of lines) l.values = [...l.values, l === measured ? null : (l.values[last] ?? null)];
    const forecast = t.map((_, i) => (i === last ? (measured.values[last] ?? null) : null));
    forecast[last + 1] = end.value;
    lines.push({ label: 'Forecast', style: 'forecast', values: forecast });
  }
  return {
    kind,
    title,
    unit,
    t,
    lines,
    lastSample: last,
    forecastEnd: end?.t ?? null,
    crossingBeyond: end?.beyond ?? null,
  };
}

/** The three charts of an instance's history: disk and shards with their forecast, heap without. */
export function chartModels(view: HistoryView): ChartModel[] {
  const s = view.series;
  const specs: ChartSpec[] = [
    {
      kind: 'disk',
      title: 'Disk used (data nodes)',
      unit: 'bytes',
      measured: { label: 'Disk used', style: 'measured', values: s.diskUsed },
      limits: [
        { label: 'Low watermark', style: 'threshold', values: s.diskLow },
        { label: 'Flood stage', style: 'limit', values: s.diskFlood },
      ],
      forecast: view.forecast.disk,
    },
    {
      kind: 'shards',
      title: 'Open shards',
      unit: 'count',
      measured: { label: 'Open shards', style: 'measured', values: s.shardsOpen },
      limits: [{ label: 'Shard limit', style: 'limit', values: s.shardLimit }],
      forecast: view.forecast.shards,
    },
    {
      kind: 'heap',
      title: 'Heap used',
      unit: 'bytes',
      measured: { label: 'Heap used', style: 'measured', values: s.heapUsed },
      limits: [{ label: 'Heap max', style: 'limit', values: s.heapMax }],
      forecast: null,
    },
  ];
  return specs.map((spec) => withForecast(s, spec));
}

/**
 * What the legend shows for each line at index `i` of `t`, or, with no index (nothing hovered), the
 * latest figures: each line's value at the last sample, the forecast's at its end.
 */
export function legendAt(model: ChartModel, i: number | null): { t: number | null; values: (number | null)[] } {
  if (i !== null && i >= 0 && i < model.t.length)
    return { t: model.t[i]!, values: model.lines.map((l) => l.values[i] ?? null) };
  const last = model.lastSample;
  const end = model.t.length - 1;
  return {
    t: last >= 0 ? model.t[last]! : null,
    values: model.lines.map((l) => (l.style === 'forecast' ? (l.values[end] ?? null) : (l.values[last] ?? null))),
  };
}

/** The whole span of a chart: from the first sample to the forecast's end (seconds). */
export function fullSpan(model: ChartModel): { min: number; max: number } | null {
  if (model.t.length === 0) return null;
  return { min: model.t[0]!, max: model.t[model.t.length - 1]! };
}

/** The samples' span alone (seconds), when the chart goes on past them to a forecast's end; else null. */
export function historySpan(model: ChartModel): { min: number; max: number } | null {
  if (model.forecastEnd === null || model.lastSample < 1) return null;
  return { min: model.t[0]!, max: model.t[model.lastSample]! };
}

/** A value in the chart's unit, as the rest of the console writes it. */
export function chartValue(unit: ChartModel['unit'], v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return unit === 'bytes' ? formatBytes(v) : formatCount(Math.round(v));
}
