/** The Tenants list: rows built once per data change, filtered once per (deferred) filter change. */
import { useDeferredValue, useEffect, useMemo } from 'react';
import { useInstanceMap, useTenantRecords } from '../../lib/use-server-state';
import { buildRows, filterTenants, type InstanceInfo } from './filter-tenants';
import { markFilterEnd, useTenantFilters } from './tenants-store';

export function useTenantRows() {
  const records = useTenantRecords();
  const views = useInstanceMap();
  const instances = useMemo(() => {
    const m = new Map<string, InstanceInfo>();
    for (const [id, v] of views)
      m.set(id, { name: v.instance.name, environment: v.instance.environment, colour: v.instance.colour });
    return m;
  }, [views]);
  const rows = useMemo(() => buildRows(records.data ?? [], instances), [records.data, instances]);
  const filters = useTenantFilters();
  // Typing stays responsive: the list catches up with the latest filters when React has time.
  const deferred = useDeferredValue(filters);
  const filtered = useMemo(() => filterTenants(rows, deferred), [rows, deferred]);
  const stale = deferred !== filters;

  useEffect(() => {
    if (!stale) markFilterEnd();
  }, [deferred, filtered, stale]);

  return { query: records, rows, filtered, filters, stale };
}
