/**
 * The Tenants screen's view as the URL holds it (`#/tenants?q=…&instance=…&state=…&status=…&env=…
 * &sort=tenant:asc&sel=<instance>/<tenant>`), and the list's sort. Pure: the screen reads its view
 * from the route and writes it back through the router, so a link opens the same view and Back and
 * Forward step through the operator's views.
 */
import type { Params } from '../../lib/routes';
import { ENVIRONMENTS, TENANT_STATES, VERIFY_STATUSES } from '../../../shared/text/vocabulary';
import { EMPTY_FILTERS, type TenantFilters, type TenantRow } from './filter-tenants';

/** The sortable columns, in their order on screen. */
export const SORT_COLUMNS = ['tenant', 'instance', 'domain', 'state', 'status'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export interface TenantSort {
  column: SortColumn;
  dir: 'asc' | 'desc';
}

/** Without a `sort` parameter: by instance, then tenant. */
export const DEFAULT_SORT: TenantSort = { column: 'instance', dir: 'asc' };

/** Which URL parameter holds which filter. */
export const FILTER_PARAMS: Readonly<Record<keyof TenantFilters, string>> = {
  search: 'q',
  instanceId: 'instance',
  state: 'state',
  verifyStatus: 'status',
  environment: 'env',
};

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | '' {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

/** The filters a route names; a value the list does not know (an old or hand-edited link) is no filter. */
export function filtersFromParams(params: Params | undefined): TenantFilters {
  const p = params ?? {};
  if (Object.keys(p).length === 0) return EMPTY_FILTERS;
  return {
    search: p.q ?? '',
    instanceId: p.instance ?? '',
    state: oneOf(p.state, TENANT_STATES),
    verifyStatus: oneOf(p.status, [...VERIFY_STATUSES, 'never'] as const),
    environment: oneOf(p.env, ENVIRONMENTS),
  };
}

/** `tenant:asc` → the sort; anything else → the default. */
export function sortFromParams(params: Params | undefined): TenantSort {
  const [column, dir] = (params?.sort ?? '').split(':');
  const c = oneOf(column, SORT_COLUMNS);
  if (!c) return DEFAULT_SORT;
  return { column: c, dir: dir === 'desc' ? 'desc' : 'asc' };
}

/** The `sort` parameter for a sort: none for the default. */
export function sortParam(sort: TenantSort): string | null {
  return sort.column === DEFAULT_SORT.column && sort.dir === DEFAULT_SORT.dir ? null : `${sort.column}:${sort.dir}`;
}

/** The sort after clicking a column's header: the same column turns round; another starts ascending. */
export function nextSort(sort: TenantSort, column: SortColumn): TenantSort {
  return { column, dir: sort.column === column && sort.dir === 'asc' ? 'desc' : 'asc' };
}

/** What a row shows in a column, as the sort compares it (lower-cased: "Acme" sorts with "acme"). */
function sortText(row: TenantRow, column: SortColumn): string {
  switch (column) {
    case 'tenant':
      return row.record.tenant;
    case 'instance':
      return (row.instance?.name ?? row.record.instanceId).toLowerCase();
    case 'domain':
      return row.record.apiDomain.toLowerCase();
    case 'state':
      return row.record.state;
    case 'status':
      // As the badge reads: "not verified" for a tenant never verified.
      return row.verification ? row.verification.status : 'not verified';
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rows in the sort's order; ties by instance, then tenant, so the order is the same on every
 * load. Keys are computed once per row (10,000 rows sort in a few milliseconds).
 */
export function sortTenants(rows: readonly TenantRow[], sort: TenantSort): TenantRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row) => ({
    row,
    key: sortText(row, sort.column),
    instance: sortText(row, 'instance'),
  }));
  keyed.sort(
    (a, b) =>
      cmp(a.key, b.key) * sign ||
      cmp(a.instance, b.instance) ||
      cmp(a.row.record.instanceId, b.row.record.instanceId) ||
      cmp(a.row.record.tenant, b.row.record.tenant),
  );
  return keyed.map((k) => k.row);
}
