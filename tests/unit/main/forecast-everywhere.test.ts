/**
 * One forecast per instance and limit, computed in one place (HistoryService over forecastOf) and
 * shown the same everywhere: the UI's ForecastLines (Fleet card, headroom table, Instance, History,
 * placement), `tenantctl capacity` and `--place`, the Prometheus metrics and the watch's detail all
 * carry the same whole months and the same method line for the same instance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSnapshot } from '../../../main/cli/commands/capacity';
import { formatPlacement } from '../../../main/cli/commands/capacity-place';
import { HistoryService, HistoryStore } from '../../../main/services/history';
import { limitsOf } from '../../../main/services/watch';
import { forecastTexts, UI_FORECAST_FORMAT } from '../../../renderer/lib/forecast-format';
import type { CapacitySnapshot } from '../../../shared/capacity/capacity';
import {
  forecastSentence,
  PLAIN_FORMAT,
  wholeMonths,
  type CapacityForecast,
} from '../../../shared/capacity/capacity-forecast';
import { sampleOf } from '../../../shared/capacity/capacity-history';
import { capacityMetrics } from '../../../shared/capacity/capacity-metrics';
import type { ClusterGrowth } from '../../../shared/capacity/cluster-growth';
import { placeFleet } from '../../../shared/capacity/placement';
import { GiB, snapshot } from '../fixtures/capacity-snapshot';

const DAY = 86_400_000;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-forecast-everywhere-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 36 days of history (shards +1 a day, disk +1 GiB a day) ending in `last`, and the cluster's own rate. */
async function recorded(last: CapacitySnapshot): Promise<{ service: HistoryService; now: number }> {
  const now = Date.parse(last.takenAt);
  let clock = now - 36 * DAY;
  const store = new HistoryStore({ dir, clock: { now: () => clock } });
  const end = sampleOf(last);
  for (let d = 36; d >= 1; d--) {
    clock = now - d * DAY;
    const n = end.n.map(([name, used, ...rest]) => [name, used - d * GiB, ...rest] as (typeof end.n)[number]);
    expect(await store.append({ ...end, t: clock, n, sh: [end.sh[0] - d, end.sh[1]] }, last.instanceId)).toBe(true);
  }
  clock = now;
  const cluster: ClusterGrowth = {
    measuredAt: now,
    months: [],
    monthsObserved: 6,
    shardsPerMonth: 64,
    bytesPerMonth: 12 * GiB,
    perTenant: {},
  };
  expect(await store.record(last, cluster)).toBe(true);
  return { service: new HistoryService({ store, clock: { now: () => now } }), now };
}

describe('one forecast, the same on every surface', () => {
  it('HistoryService answers one forecast to History, the headroom table and placement; every printer writes it alike', async () => {
    const s = snapshot({ id: 'eu1', openShards: 400, tenantBytes: [GiB, GiB] });
    const { service } = await recorded(s);
    const view = await service.view('eu1', '90d');
    const [row] = await service.headroom(['eu1']);
    const forecasts = await service.forecasts(['eu1']);
    const f: CapacityForecast = forecasts.get('eu1')!;
    // Computed once: History, the headroom table (Fleet) and placement/watch/Prometheus get the same object.
    expect(view.forecast).toEqual(f);
    expect(row!.forecast).toEqual(f);
    // 36 days of history blended into the cluster's rate, for both limits.
    expect(f.shards.source).toBe('blended');
    expect(f.disk.source).toBe('blended');

    const shards = forecastSentence('shards', f.shards, PLAIN_FORMAT);
    const disk = forecastSentence('disk', f.disk, PLAIN_FORMAT);
    const months = wholeMonths(f.shards)!;
    expect(shards).toBe(
      `Shard limit in about ${months} months: cluster growth 64 shards a month blended with 36 days of local ` +
        `history (30 shards a month, weight 40%): ${Math.round(f.shards.perMonth!)} shards a month; 400 of 1,000 shards open`,
    );
    expect(disk).toMatch(
      /^Low disk watermark in about \d+ months: cluster growth 12\.0 GiB a month blended with 36 days of local history \(30\.\d GiB a month, weight 40%\): \d+\.\d GiB a month; 750 GiB left to the low watermark$/,
    );

    // The UI (Fleet card, headroom table, Instance, History, placement all render ForecastLines, which
    // writes "<figure>: <method>" from forecastTexts).
    expect(forecastTexts(f).map((t) => `${t.figure}: ${t.method}`)).toEqual([shards, disk]);
    expect(forecastSentence('shards', f.shards, UI_FORECAST_FORMAT)).toBe(shards);

    // tenantctl capacity.
    expect(formatSnapshot(s, 'EU 1', f)).toEqual(
      expect.arrayContaining([`  forecast ${shards}`, `           ${disk}`]),
    );

    // Placement (the New tenant dialog renders the same figures with ForecastLines) and tenantctl capacity --place.
    const candidate = {
      instanceId: 'eu1',
      name: 'EU 1',
      version: '0.9.x' as const,
      environment: 'production' as const,
    };
    const [report] = placeFleet([{ ...candidate, outcome: { ok: true, snapshot: s } }], '0.9.x', { forecasts });
    expect(report!.ranking[0]!.forecast).toEqual(f);
    const place = formatPlacement([report!]);
    expect(place).toEqual(expect.arrayContaining([`     ${shards}`, `     ${disk}`]));

    // Prometheus: the same whole months with the method's source, and its inputs.
    const prom = parsePrometheusTextFormat(
      capacityMetrics([{ ok: true, snapshot: s }], new Map(), Date.now(), forecasts),
    );
    const value = (name: string, labels: Record<string, string>) =>
      Number(
        prom
          .find((x) => x.name === name)!
          .metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))!.value,
      );
    expect(value('tracardi_console_forecast_months_to_limit', { limit: 'shards', source: 'blended' })).toBe(months);
    expect(value('tracardi_console_months_to_shard_limit', { instance: 'eu1' })).toBe(months);
    expect(value('tracardi_console_forecast_months_to_limit', { limit: 'disk_low_watermark', source: 'blended' })).toBe(
      wholeMonths(f.disk),
    );
    expect(value('tracardi_console_forecast_growth_per_month', { limit: 'shards' })).toBeCloseTo(f.shards.perMonth!, 6);
    expect(value('tracardi_console_forecast_headroom', { limit: 'shards' })).toBe(600);
    expect(value('tracardi_console_forecast_history_days', { instance: 'eu1' })).toBe(36);

    // The watch: the same months, and the detail says the same line.
    const limits = limitsOf(s, f);
    expect(limits.monthsUntilShardLimit).toBe(months);
    expect(limits.forecastLine).toBe(shards);
  });

  it('without a history every surface falls back to the same snapshot forecast (the layout model)', () => {
    const s = snapshot({ id: 'eu1', openShards: 400, tenantBytes: [GiB, GiB] });
    const [report] = placeFleet(
      [
        {
          instanceId: 'eu1',
          name: 'EU 1',
          version: '0.9.x',
          environment: 'production',
          outcome: { ok: true, snapshot: s },
        },
      ],
      '0.9.x',
    );
    const f = report!.ranking[0]!.forecast;
    expect(f.shards.source).toBe('model');
    const shards = forecastSentence('shards', f.shards, PLAIN_FORMAT);
    expect(shards).toMatch(
      /^Shard limit in about \d+ months: partition layout model: [\d.]+ shards a month at today's tenants \(nothing measured yet\); 400 of 1,000 shards open$/,
    );
    expect(formatSnapshot(s, 'EU 1')).toContain(`  forecast ${shards}`);
    expect(limitsOf(s).forecastLine).toBe(shards);
    expect(limitsOf(s).monthsUntilShardLimit).toBe(wholeMonths(f.shards));
  });
});
