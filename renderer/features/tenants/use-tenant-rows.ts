/** The Tenants list: rows built once per data change, filtered once per (deferred) filter change. */
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { qk } from '../../lib/query-client';
import { useInstanceMap, useTenantRecords, useTenantsHead } from '../../lib/use-server-state';
import { buildRows, filterTenants, isUnfiltered, type InstanceInfo } from './filter-tenants';
import { markFilterEnd, useTenantFilters, useTenantSort } from './tenants-store';
import { sortTenants } from './tenants-view';

export function useTenantRows() {
  // The whole list (megabytes of JSON for 10,000 tenants) is asked for once the first rows are drawn,
  // so parsing it never delays them; a list already in the cache is shown at once.
  const [headDrawn, setHeadDrawn] = useState(false);
  const cached = useQueryClient().getQueryData(qk.tenants) !== undefined;
  const records = useTenantRecords(headDrawn || cached);
  const filters = useTenantFilters();
  // Until the whole list is in, its first rows (one small call) are drawn, unfiltered lists only:
  // a filter over the first rows alone would show a wrong selection.
  const head = useTenantsHead(!records.data);
  const headSettled = head.isSuccess || head.isError;
  useEffect(() => {
    if (headDrawn || !headSettled) return;
    // After the browser has painted the first rows.
    const frame = requestAnimationFrame(() => setTimeout(() => setHeadDrawn(true), 0));
    return () => cancelAnimationFrame(frame);
  }, [headDrawn, headSettled]);
  const partial = !records.data && head.data && isUnfiltered(filters) ? head.data : null;
  const views = useInstanceMap();
  const instances = useMemo(() => {
    const m = new Map<string, InstanceInfo>();
    for (const [id, v] of views)
      m.set(id, { name: v.instance.name, environment: v.instance.environment, colour: v.instance.colour });
    return m;
  }, [views]);
  const source = records.data ?? partial?.rows;
  const rows = useMemo(() => buildRows(source ?? [], instances), [source, instances]);
  // Sorted once per sort or data change; filtering keeps that order, so a keystroke never sorts.
  const sort = useTenantSort();
  const sorted = useMemo(() => sortTenants(rows, sort), [rows, sort]);
  // Typing stays responsive: the list catches up with the latest filters when React has time.
  const deferred = useDeferredValue(filters);
  const filtered = useMemo(() => filterTenants(sorted, deferred), [sorted, deferred]);
  const stale = deferred !== filters;

  useEffect(() => {
    if (!stale) markFilterEnd();
  }, [deferred, filtered, stale]);

  return {
    query: records,
    rows,
    filtered,
    filters,
    sort,
    stale,
    /** While only the first rows are in: how many tenants there are in all. */
    total: records.data ? rows.length : (partial?.total ?? null),
  };
}
