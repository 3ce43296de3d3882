// PlacementService ranks by the measured growth: the capacity forecasts of the instances it
// snapshotted, read once their snapshots are in the history (flush first), the layout model where
// nothing is measured or the history cannot be read.
import { describe, expect, it } from 'vitest';
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { CapacityForecast, LimitForecast } from '../../../shared/capacity/capacity-forecast';
import type { ForecastSource } from '../../../main/services/history';
import { PlacementService } from '../../../main/services/placement';
import { GiB, snapshot } from '../fixtures/capacity-snapshot';
import { TEST_INPUTS } from '../fixtures/forecast-inputs';

const limit = (perMonth: number | null, source: LimitForecast['source']): LimitForecast => ({
  perMonth,
  source,
  historyWeight: 0,
  headroom: 1,
  months: null,
  crossesAt: null,
  inputs: TEST_INPUTS,
});
const forecast = (shards: number): CapacityForecast => ({
  shards: limit(shards, 'cluster'),
  disk: limit(null, 'none'),
});

function fleet(order: string[]) {
  const ids = ['a-fast', 'b-slow', 'c-down'];
  const summaries = ids.map((id) => ({
    instance: { id, name: `Instance ${id}`, tracardiVersion: '0.9.x' as const, environment: 'production' as const },
  }));
  const outcomes = new Map<string, CapacityOutcome>([
    ['a-fast', { ok: true, snapshot: snapshot({ id: 'a-fast', openShards: 100, tenantBytes: [GiB, GiB] }) }],
    ['b-slow', { ok: true, snapshot: snapshot({ id: 'b-slow', openShards: 100, tenantBytes: [GiB, GiB] }) }],
    ['c-down', { ok: false, instanceId: 'c-down', error: { code: 'es-refused', message: 'refused' } }],
  ]);
  return {
    instances: { list: async () => summaries as never },
    capacity: {
      snapshotAll: async (list?: readonly string[]) => {
        order.push('snapshotAll');
        return (list ?? ids).map((id) => outcomes.get(id)!);
      },
      flush: async () => {
        order.push('flush');
      },
    },
  };
}

describe('PlacementService with measured growth', () => {
  it('reads the forecasts of the instances snapshotted, after flushing, and ranks by them', async () => {
    const order: string[] = [];
    const asked: string[][] = [];
    const forecasts: ForecastSource = {
      forecasts: async (ids) => {
        order.push('forecasts');
        asked.push([...ids]);
        return new Map([
          ['a-fast', forecast(90)],
          ['b-slow', forecast(10)],
        ]);
      },
    };
    const [report] = await new PlacementService({ ...fleet(order), forecasts }).place({ version: '0.9.x' });
    expect(order).toEqual(['snapshotAll', 'flush', 'forecasts']);
    expect(asked).toEqual([['a-fast', 'b-slow']]); // not the one without a snapshot
    expect(report!.ranking.map((f) => f.instanceId)).toEqual(['b-slow', 'a-fast']);
    expect(report!.ranking[0]!.growthSource).toBe('measured from the cluster');
    // The forecast the history gave is the one the figures carry (every screen shows it).
    expect(report!.ranking.map((f) => f.forecast.shards.perMonth)).toEqual([10, 90]);
    expect(report!.refused.map((r) => r.instanceId)).toEqual(['c-down']);
  });

  it('without forecasts, or when the history cannot be read, the layout model ranks', async () => {
    const order: string[] = [];
    const [plain] = await new PlacementService(fleet(order)).place({ version: '0.9.x' });
    expect(order).toEqual(['snapshotAll']);
    // Equal by the layout: ordered by id.
    expect(plain!.ranking.map((f) => f.instanceId)).toEqual(['a-fast', 'b-slow']);
    expect(plain!.ranking[0]!.growthSource).toBe('partition layout');

    const broken: ForecastSource = { forecasts: async () => Promise.reject(new Error('EACCES')) };
    const [fallback] = await new PlacementService({ ...fleet([]), forecasts: broken }).place({ version: '0.9.x' });
    expect(fallback!.ranking.map((f) => f.instanceId)).toEqual(['a-fast', 'b-slow']);
    expect(fallback!.ranking[0]!.growthSource).toBe('partition layout (nothing measured yet)');
  });

  it('ranks for the environment asked (production by default), the others apart', async () => {
    const order: string[] = [];
    const base = fleet(order);
    const envs: Record<string, 'production' | 'development'> = { 'a-fast': 'development', 'b-slow': 'production' };
    const list = async () =>
      ((await base.instances.list()) as { instance: { id: string } }[]).map((s) => ({
        ...s,
        instance: { ...s.instance, environment: envs[s.instance.id] ?? 'production' },
      }));
    const service = new PlacementService({ ...base, instances: { list: list as never } });
    const [prod] = await service.place({ version: '0.9.x' });
    expect(prod!.environment).toBe('production');
    expect(prod!.ranking.map((f) => f.instanceId)).toEqual(['b-slow']);
    expect(prod!.elsewhere.map((f) => [f.instanceId, f.environment])).toEqual([['a-fast', 'development']]);
    const [dev] = await service.place({ version: '0.9.x', environment: 'development' });
    expect(dev!.ranking.map((f) => f.instanceId)).toEqual(['a-fast']);
  });
});
