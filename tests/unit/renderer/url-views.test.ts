// The views the URL holds (renderer/lib/routes.ts and each screen's reading of it): a route with its
// parameters survives the round trip, a hand-edited or hostile hash cannot break the page, the
// Tenants list sorts by every column, the Changes feed filters by kind, subject, instance, words,
// time and acknowledgement.
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, screenHash, type Route } from '../../../renderer/lib/routes';
import { buildRows, filterTenants, type InstanceInfo } from '../../../renderer/features/tenants/filter-tenants';
import {
  DEFAULT_SORT,
  filtersFromParams,
  nextSort,
  sortFromParams,
  sortParam,
  sortTenants,
  type SortColumn,
} from '../../../renderer/features/tenants/tenants-view';
import { changeFiltersFromParams, filterChanges, isSeen } from '../../../renderer/features/changes/changes-view';
import type { TenantRow } from '../../../shared/tenants/tenant';
import type { WatchChange } from '../../../shared/watch/watch';

describe('routes with a view', () => {
  it('every screen, with and without parameters, parses back to itself', () => {
    const routes: Route[] = [
      { screen: 'fleet' },
      { screen: 'instance', id: 'eu-1' },
      { screen: 'history', id: 'eu-1' },
      { screen: 'indices', id: 'eu-1', params: { tenant: 'acme' } },
      { screen: 'tenants', params: { instance: 'eu1', status: 'drift', sort: 'tenant:asc', sel: 'eu1/acme' } },
      { screen: 'new-tenant', instanceId: 'prod1' },
      { screen: 'found' },
      { screen: 'verify' },
      { screen: 'changes', params: { kind: 'problem', q: 'shop on EU 1', since: '24h' } },
      { screen: 'instances' },
      { screen: 'audit', params: { action: 'tenants.create', outcome: 'failed' } },
      { screen: 'settings' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('writes the example link of the issue as it reads, and reads it', () => {
    const hash = routeHash({
      screen: 'tenants',
      params: { instance: 'eu1', status: 'drift', sort: 'tenant:asc', sel: 'eu1/acme' },
    });
    expect(hash).toBe('#/tenants?instance=eu1&status=drift&sort=tenant:asc&sel=eu1/acme');
    expect(parseRoute('#/tenants?sel=eu1%2Facme&q=a%20b%26c')).toEqual({
      screen: 'tenants',
      params: { sel: 'eu1/acme', q: 'a b&c' },
    });
    // Words with & = # ? are escaped, so they stay one value.
    const q = 'x&y=z#w?v';
    expect(parseRoute(routeHash({ screen: 'changes', params: { q } })).params).toEqual({ q });
  });

  it('empty values are left out; the screen alone is what focus follows', () => {
    const route: Route = { screen: 'tenants', params: { q: '', instance: 'eu1' } };
    expect(routeHash(route)).toBe('#/tenants?instance=eu1');
    expect(screenHash(route)).toBe('#/tenants');
    expect(routeHash({ screen: 'tenants', params: { q: '' } })).toBe('#/tenants');
  });

  it('a broken or hostile hash is no screen and no parameter, never an exception', () => {
    expect(parseRoute('#/tenants?sel=%E0%A4%A&q=ok')).toEqual({ screen: 'tenants', params: { q: 'ok' } });
    expect(parseRoute('#/%E0%A4%A')).toEqual({ screen: 'fleet' });
    expect(parseRoute('#/tenants?__proto__=x&Bad=1&=v&novalue')).toEqual({ screen: 'tenants' });
    expect(parseRoute(`#/tenants?q=${'a'.repeat(2001)}`)).toEqual({ screen: 'tenants' });
    expect(parseRoute('#/indices')).toEqual({ screen: 'fleet' });
    expect(parseRoute('#/unknown?x=1')).toEqual({ screen: 'fleet' });
  });
});

const instances = new Map<string, InstanceInfo>([
  ['zz-eu', { name: 'Alpha EU', environment: 'production', colour: '#c62828' }],
  ['aa-us', { name: 'Beta US', environment: 'staging', colour: '#2f6fde' }],
]);

function row(instanceId: string, tenant: string, extra: Partial<TenantRow> = {}): TenantRow {
  return {
    instanceId,
    tenant,
    apiDomain: `${tenant}.${instanceId}.example.com`,
    guiDomain: `${tenant}-gui.${instanceId}.example.com`,
    email: `ops@${tenant}.com`,
    state: 'registered',
    ...extra,
  };
}

const records = [
  row('zz-eu', 'mango', {
    state: 'installed',
    lastVerification: { status: 'drift', checkedAt: '2026-01-01T00:00:00Z' },
  }),
  row('zz-eu', 'apple', { apiDomain: 'www.zeta.example.com', state: 'handed-over' }),
  row('aa-us', 'kiwi', { lastVerification: { status: 'installed', checkedAt: '2026-01-01T00:00:00Z' } }),
];

describe('the Tenants list by every column', () => {
  const rows = buildRows(records, instances);
  const order = (column: SortColumn, dir: 'asc' | 'desc') =>
    sortTenants(rows, { column, dir }).map((r) => r.record.tenant);

  it('by the instance name shown (not its id) by default, then tenant', () => {
    expect(sortTenants(rows, DEFAULT_SORT).map((r) => r.record.tenant)).toEqual(['apple', 'mango', 'kiwi']);
  });

  it('each column both ways', () => {
    expect(order('tenant', 'asc')).toEqual(['apple', 'kiwi', 'mango']);
    expect(order('tenant', 'desc')).toEqual(['mango', 'kiwi', 'apple']);
    expect(order('instance', 'desc')).toEqual(['kiwi', 'apple', 'mango']);
    expect(order('domain', 'asc')).toEqual(['kiwi', 'mango', 'apple']);
    expect(order('state', 'asc')).toEqual(['apple', 'mango', 'kiwi']);
    // As the badge reads: drift, installed, "not verified".
    expect(order('status', 'asc')).toEqual(['mango', 'kiwi', 'apple']);
    expect(order('status', 'desc')).toEqual(['apple', 'kiwi', 'mango']);
  });

  it('filtering keeps the sorted order', () => {
    const sorted = sortTenants(rows, { column: 'tenant', dir: 'desc' });
    expect(filterTenants(sorted, filtersFromParams({ instance: 'zz-eu' })).map((r) => r.record.tenant)).toEqual([
      'mango',
      'apple',
    ]);
  });

  it('sort and filters read from and written to parameters; an unknown value is none', () => {
    expect(sortFromParams({ sort: 'domain:desc' })).toEqual({ column: 'domain', dir: 'desc' });
    expect(sortFromParams({ sort: 'evil:desc' })).toEqual(DEFAULT_SORT);
    expect(sortFromParams(undefined)).toEqual(DEFAULT_SORT);
    expect(sortParam(DEFAULT_SORT)).toBeNull();
    expect(sortParam({ column: 'tenant', dir: 'asc' })).toBe('tenant:asc');
    expect(nextSort({ column: 'tenant', dir: 'asc' }, 'tenant')).toEqual({ column: 'tenant', dir: 'desc' });
    expect(nextSort({ column: 'tenant', dir: 'desc' }, 'state')).toEqual({ column: 'state', dir: 'asc' });
    expect(
      filtersFromParams({ q: 'shop', state: 'nonsense', status: 'never', env: 'production', instance: 'eu1' }),
    ).toEqual({
      search: 'shop',
      instanceId: 'eu1',
      state: '',
      verifyStatus: 'never',
      environment: 'production',
    });
  });

  it('10,000 rows sort in well under a frame budget per column', () => {
    const many = buildRows(
      Array.from({ length: 10_000 }, (_, i) => row(i % 2 ? 'zz-eu' : 'aa-us', `t${(i * 7919) % 10_000}`)),
      instances,
    );
    const t0 = performance.now();
    for (const column of ['tenant', 'instance', 'domain', 'state', 'status'] as const)
      sortTenants(many, { column, dir: 'asc' });
    const perColumn = (performance.now() - t0) / 5;
    // Generous: a loaded 2-core machine; an idle one takes a few ms.
    expect(perColumn).toBeLessThan(250);
  });
});

function change(id: number, over: Partial<WatchChange>): WatchChange {
  return {
    id,
    at: '2026-01-10T12:00:00.000Z',
    kind: 'tenant',
    instanceId: 'eu1',
    tenant: 'shop',
    subject: 'shop on EU 1',
    from: 'installed',
    to: 'drift',
    severity: 'problem',
    detail: 'artefacts are missing',
    notify: true,
    ...over,
  };
}

describe('the Changes feed filtered', () => {
  const now = Date.parse('2026-01-10T12:30:00.000Z');
  const feed = [
    change(3, {}),
    change(2, {
      kind: 'instance',
      tenant: undefined,
      subject: 'US 2',
      instanceId: 'us2',
      from: 'reachable',
      to: 'unreachable',
      at: '2026-01-09T12:00:00.000Z',
    }),
    change(1, { severity: 'recovered', from: 'drift', to: 'installed', at: '2026-01-01T12:00:00.000Z' }),
  ];
  const ids = (params: Record<string, string>, acks = { through: 0, ids: [] as number[] }) =>
    filterChanges(feed, changeFiltersFromParams(params), acks, now).map((e) => e.id);

  it('by kind, subject, instance, words and time', () => {
    expect(ids({})).toEqual([3, 2, 1]);
    expect(ids({ kind: 'problem' })).toEqual([3, 2]);
    expect(ids({ about: 'instance' })).toEqual([2]);
    expect(ids({ instance: 'eu1' })).toEqual([3, 1]);
    expect(ids({ q: 'SHOP drift' })).toEqual([3, 1]);
    expect(ids({ since: '1h' })).toEqual([3]);
    expect(ids({ since: '7d' })).toEqual([3, 2]);
    expect(ids({ kind: 'bogus', since: 'forever' })).toEqual([3, 2, 1]);
  });

  it('new only: what is not acknowledged, up to an id or one by one', () => {
    const acks = { through: 1, ids: [3] };
    expect(ids({ show: 'new' }, acks)).toEqual([2]);
    expect(isSeen(acks, 1)).toBe(true);
    expect(isSeen(acks, 2)).toBe(false);
    expect(isSeen(undefined, 1)).toBe(false);
  });
});
