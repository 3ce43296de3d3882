// Placement ranking, on snapshots built with the capacity model itself (tests/unit/fixtures), so the
// expected figures are worked out here from the inputs, not copied.
import { describe, expect, it } from 'vitest';
import type { CapacityOutcome, CapacitySnapshot } from '../../../shared/capacity/capacity';
import type { TracardiVersion } from '../../../shared/instances/instance';
import type { CapacityForecast, LimitForecast } from '../../../shared/capacity/capacity-forecast';
import {
  layoutGrowth,
  measuredGrowth,
  placeFleet,
  placeTenants,
  SHORT_RUNWAY_MONTHS,
  type PlacementCandidate,
} from '../../../shared/capacity/placement';
import { shardsPerNewTenant } from '../../../shared/instances/version-profiles';
import { GiB, snapshot, type Spec } from '../fixtures/capacity-snapshot';
import { TEST_INPUTS } from '../fixtures/forecast-inputs';
import { snapshotForecast } from '../../../shared/capacity/capacity-forecast';

function candidate(spec: Spec): PlacementCandidate {
  const s = snapshot(spec);
  return {
    instanceId: spec.id,
    name: `Instance ${spec.id}`,
    version: spec.version ?? '0.9.x',
    environment: 'production',
    outcome: { ok: true, snapshot: s },
  };
}

function unreachable(id: string, version: TracardiVersion = '0.9.x'): PlacementCandidate {
  const outcome: CapacityOutcome = {
    ok: false,
    instanceId: id,
    error: { code: 'es-refused', message: 'Cannot reach Elasticsearch at http://127.0.0.1:1: connection refused.' },
  };
  return { instanceId: id, name: `Instance ${id}`, version, environment: 'production', outcome };
}

// 0.9.x on one data node: 32 primaries and no replicas per tenant.
const PER_TENANT_09 = shardsPerNewTenant('0.9.x', { dataNodes: 1 });

describe('placeTenants: one tenant', () => {
  it('ranks by room after placement and names the binding limit in one line each', () => {
    const roomy = candidate({ id: 'roomy', openShards: 100, tenantBytes: [GiB, GiB] });
    const tight = candidate({ id: 'tight', openShards: 700, tenantBytes: [GiB, GiB] });
    const report = placeTenants([tight, roomy], '0.9.x');
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['roomy', 'tight']);
    const best = report.ranking[0]!;
    expect(best.shardHeadroomAfter).toBe(1000 - 100 - PER_TENANT_09);
    expect(best.roomAfter).toBe(Math.floor((1000 - 100 - PER_TENANT_09) / PER_TENANT_09));
    expect(best.binding).toBe('shards');
    expect(best.diskUsedAfterBytes).toBe(100 * GiB + GiB);
    expect(best.why).toContain(`room for ${best.roomAfter} more after it, shards bind`);
    expect(best.why).toContain(`${best.shardHeadroomAfter} of 1,000 shards left`);
    expect(best.why.split('\n')).toHaveLength(1);
    expect(best.why).toContain('disk 10% used after (101 GiB of 1000 GiB)');
    expect(report.refused).toEqual([]);
  });

  it('months to the limit use the growth of the tenants there plus the new one', () => {
    const c = candidate({ id: 'a', openShards: 200, tenantBytes: [GiB, GiB, GiB] });
    const s = (c.outcome as { snapshot: CapacitySnapshot }).snapshot;
    const [f] = placeTenants([c], '0.9.x').ranking;
    const perTenantMonth = s.growth.newPrimariesPerTenantPerMonth * (1 + s.layout.replicas.value);
    expect(f!.monthsToLimit).toBe(Math.floor((1000 - 200 - PER_TENANT_09) / (perTenantMonth * 4)));
    expect(f!.growthSource).toBe('partition layout');
    // Without a history the instance's forecast is its snapshot's own (the layout model), as every screen shows it.
    expect(f!.forecast).toEqual(snapshotForecast(s));
    expect(f!.forecast.shards.source).toBe('model');
    // The why line leaves the months to the forecast: no second figure.
    expect(f!.why).not.toMatch(/month/);
  });

  it('disk binds on one instance and shards on another; each says which', () => {
    // 40 GiB a tenant on a disk with 50 GiB below low: disk allows 1, shards allow many.
    const diskBound = candidate({ id: 'disk', diskTotal: 1000 * GiB, diskUsed: 800 * GiB, tenantBytes: [40 * GiB] });
    const shardBound = candidate({ id: 'shards', openShards: 1000 - 10 * PER_TENANT_09, tenantBytes: [GiB] });
    const report = placeTenants([diskBound, shardBound], '0.9.x');
    const byId = new Map(report.ranking.map((f) => [f.instanceId, f]));
    expect(byId.get('disk')!.binding).toBe('disk');
    expect(byId.get('disk')!.roomAfter).toBe(0); // 50 GiB − 40 GiB leaves less than a tenant
    expect(byId.get('disk')!.why).toContain('disk bind');
    expect(byId.get('disk')!.why).toContain('below the low watermark');
    expect(byId.get('shards')!.binding).toBe('shards');
    expect(byId.get('shards')!.roomAfter).toBe(9);
    expect(byId.get('shards')!.shortRunway).toBe(false);
    expect(report.ranking[0]!.instanceId).toBe('shards');
  });

  it('two equal instances tie: ordered by id, and the line says so', () => {
    const b = candidate({ id: 'b', openShards: 100, tenantBytes: [GiB] });
    const a = candidate({ id: 'a', openShards: 100, tenantBytes: [GiB] });
    const report = placeTenants([b, a], '0.9.x');
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['a', 'b']);
    expect(report.ranking[0]!.why).toContain('tied with Instance b, ordered by instance id');
  });

  it('a short runway ranks after a longer one even with more room', () => {
    // Many growing tenants on a large cluster: lots of room today, limit within months.
    const busy = candidate({ id: 'busy', dataNodes: 3, openShards: 0, tenantBytes: Array(60).fill(GiB) });
    const quiet = candidate({ id: 'quiet', openShards: 300, tenantBytes: [GiB] });
    const report = placeTenants([busy, quiet], '0.9.x');
    const b = report.ranking.find((f) => f.instanceId === 'busy')!;
    const q = report.ranking.find((f) => f.instanceId === 'quiet')!;
    expect(b.roomAfter).toBeGreaterThan(q.roomAfter);
    expect(b.monthsToLimit).toBeLessThan(SHORT_RUNWAY_MONTHS);
    expect(b.shortRunway).toBe(true);
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['quiet', 'busy']);
    expect(b.why).toContain('ranked last');
  });

  it('refuses unreachable, red, over-watermark and full instances with the reason', () => {
    const report = placeTenants(
      [
        unreachable('down'),
        candidate({ id: 'red', status: 'red' }),
        candidate({ id: 'hot', diskUsed: 910 * GiB }),
        candidate({ id: 'full', openShards: 1000 - PER_TENANT_09 + 1 }),
        candidate({ id: 'ok' }),
      ],
      '0.9.x',
    );
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['ok']);
    const why = new Map(report.refused.map((r) => [r.instanceId, r]));
    expect(why.get('down')).toMatchObject({ kind: 'unreachable' });
    expect(why.get('down')!.reason).toContain('es-refused: Cannot reach Elasticsearch');
    expect(why.get('red')).toMatchObject({ kind: 'red', reason: expect.stringContaining('health is red') });
    expect(why.get('hot')).toMatchObject({ kind: 'watermark' });
    expect(why.get('hot')!.reason).toBe(
      'data node hot-node-0 is over the high disk watermark: 91% used, the watermark is at 90%',
    );
    expect(why.get('full')).toMatchObject({ kind: 'full', reason: expect.stringContaining('max_shards_per_node') });
  });

  it('with the disk threshold off a node past the low watermark is not refused', () => {
    const report = placeTenants([candidate({ id: 'off', diskUsed: 870 * GiB, thresholdEnabled: false })], '0.9.x');
    expect(report.refused).toEqual([]);
    expect(report.ranking).toHaveLength(1);
  });

  it('all refused: an empty ranking, every instance listed, the tenant unplaced', () => {
    const report = placeTenants([unreachable('x'), candidate({ id: 'y', status: 'red' })], '0.9.x');
    expect(report.ranking).toEqual([]);
    expect(report.spread).toEqual([]);
    expect(report.refused.map((r) => r.instanceId)).toEqual(['x', 'y']);
    expect(report.unplaced).toBe(1);
  });

  it('refuses a count that is not a whole number from 1 to 1000', () => {
    for (const count of [0, -1, 1.5, 1001, Number.NaN]) {
      expect(() => placeTenants([candidate({ id: 'a' })], '0.9.x', { count })).toThrow(/whole number from 1 to 1000/);
    }
  });

  it('a better forecast replaces the layout growth without changing the ranking code', () => {
    const c = candidate({ id: 'a', openShards: 0, tenantBytes: [GiB] });
    const [f] = placeTenants([c], '0.9.x', {
      growth: () => ({
        shardsPerMonth: 1,
        shardsPerNewTenantPerMonth: 1,
        bytesPerMonth: 100 * GiB,
        bytesPerNewTenantPerMonth: 100 * GiB,
        source: 'history',
      }),
    }).ranking;
    // Disk: 850 − 100 − 1 GiB left below low, 2 tenants × 100 GiB a month: 3 months; shards: 968/2 = 484.
    expect(f!.monthsToLimit).toBe(Math.floor((750 * GiB - GiB) / (200 * GiB)));
    expect(f!.monthsLimit).toBe('disk');
    expect(f!.growthSource).toBe('history');
    // Three months is not under three: no runway words in the why line.
    expect(f!.shortRunway).toBe(false);
    expect(f!.why).not.toMatch(/month/);
    expect(layoutGrowth((c.outcome as { snapshot: CapacitySnapshot }).snapshot).source).toBe('partition layout');
  });
});

/** A forecast as HistoryService gives it: shards (and bytes) a month and where they come from. */
function forecast(
  shardsPerMonth: number | null,
  source: LimitForecast['source'],
  extra: { historyWeight?: number; bytesPerMonth?: number | null } = {},
): CapacityForecast {
  const limit = (perMonth: number | null, src: LimitForecast['source']): LimitForecast => ({
    perMonth,
    source: src,
    historyWeight: extra.historyWeight ?? 0,
    headroom: 1,
    months: null,
    crossesAt: null,
    inputs: TEST_INPUTS,
  });
  const bytes = extra.bytesPerMonth ?? null;
  return { shards: limit(shardsPerMonth, source), disk: limit(bytes, bytes === null ? 'none' : source) };
}

describe('placeTenants: measured growth', () => {
  it('two instances equal on room: the one growing slower by its measured forecast wins', () => {
    const fast = candidate({ id: 'a-fast', openShards: 100, tenantBytes: [GiB, GiB] });
    const slow = candidate({ id: 'b-slow', openShards: 100, tenantBytes: [GiB, GiB] });
    // By the layout model they tie (same tenants, same layout): ordered by id, a-fast first.
    expect(placeTenants([fast, slow], '0.9.x').ranking.map((f) => f.instanceId)).toEqual(['a-fast', 'b-slow']);
    const growth = measuredGrowth(
      new Map([
        ['a-fast', forecast(60, 'cluster')],
        ['b-slow', forecast(20, 'cluster')],
      ]),
    );
    const forecasts = new Map([
      ['a-fast', forecast(60, 'cluster')],
      ['b-slow', forecast(20, 'cluster')],
    ]);
    const report = placeTenants([fast, slow], '0.9.x', { growth, forecasts });
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['b-slow', 'a-fast']);
    // Each carries its instance's forecast as the history gave it: the one every screen shows.
    expect(report.ranking.map((f) => f.forecast)).toEqual([forecasts.get('b-slow'), forecasts.get('a-fast')]);
    const [s, f] = report.ranking;
    const after = 1000 - 100 - PER_TENANT_09;
    // 20 shards a month with 2 tenants there; the placed one adds the average tenant's 10.
    expect(s!.monthsToLimit).toBe(Math.floor(after / (20 + 20 / 2)));
    expect(f!.monthsToLimit).toBe(Math.floor(after / (60 + 60 / 2)));
    expect(s!.roomAfter).toBe(f!.roomAfter);
    expect(s!.growthSource).toBe('measured from the cluster');
  });

  it('months to the limit come from the forecast: fast measured growth puts an instance under the runway', () => {
    const roomy = candidate({ id: 'roomy', openShards: 0, tenantBytes: [GiB] });
    const small = candidate({ id: 'small', openShards: 500, tenantBytes: [GiB] });
    // The layout model says roomy is best (more room, long runway); measured, roomy opens 400 a month.
    const growth = measuredGrowth(
      new Map([
        ['roomy', forecast(400, 'history')],
        ['small', forecast(5, 'blended', { historyWeight: 0.4 })],
      ]),
    );
    const report = placeTenants([roomy, small], '0.9.x', { growth });
    const r = report.ranking.find((f) => f.instanceId === 'roomy')!;
    expect(r.monthsToLimit).toBe(Math.floor((1000 - PER_TENANT_09) / 800));
    expect(r.shortRunway).toBe(true);
    expect(report.ranking.map((f) => f.instanceId)).toEqual(['small', 'roomy']);
    expect(r.growthSource).toBe('local history');
    expect(report.ranking[0]!.growthSource).toBe('measured: 40% local history, 60% the cluster');
  });

  it('measured disk growth counts too: the sooner limit is named', () => {
    const c = candidate({ id: 'a', openShards: 0, tenantBytes: [GiB] });
    const growth = measuredGrowth(new Map([['a', forecast(1, 'cluster', { bytesPerMonth: 100 * GiB })]]));
    const [f] = placeTenants([c], '0.9.x', { growth }).ranking;
    // 850 − 100 − 1 GiB below low; 100 GiB a month now, 100 more for the placed tenant: 3 months.
    expect(f!.monthsToLimit).toBe(Math.floor((750 * GiB - GiB) / (200 * GiB)));
    expect(f!.monthsLimit).toBe('disk');
  });

  it('nothing measured (no forecast, or the model only): the layout model, and the line says so', () => {
    const a = candidate({ id: 'a', openShards: 200, tenantBytes: [GiB, GiB, GiB] });
    const b = candidate({ id: 'b', openShards: 200, tenantBytes: [GiB, GiB, GiB] });
    const growth = measuredGrowth(new Map([['b', forecast(999, 'model')]]));
    const report = placeTenants([a, b], '0.9.x', { growth });
    const plain = placeTenants([a, b], '0.9.x').ranking;
    for (const [i, f] of report.ranking.entries()) {
      expect(f.monthsToLimit).toBe(plain[i]!.monthsToLimit);
      expect(f.growthSource).toBe('partition layout (nothing measured yet)');
    }
  });

  it('no tenant of the version yet: the instance grows as measured, a placed tenant as the layout says', () => {
    const c = candidate({ id: 'empty', openShards: 100 });
    const s = (c.outcome as { snapshot: CapacitySnapshot }).snapshot;
    const perTenant = layoutGrowth(s).shardsPerNewTenantPerMonth;
    const [f] = placeTenants([c], '0.9.x', {
      growth: measuredGrowth(new Map([['empty', forecast(30, 'cluster')]])),
    }).ranking;
    expect(f!.monthsToLimit).toBe(Math.floor((1000 - 100 - PER_TENANT_09) / (30 + perTenant)));
  });

  it('a shrinking trend is not growth', () => {
    const c = candidate({ id: 'a', openShards: 100, tenantBytes: [GiB] });
    const [f] = placeTenants([c], '0.9.x', {
      growth: measuredGrowth(new Map([['a', forecast(-50, 'history')]])),
    }).ranking;
    expect(f!.monthsToLimit).toBeNull();
    expect(f!.shortRunway).toBe(false);
  });
});

describe('placeTenants: N tenants', () => {
  it('spreads one by one as the ranking would, re-ranking after each', () => {
    // Room for 5 and for 3, no growth: 1st → a (4 left vs 2), 2nd → a (3 vs 2), 3rd → a (2 vs 2,
    // tied: by id), 4th → b (1 vs 2).
    const noGrowth = () => ({
      shardsPerMonth: 0,
      shardsPerNewTenantPerMonth: 0,
      bytesPerMonth: null,
      bytesPerNewTenantPerMonth: null,
      source: 'none',
    });
    const a = candidate({ id: 'a', openShards: 1000 - 5 * PER_TENANT_09 });
    const b = candidate({ id: 'b', openShards: 1000 - 3 * PER_TENANT_09 });
    const report = placeTenants([b, a], '0.9.x', { count: 4, growth: noGrowth });
    expect(report.spread.map((f) => [f.instanceId, f.placed, f.roomAfter])).toEqual([
      ['a', 3, 2],
      ['b', 1, 2],
    ]);
    expect(report.unplaced).toBe(0);
    expect(report.spread[0]!.why).toMatch(/^takes 3: room for 2 more after them, shards bind/);
    // The ranking is still the next single tenant's.
    expect(report.ranking.map((f) => [f.instanceId, f.placed])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    // With growth, the short runway of b (3 tenants' room, growing) keeps it last for longer.
    const grown = placeTenants([b, a], '0.9.x', { count: 4 });
    expect(grown.spread.reduce((sum, f) => sum + f.placed, 0)).toBe(4);
  });

  it('N beyond the total room places what fits and counts the rest as unplaced', () => {
    const a = candidate({ id: 'a', openShards: 1000 - 2 * PER_TENANT_09 });
    const b = candidate({ id: 'b', openShards: 1000 - 1 * PER_TENANT_09 });
    const report = placeTenants([a, b], '0.9.x', { count: 10 });
    expect(report.spread.map((f) => [f.instanceId, f.placed])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(report.spread.every((f) => f.roomAfter === 0)).toBe(true);
    expect(report.unplaced).toBe(7);
  });

  it('refused instances take none of the N', () => {
    const report = placeTenants([candidate({ id: 'a', status: 'red' }), candidate({ id: 'b' })], '0.9.x', { count: 3 });
    expect(report.spread.map((f) => [f.instanceId, f.placed])).toEqual([['b', 3]]);
  });
});

describe('placeFleet: versions', () => {
  const mixed = [
    candidate({ id: 'old', version: '0.8.x', openShards: 0 }),
    candidate({ id: 'new1', version: '0.9.x' }),
    unreachable('new2', '0.9.x'),
  ];

  it('one report per version present, each ranking only its own instances', () => {
    const reports = placeFleet(mixed, undefined);
    expect(reports.map((r) => r.version)).toEqual(['0.8.x', '0.9.x']);
    expect(reports[0]!.ranking.map((f) => f.instanceId)).toEqual(['old']);
    expect(reports[1]!.ranking.map((f) => f.instanceId)).toEqual(['new1']);
    expect(reports[1]!.refused.map((r) => r.instanceId)).toEqual(['new2']);
    // 0.8.x costs 104 primaries a tenant (no replicas on one node), 0.9.x 32.
    expect(reports[0]!.ranking[0]!.shardHeadroomAfter).toBe(1000 - shardsPerNewTenant('0.8.x', { dataNodes: 1 }));
  });

  it('--version picks one; a version no instance runs is refused with those that are there', () => {
    expect(placeFleet(mixed, '0.8.x').map((r) => r.version)).toEqual(['0.8.x']);
    const only09 = mixed.filter((c) => c.version === '0.9.x');
    expect(() => placeFleet(only09, '0.8.x')).toThrow('No instance runs Tracardi 0.8.x: the instances run 0.9.x.');
    expect(() => placeFleet([], '0.8.x')).toThrow('no instance is configured');
  });
});

describe('placeTenants: environments', () => {
  const inEnv = (spec: Spec, environment: PlacementCandidate['environment']): PlacementCandidate => ({
    ...candidate(spec),
    environment,
  });

  it('a sandbox with the same room is never ranked with production: production alone ranks, the rest apart', () => {
    // Same figures; by id alone "a-sandbox" would come first.
    const sandbox = inEnv({ id: 'a-sandbox', openShards: 100, tenantBytes: [GiB] }, 'development');
    const prod = inEnv({ id: 'b-prod', openShards: 100, tenantBytes: [GiB] }, 'production');
    const stage = inEnv({ id: 'c-stage', openShards: 0, tenantBytes: [GiB] }, 'staging');
    const report = placeTenants([sandbox, prod, stage], '0.9.x');
    expect(report.environment).toBe('production');
    expect(report.ranking.map((f) => [f.instanceId, f.environment])).toEqual([['b-prod', 'production']]);
    // Staging before development (ENVIRONMENTS order), each line saying it is not compared.
    expect(report.elsewhere.map((f) => [f.instanceId, f.environment])).toEqual([
      ['c-stage', 'staging'],
      ['a-sandbox', 'development'],
    ]);
    expect(report.elsewhere[1]!.why).toMatch(
      /^not compared: a development instance, the tenant is for production; room for/,
    );
    expect(report.reason).toBe(
      'Ranked among the production instances of Tracardi 0.9.x only: the tenant is for production, and a staging or ' +
        'development instance is not an equal home for it whatever its room, so those are listed apart, not compared.',
    );
    // N tenants go to production only.
    const many = placeTenants([sandbox, prod, stage], '0.9.x', { count: 3 });
    expect(many.spread.map((f) => f.instanceId)).toEqual(['b-prod']);
  });

  it('a tenant for development ranks the development instances; none of production: said so, none placed', () => {
    const sandbox = inEnv({ id: 'sandbox', openShards: 100, tenantBytes: [GiB] }, 'development');
    const prod = inEnv({ id: 'prod', openShards: 100, tenantBytes: [GiB] }, 'production');
    const dev = placeTenants([sandbox, prod], '0.9.x', { environment: 'development' });
    expect(dev.ranking.map((f) => f.instanceId)).toEqual(['sandbox']);
    expect(dev.elsewhere.map((f) => f.instanceId)).toEqual(['prod']);
    expect(dev.elsewhere[0]!.why).toMatch(/^not compared: a production instance, the tenant is for development; /);

    const none = placeTenants([sandbox], '0.9.x');
    expect(none.ranking).toEqual([]);
    expect(none.unplaced).toBe(1);
    expect(none.reason).toMatch(
      /^No production instance of Tracardi 0\.9\.x can take it: the tenant is for production/,
    );
  });

  it('refusals name the environment too', () => {
    const report = placeTenants([{ ...unreachable('down'), environment: 'staging' }], '0.9.x');
    expect(report.refused).toMatchObject([{ instanceId: 'down', environment: 'staging', kind: 'unreachable' }]);
  });
});
