/**
 * UI state of the Tenants screen: filters, the expanded row and the selection (which the Verify
 * screen can take as its scope). Changed only by the named actions below.
 */
import { createStore, useStore } from '../../lib/store';
import { EMPTY_FILTERS, type TenantFilters } from './filter-tenants';

interface TenantsUiState {
  filters: TenantFilters;
  expanded: string | null;
  selected: ReadonlySet<string>;
}

const store = createStore<TenantsUiState>({ filters: EMPTY_FILTERS, expanded: null, selected: new Set() });

let filterPending = false;

function markFilterStart(): void {
  filterPending = true;
  performance.mark('tenants-filter-start');
}

/** Called once the filtered rows are on screen: closes the measure the benchmark reads. */
export function markFilterEnd(): void {
  if (!filterPending) return;
  filterPending = false;
  performance.mark('tenants-filter-end');
  try {
    const m = performance.measure('tenants-filter', 'tenants-filter-start', 'tenants-filter-end');
    window.__tenantsFilterMs = m.duration;
  } catch {
    // The start mark was cleared (e.g. by a benchmark between runs): nothing to measure.
  }
}

export function setSearch(search: string): void {
  markFilterStart();
  store.set((s) => ({ ...s, filters: { ...s.filters, search } }));
}

export function setFilter<K extends Exclude<keyof TenantFilters, 'search'>>(key: K, value: TenantFilters[K]): void {
  markFilterStart();
  store.set((s) => ({ ...s, filters: { ...s.filters, [key]: value } }));
}

export function clearFilters(): void {
  markFilterStart();
  store.set((s) => ({ ...s, filters: EMPTY_FILTERS }));
}

export function toggleExpanded(key: string): void {
  store.set((s) => ({ ...s, expanded: s.expanded === key ? null : key }));
}

export function collapse(): void {
  store.set((s) => ({ ...s, expanded: null }));
}

export function toggleSelected(key: string): void {
  store.set((s) => {
    const selected = new Set(s.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { ...s, selected };
  });
}

export function selectKeys(keys: readonly string[]): void {
  store.set((s) => ({ ...s, selected: new Set([...s.selected, ...keys]) }));
}

export function clearSelection(): void {
  store.set((s) => ({ ...s, selected: new Set() }));
}

export function useTenantFilters(): TenantFilters {
  return useStore(store, (s) => s.filters);
}

export function useExpandedTenant(): string | null {
  return useStore(store, (s) => s.expanded);
}

export function useSelectedTenants(): ReadonlySet<string> {
  return useStore(store, (s) => s.selected);
}

/** The selection as tenant references (instance id, tenant name). */
export function selectionRefs(selected: ReadonlySet<string>): { instanceId: string; tenant: string }[] {
  return [...selected].map((key) => {
    const slash = key.indexOf('/');
    return { instanceId: key.slice(0, slash), tenant: key.slice(slash + 1) };
  });
}
