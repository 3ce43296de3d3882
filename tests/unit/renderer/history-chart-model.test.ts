import { describe, expect, it } from 'vitest';
import {
  chartModels,
  FORECAST_HORIZON_S,
  fullSpan,
  historySpan,
  legendAt,
  LINE_STYLES,
} from '../../../renderer/features/history/chart-model';
import { parseRoute, routeHash } from '../../../renderer/lib/routes';
import { forecastOf, type HistoryView } from '../../../shared/capacity/capacity-forecast';
import { seriesOf, type HistorySample } from '../../../shared/capacity/capacity-history';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const sample = (t: number, open: number): HistorySample => ({
  t,
  st: 'green',
  n: [['n1', 500, 1000, 850, 900, 950, 1, 2]],
  sh: [open, 1000],
  ix: 1,
  tn: 1,
  pt: {},
});

function view(samples: HistorySample[]): HistoryView {
  const series = seriesOf(samples, 0);
  return {
    instanceId: 'eu1',
    range: '90d',
    series,
    samples: samples.length,
    firstAt: samples[0]?.t ?? null,
    cluster: null,
    forecast: forecastOf({ series, cluster: null, nowMs: NOW }),
  };
}

describe('chart models', () => {
  it('the shards chart draws the limit and a forecast from the last sample to the date the forecast names', () => {
    // 90 days growing 30 a month (100 → 190): 810 to go at 30 a month = 27 months, past two years.
    const v = view([sample(NOW - 90 * DAY, 100), sample(NOW - 45 * DAY, 145), sample(NOW, 190)]);
    const shards = chartModels(v).find((m) => m.kind === 'shards')!;
    expect(shards.lines.map((l) => l.label)).toEqual(['Open shards', 'Shard limit', 'Forecast']);
    expect(shards.t).toHaveLength(4);
    // The chart ends where the forecast text's date is, not at a two-year cap.
    expect(shards.t[3]! * 1000).toBeCloseTo(v.forecast.shards.crossesAt!, -3);
    expect(shards.forecastEnd).toBe(shards.t[3]);
    expect(shards.crossingBeyond).toBeNull();
    const forecast = shards.lines[2]!.values;
    expect(forecast.slice(0, 2)).toEqual([null, null]);
    expect(forecast[2]).toBe(190);
    expect(forecast[3]).toBe(1000);
    // The limit line goes on to the forecast's end; the measured line does not.
    expect(shards.lines[1]!.values[3]).toBe(1000);
    expect(shards.lines[0]!.values[3]).toBeNull();
  });

  it('no two lines of a chart share a colour or a dash', () => {
    const v = view([sample(NOW - 90 * DAY, 100), sample(NOW, 190)]);
    for (const m of chartModels(v)) {
      const looks = m.lines.map((l) => LINE_STYLES[l.style]);
      expect(new Set(looks.map((l) => l.colour)).size).toBe(m.lines.length);
      expect(new Set(looks.map((l) => l.dash.join(','))).size).toBe(m.lines.length);
    }
    const disk = chartModels(v).find((m) => m.kind === 'disk')!;
    expect(disk.lines.map((l) => [l.label, l.style])).toEqual([
      ['Disk used', 'measured'],
      ['Low watermark', 'threshold'],
      ['Flood stage', 'limit'],
    ]);
  });

  it('a crossing more than ten years out: the line stops at the horizon and the chart says when it crosses', () => {
    // 1 shard a month with 800 to go: 800 months.
    const v = view([sample(NOW - 60 * DAY, 198), sample(NOW, 200)]);
    const shards = chartModels(v).find((m) => m.kind === 'shards')!;
    expect(shards.forecastEnd! - shards.t[1]!).toBe(FORECAST_HORIZON_S);
    expect(shards.crossingBeyond! * 1000).toBeCloseTo(v.forecast.shards.crossesAt!, -3);
    const end = shards.lines[2]!.values[2]!;
    expect(end).toBeGreaterThan(200);
    expect(end).toBeLessThan(1000);
  });

  it('the legend: the latest figures (the forecast at its end) until an index is hovered', () => {
    const v = view([sample(NOW - 90 * DAY, 100), sample(NOW - 45 * DAY, 145), sample(NOW, 190)]);
    const shards = chartModels(v).find((m) => m.kind === 'shards')!;
    expect(legendAt(shards, null)).toEqual({ t: shards.t[2], values: [190, 1000, 1000] });
    expect(legendAt(shards, 0)).toEqual({ t: shards.t[0], values: [100, 1000, null] });
    expect(legendAt(shards, 3)).toEqual({ t: shards.t[3], values: [null, 1000, 1000] });
    expect(fullSpan(shards)).toEqual({ min: shards.t[0], max: shards.t[3] });
    // The history alone: up to the last sample; a chart without a forecast is all history.
    expect(historySpan(shards)).toEqual({ min: shards.t[0], max: shards.t[2] });
    expect(historySpan(chartModels(v).find((m) => m.kind === 'heap')!)).toBeNull();
    expect(chartModels(view([]))[0]!.t).toEqual([]);
    expect(legendAt(chartModels(view([]))[0]!, null)).toEqual({ t: null, values: [null, null, null] });
  });

  it('no growth, no forecast line; heap never has one', () => {
    const v = view([sample(NOW - 10 * DAY, 100), sample(NOW, 100)]);
    for (const m of chartModels(v)) {
      expect(m.lines.map((l) => l.label)).not.toContain('Forecast');
      expect(m.t).toHaveLength(2);
    }
  });

  it('the history route', () => {
    expect(parseRoute('#/history/eu-1')).toEqual({ screen: 'history', id: 'eu-1' });
    expect(routeHash({ screen: 'history', id: 'eu-1' })).toBe('#/history/eu-1');
    expect(parseRoute('#/history')).toEqual({ screen: 'fleet' });
  });
});
