// A watch round's limits: months to the shard limit come from the instance's forecast (the figure the
// History screen and placement show), the layout model's figure only when there is no forecast.
import { describe, expect, it } from 'vitest';
import { gatherRound, limitsOf, type RoundDeps } from '../../../main/services/watch';
import {
  forecastSentence,
  PLAIN_FORMAT,
  type CapacityForecast,
  type LimitForecast,
} from '../../../shared/capacity/capacity-forecast';
import { FORECAST_MONTHS } from '../../../shared/watch/watch';
import { limitValues, detectChanges } from '../../../shared/watch/watch-detect';
import { snapshot } from '../fixtures/capacity-snapshot';
import { TEST_INPUTS } from '../fixtures/forecast-inputs';

function limit(months: number | null, source: LimitForecast['source']): LimitForecast {
  return {
    perMonth: 10,
    source,
    historyWeight: source === 'cluster' ? 0 : 1,
    headroom: 25,
    months,
    crossesAt: null,
    inputs: TEST_INPUTS,
  };
}
const forecast = (months: number | null, source: LimitForecast['source'] = 'cluster'): CapacityForecast => ({
  shards: limit(months, source),
  disk: limit(null, 'none'),
});

function deps(forecasts?: Map<string, CapacityForecast> | Error): RoundDeps {
  return {
    instances: { list: async () => [{ instance: { id: 'eu1', name: 'EU 1' } }] },
    verify: { verify: async () => ({ results: [], stats: { instanceErrors: [] } }) },
    capacity: { snapshotAll: async () => [{ ok: true, snapshot: snapshot({ id: 'eu1', openShards: 100 }) }] },
    ...(forecasts !== undefined
      ? {
          history: {
            forecasts: async () => {
              if (forecasts instanceof Error) throw forecasts;
              return forecasts;
            },
          },
        }
      : {}),
  };
}

describe('watch round limits', () => {
  const snap = snapshot({ id: 'eu1', openShards: 100 });

  it('takes months to the shard limit from the forecast, in whole months, and says whose growth', () => {
    const limits = limitsOf(snap, forecast(2.7, 'blended'));
    expect(limits.monthsUntilShardLimit).toBe(2);
    expect(limits.growthSource).toBe('blended');
    expect(limitValues(limits).forecast).toBe('crossed');
  });

  it('keeps the layout model when there is no forecast or it measured nothing', () => {
    const model = snap.growth.monthsUntilShardLimit;
    expect(limitsOf(snap)).toMatchObject({ monthsUntilShardLimit: model, growthSource: 'model' });
    expect(limitsOf(snap, forecast(1, 'none'))).toMatchObject({ monthsUntilShardLimit: model, growthSource: 'model' });
  });

  it('a forecast that sees no growth means no crossing', () => {
    expect(limitValues(limitsOf(snap, forecast(null))).forecast).toBe('ok');
  });

  it('gatherRound reads the forecasts of the instances it reached, after their snapshots', async () => {
    const input = await gatherRound(deps(new Map([['eu1', forecast(1.2)]])));
    const c = input.capacity[0];
    expect(c?.ok && c.limits).toMatchObject({ monthsUntilShardLimit: 1, growthSource: 'cluster' });
    // And the change the watch raises says the forecast in the words every screen uses.
    const changes = detectChanges(null, input, '2026-12-02T00:00:00.000Z');
    const change = changes.changes.find((x) => x.kind === 'forecast')!;
    expect(change.detail).toBe(
      `${forecastSentence('shards', forecast(1.2).shards, PLAIN_FORMAT)} (the line is ${FORECAST_MONTHS} months)`,
    );
    expect(change.detail).toMatch(/^Shard limit in about 1 month: cluster growth 10 shards a month/);
  });

  it('a failing history leaves the layout model in place (the round goes on)', async () => {
    const input = await gatherRound(deps(new Error('history file unreadable')));
    const c = input.capacity[0];
    expect(c?.ok && c.limits).toMatchObject({
      monthsUntilShardLimit: snap.growth.monthsUntilShardLimit,
      growthSource: 'model',
    });
  });
});
