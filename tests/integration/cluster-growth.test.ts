// Growth measured from the cluster itself, against a real Elasticsearch: a Tracardi 0.8.2 tenant laid
// out as 0.8.2 creates its indices over months (installed on 20 February 2025, then written to on the
// first of every month). The dates are SIMULATED: Elasticsearch 8 refuses `index.creation_date` in the
// create-index settings ("unknown setting", checked below), so the indices are created today and a
// proxy (tests/support/dating-proxy.ts) puts the layout's dates into Elasticsearch's real reply to the
// console's creation-date request (the real reply is checked too: a date for every index). The
// console's clock is 15 June 2025, so indices other test files leave behind (created and named today)
// lie in its future and count for nothing. Checked against figures worked out by hand here: shards
// opened per month, the rate, the day-one forecast and placement's months to the limit. Also: the
// creation dates are read only with the index listing, and then only for names not seen before.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Instance } from '../../shared/instances/instance';
import { forecastSentence, PLAIN_FORMAT } from '../../shared/capacity/capacity-forecast';
import { CapacityService } from '../../main/services/capacity';
import { HistoryService, HistoryStore } from '../../main/services/history';
import { PlacementService } from '../../main/services/placement';
import { es, instance, ok } from '../support/capacity-fixture';
import { startDatingProxy, type DatingProxy } from '../support/dating-proxy';
import { profileFor, shardsFor } from '../simulator/profiles';

const tenant = `grow${randomBytes(3).toString('hex')}`;
const NOW = Date.UTC(2025, 5, 15, 12); // 15 June 2025, 12:00 UTC

// Tracardi 0.8.2's types, periods and shard classes as the simulator has them (tests/simulator/profiles.ts,
// written from tracardi/config.py and tracardi/service/storage/index.py of branch 0.8.2: the test side's
// own copy, not the console's), with ELASTIC_INDEX_SHARDS=2, ELASTIC_CONF_INDEX_SHARDS=1 and no
// replicas (one data node).
const P082 = profileFor('0.8.x');
const SHARDS = { indexShards: 2, confShards: 1, replicas: 0 };
const byPeriod = (period: 'month' | 'quarter' | 'year'): Record<string, number> =>
  Object.fromEntries(
    P082.partitioned.filter((t) => P082.periods[t] === period).map((t) => [t, shardsFor(P082, t, SHARDS)]),
  );
const MONTHLY = byPeriod('month');
const QUARTERLY = byPeriod('quarter');
const YEARLY = byPeriod('year');
const PLAIN = P082.plain;
const STATIC = P082.static;

/** Tracardi's suffix for a write on `d` (no zero padding; quarters `q`, years `year`). */
function suffix(period: 'month' | 'quarter' | 'year', d: Date): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  return period === 'month' ? `${y}-${m}` : period === 'quarter' ? `${y}-q${Math.ceil(m / 3)}` : `${y}-year`;
}

/** Every index the tenant has, with the date it was created: the first write into each partition. */
function layout(): Map<string, { pri: number; created: number }> {
  const out = new Map<string, { pri: number; created: number }>();
  const install = new Date(Date.UTC(2025, 1, 20, 9)); // 20 February 2025
  const writes = [install, ...[2, 3, 4, 5].map((m) => new Date(Date.UTC(2025, m, 1, 0, 30)))]; // 1 Mar..1 Jun
  for (const prefix of ['', 'prod-']) {
    for (const type of PLAIN) out.set(`${prefix}0820.${tenant}.tracardi-${type}`, { pri: 1, created: +install });
    for (const d of writes) {
      const add = (types: Record<string, number>, period: 'month' | 'quarter' | 'year') => {
        for (const [type, pri] of Object.entries(types)) {
          const name = `${prefix}0820.${tenant}.tracardi-${type}-${suffix(period, d)}`;
          if (!out.has(name)) out.set(name, { pri, created: +d });
        }
      };
      add(MONTHLY, 'month');
      add(QUARTERLY, 'quarter');
      add(YEARLY, 'year');
    }
  }
  for (const type of STATIC) out.set(`static-0820.${tenant}.tracardi-${type}`, { pri: 1, created: +install });
  return out;
}

// Worked out by hand (months are complete months, June is the current one):
// - opened (the month each index was created): February the install, 18 monthly (9 primaries ×
//   2 contexts) + 12 quarterly (q1: 6 × 2) + 4 yearly (2 × 2) + 54 plain (27 × 2) + 2 static = 90;
//   March 18; April 18 + 12 (q2) = 30; May 18; June 18.
// - the rate: observed from February (the first creation month): 4 complete months, February to
//   May. Monthly partitions February-May 4 × 18 = 72; q1 (12 shards, 4 a month) from February, its
//   creation month: February, March = 8 (January had no such index); q2 April, May = 8; the year
//   (4 shards, 1/3 a month) February-May = 4/3; plain and static 56 in February. 72 + 8 + 8 + 4/3 +
//   56 = 436/3 shards in 4 months: 109/3 ≈ 36.33 a month. By names alone (no creation dates) it
//   would be observed from January (q1 and the year are named from then) without the 56: 281/15.
const OPENED = [
  { month: '2025-02', shards: 90 },
  { month: '2025-03', shards: 18 },
  { month: '2025-04', shards: 30 },
  { month: '2025-05', shards: 18 },
  { month: '2025-06', shards: 18 },
];
const RATE = 109 / 3;
const INDICES = 122;

let url: string;
let proxy: DatingProxy;
let startedAt: number;
let inst: Instance;
let dir: string;
let store: HistoryStore;
let service: CapacityService;
const created: string[] = [];

async function create(name: string, pri: number): Promise<void> {
  created.push(name);
  const r = await es(url, 'PUT', `/${name}?wait_for_active_shards=0`, {
    settings: { number_of_shards: pri, number_of_replicas: 0 },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
}

beforeAll(async () => {
  [, url] = inject('esUrls') as [string, string];
  startedAt = Date.now();
  const indices = [...layout()];
  expect(indices).toHaveLength(INDICES);
  const extra = `0820.${tenant}.tracardi-event-2025-7`; // created later in the test, on 1 July
  proxy = await startDatingProxy(
    url,
    new Map([...indices.map(([name, ix]) => [name, ix.created] as const), [extra, Date.UTC(2025, 6, 1)]]),
  );
  inst = instance('grow-a', proxy.url, '0.8.x');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-growth-it-'));
  store = new HistoryStore({ dir, clock: { now: () => NOW } });
  const summary = { instance: inst, tlsVerifyOff: false, warnings: [] };
  service = new CapacityService({
    instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
    clock: { now: () => NOW },
    history: store,
  });
  for (let i = 0; i < indices.length; i += 8)
    await Promise.all(indices.slice(i, i + 8).map(([name, ix]) => create(name, ix.pri)));
}, 300_000);

afterAll(async () => {
  await service?.close();
  await proxy?.stop();
  for (let i = 0; i < created.length; i += 40)
    await es(url, 'DELETE', `/${created.slice(i, i + 40).join(',')}?ignore_unavailable=true`);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('growth from the cluster, dated by index names and creation dates', () => {
  it('lays out the 0.8.2 table the figures below were worked out for', () => {
    expect(MONTHLY).toEqual({ event: 2, log: 2, 'console-log': 2, 'dispatch-log': 2, 'field-update-log': 1 });
    expect(QUARTERLY).toEqual({ profile: 2, session: 2, entity: 2 });
    expect(YEARLY).toEqual({ item: 1, 'user-log': 1 });
    expect([PLAIN.length, STATIC.length]).toEqual([27, 2]);
    expect(layout().size).toBe(INDICES);
  });

  it('Elasticsearch refuses a creation date in the create-index settings (hence the simulation)', async () => {
    const name = `0820.${tenant}.tracardi-refused`;
    const r = await es(url, 'PUT', `/${name}`, { settings: { 'index.creation_date': Date.UTC(2025, 1, 20) } });
    if (r.status === 200) created.push(name);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain('unknown setting [index.creation_date]');
  });

  it('the first snapshot reads every tenant index`s creation date with the listing; a steady refresh reads none', async () => {
    proxy.reset();
    const first = ok(await service.snapshot('grow-a'));
    await service.flush();
    expect(first.cost.requests).toBe(7); // five, the sizes listing, the creation dates
    expect(proxy.count()).toBe(7);
    expect(proxy.paths().filter((p) => p.includes('_settings/index.creation_date'))).toEqual([
      expect.stringMatching(/^\/\*\.tracardi-\*\/_settings\/index\.creation_date\?/),
    ]);
    // Elasticsearch's own reply dated every one of the tenant's indices (prod-, static- and
    // staging names alike), today: the request reads what the console needs.
    const real = proxy.realDates();
    for (const name of layout().keys()) {
      expect(real.get(name), name).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(real.get(name), name).toBeLessThanOrEqual(Date.now());
    }
    proxy.reset();
    const steady = ok(await service.snapshot('grow-a'));
    expect(steady.cost.requests).toBe(3);
    expect(proxy.paths().some((p) => p.includes('creation_date'))).toBe(false);
  });

  it('shards opened per month and the rate are the hand-computed figures', async () => {
    const g = (await store.growth('grow-a'))!.cluster;
    expect(g.months.map(({ month, shards }) => ({ month, shards }))).toEqual(OPENED);
    expect(g.monthsObserved).toBe(4);
    expect(g.perTenant[tenant]).toBeCloseTo(RATE, 9);
    // Nothing else on the cluster is dated inside these months (other files' leftovers are "future").
    expect(g.shardsPerMonth).toBeCloseTo(RATE, 9);
  });

  it('day one: the forecast stands on that rate; months to the shard limit = headroom ÷ 109/3', async () => {
    const view = await new HistoryService({ store, clock: { now: () => NOW } }).view('grow-a', '7d');
    expect(view.samples).toBe(1);
    expect(view.forecast.shards.source).toBe('cluster');
    expect(view.forecast.shards.perMonth).toBeCloseTo(RATE, 9);
    const snap = ok(await service.snapshot('grow-a'));
    const headroom = snap.shards.limit - snap.shards.open;
    expect(view.forecast.shards.headroom).toBe(headroom);
    expect(view.forecast.shards.months).toBeCloseTo(headroom / RATE, 6);
  });

  it('placement ranks by the measured growth: months = ⌊headroom after ÷ (rate + the placed tenant’s rate)⌋', async () => {
    const placement = new PlacementService({
      instances: { list: async () => [{ instance: inst, tlsVerifyOff: false, warnings: [] }] },
      capacity: service,
      forecasts: new HistoryService({ store, clock: { now: () => NOW } }),
    });
    const [report] = await placement.place({ version: '0.8.x', environment: inst.environment });
    const f = report!.ranking[0]!;
    const snap = ok(await service.snapshot('grow-a'));
    expect(snap.layout.tenants).toBe(1); // this tenant alone is 0.8.2 on the cluster
    expect(f.growthSource).toBe('measured from the cluster');
    // One tenant grows 109/3 a month; the placed one is taken to grow as much.
    expect(f.monthsToLimit).toBe(Math.floor(f.shardHeadroomAfter / (2 * RATE)));
    // The instance's forecast, as every screen shows it: the cluster's growth on day one.
    expect(f.forecast.shards.source).toBe('cluster');
    expect(forecastSentence('shards', f.forecast.shards, PLAIN_FORMAT)).toMatch(
      /: cluster growth 36 shards a month \(4 months of its partitions\); /,
    );
  });

  it('a new index: the next snapshot reads its creation date alone, with the listing; a deleted one: none', async () => {
    const name = `0820.${tenant}.tracardi-event-2025-7`;
    await create(name, 1);
    proxy.reset();
    const changed = ok(await service.snapshot('grow-a'));
    expect(changed.sizes.reason).toBe('indices-changed');
    expect(changed.cost.requests).toBe(5); // three, the sizes listing, the new index's creation date
    const dates = proxy.paths().filter((p) => p.includes('creation_date'));
    expect(dates).toEqual([expect.stringMatching(new RegExp(`^/${name.replace(/\./g, '\\.')}/_settings/`))]);
    await es(url, 'DELETE', `/${name}`);
    proxy.reset();
    const removed = ok(await service.snapshot('grow-a'));
    expect(removed.sizes.reason).toBe('indices-changed');
    expect(removed.cost.requests).toBe(4);
  });
});
