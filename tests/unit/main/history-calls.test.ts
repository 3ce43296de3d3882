/**
 * `capacity.history` and `capacity.headroom` through the real handlers and a real core (data folder
 * on disk, in-memory keychain), results checked against the contract's schemas: the core reads the
 * history the capacity service writes, under `<data folder>/history`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { createHandlers } from '../../../main/handlers';
import { HistoryStore } from '../../../main/services/history';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { dispatch } from '../../../main/transport/dispatch';
import type { HistoryView } from '../../../shared/capacity/capacity-forecast';
import type { HistorySample } from '../../../shared/capacity/capacity-history';

let dir: string;
let core: Core;
const call = (name: string, args: unknown) => dispatch(createHandlers(core), name, args, { checkResults: true });

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-history-calls-'));
  core = await createCore({ dataDir: dir, secrets: new InMemorySecretStore(), env: {} });
  await core.instances.add(
    {
      id: 'eu1',
      name: 'EU one',
      environment: 'staging',
      apiUrl: 'https://api.eu1.example.com',
      tenantDomainSuffix: 'eu1.example.com',
      tracardiVersion: '0.9.x',
      tmsUrl: 'https://tms.eu1.example.com',
      es: { nodes: ['https://es.eu1.example.com:9200'], auth: { type: 'none' } },
    },
    {},
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('history calls', () => {
  it('an unknown instance is an error; a known one without history is an empty view', async () => {
    expect(await call('capacity.history', { id: 'nope', range: '7d' })).toMatchObject({ ok: false });
    const empty = await call('capacity.history', { id: 'eu1' });
    expect(empty).toMatchObject({
      ok: true,
      value: { range: '90d', samples: 0, forecast: { shards: { source: 'none' } } },
    });
    expect(await call('capacity.history', { id: 'eu1', range: '1y' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('reads what was recorded in the data folder; headroom lists every instance', async () => {
    const now = Date.now();
    const store = new HistoryStore({ dir: path.join(dir, 'history') });
    const sample = (t: number, open: number): HistorySample => ({
      t,
      st: 'green',
      n: [['n1', 50, 100, 85, 90, 95, 1, 2]],
      sh: [open, 1000],
      ix: 3,
      tn: 1,
      pt: { acme: [3, 10] },
    });
    await store.append(sample(now - 30 * 86_400_000, 100), 'eu1');
    await store.append(sample(now, 130), 'eu1');
    const view = await call('capacity.history', { id: 'eu1', range: '90d' });
    expect(view.ok && view.value).toMatchObject({ samples: 2, series: { shardsOpen: [100, 130] } });
    const headroom = await call('capacity.headroom', {});
    expect(headroom.ok && headroom.value).toEqual([
      expect.objectContaining({ instanceId: 'eu1', shardsOpen: 130, shardLimit: 1000, diskUsed: 50, diskLow: 85 }),
    ]);
  });

  it('removing an instance forgets its history; another instance keeps its own', async () => {
    const store = new HistoryStore({ dir: path.join(dir, 'history') });
    const sample = (t: number): HistorySample => ({
      t,
      st: 'green',
      n: [['n1', 50, 100, 85, 90, 95, 1, 2]],
      sh: [100, 1000],
      ix: 3,
      tn: 1,
      pt: {},
    });
    await store.append(sample(Date.now()), 'eu1');
    await store.append(sample(Date.now()), 'us1');
    expect((await store.read('eu1')).length).toBe(1);
    // A chart view leaves its cache beside the history; removing the instance removes that too.
    expect(await call('capacity.history', { id: 'eu1' })).toMatchObject({ ok: true });
    const sidecar = store.file('eu1').replace(/\.jsonl$/, '.chart.json');
    for (let i = 0; i < 100 && !fs.existsSync(sidecar); i++) await new Promise((r) => setTimeout(r, 10));
    expect(fs.existsSync(sidecar)).toBe(true);
    expect(await call('instances.remove', { id: 'eu1' })).toMatchObject({ ok: true });
    expect(fs.existsSync(store.file('eu1'))).toBe(false);
    expect(fs.existsSync(sidecar)).toBe(false);
    expect(await store.read('eu1')).toEqual([]);
    expect((await store.read('us1')).length).toBe(1);
  });

  it('points: the series thinned to the plot width, the last sample exact; a changed file is read again', async () => {
    const store = new HistoryStore({ dir: path.join(dir, 'history'), rawMinIntervalMs: 0 });
    const now = Date.now();
    const sample = (t: number, open: number): HistorySample => ({
      t,
      st: 'green',
      n: [['n1', 50, 100, 85, 90, 95, 1, 2]],
      sh: [open, 1000],
      ix: 3,
      tn: 1,
      pt: {},
    });
    // 30 days, hourly, a shard a day.
    const lines = Array.from({ length: 30 * 24 }, (_, h) =>
      JSON.stringify(sample(now - (720 - h) * 3_600_000, 100 + Math.floor(h / 24))),
    );
    fs.mkdirSync(path.join(dir, 'history'), { recursive: true });
    fs.writeFileSync(store.file('eu1'), `${lines.join('\n')}\n`);

    const view = async (args: object): Promise<HistoryView> => {
      const r = await call('capacity.history', { id: 'eu1', range: '90d', ...args });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as HistoryView;
    };
    const full = await view({});
    expect(full.series.t).toHaveLength(720);
    const thin = await view({ points: 64 });
    expect(thin.series.t.length).toBeLessThanOrEqual(64);
    expect(thin.series.shardsOpen.at(-1)).toBe(129);
    expect(thin.samples).toBe(720);
    // The forecast reads every sample, not the thinned ones: the same with or without points.
    const rates = (f: HistoryView['forecast']) => [f.shards.perMonth, f.shards.headroom, f.disk.perMonth];
    expect(rates(full.forecast)).toEqual(rates(thin.forecast));
    expect(thin.forecast.shards.perMonth).toBeCloseTo(30, 0);

    // A new sample (a new version of the file) shows at once.
    await store.append(sample(now + 1000, 500), 'eu1');
    expect((await view({ points: 64 })).series.shardsOpen.at(-1)).toBe(500);

    for (const points of [0, 15, 8193, 100.5])
      expect(await call('capacity.history', { id: 'eu1', points })).toMatchObject({
        ok: false,
        error: { code: 'validation' },
      });
  });
});
