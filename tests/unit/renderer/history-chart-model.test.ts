import { describe, expect, it } from 'vitest';
import { chartModels } from '../../../renderer/features/history/chart-model';
import { parseRoute, routeHash } from '../../../renderer/lib/routes';
import { forecastOf, type HistoryView } from '../../../shared/capacity-forecast';
import { seriesOf, type HistorySample } from '../../../shared/capacity-history';

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
  it('the shards chart draws the limit and a forecast from the last sample to the crossing', () => {
    // 90 days growing 30 a month (100 → 190): 810 to go at 30 a month = 27 months, capped at 24 on the chart.
    const v = view([sample(NOW - 90 * DAY, 100), sample(NOW - 45 * DAY, 145), sample(NOW, 190)]);
    const shards = chartModels(v).find((m) => m.kind === 'shards')!;
    expect(shards.lines.map((l) => l.label)).toEqual(['Open shards', 'Shard limit', 'Forecast']);
    expect(shards.t).toHaveLength(4);
    expect(shards.t[3]! - shards.t[2]!).toBe(24 * 30 * 86_400);
    const forecast = shards.lines[2]!.values;
    expect(forecast.slice(0, 2)).toEqual([null, null]);
    expect(forecast[2]).toBe(190);
    expect(forecast[3]).toBeCloseTo(190 + 24 * 30, 6);
    // The limit line goes on to the forecast's end; the measured line does not.
    expect(shards.lines[1]!.values[3]).toBe(1000);
    expect(shards.lines[0]!.values[3]).toBeNull();
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
