/**
 * UI state of the Tenants screen. The view (filters, sort, the expanded row) lives in the URL
 * (tenants-view.ts has its names), changed through the router by the named actions below, so it can
 * be linked and Back undoes it. The checkbox selection (the Verify screen's scope; it may hold
 * thousands of tenants) is a small store of its own.
 */
import { useMemo } from 'react';
import { createStore, useStore } from '../../lib/store';
import { currentRoute, parseRoute, setParams, useRoute } from '../../lib/router';
import type { TenantFilters } from './filter-tenants';
import {
  FILTER_PARAMS,
  filtersFromParams,
  nextSort,
  sortFromParams,
  sortParam,
  type SortColumn,
  type TenantSort,
} from './tenants-view';

const store = createStore<{ selected: ReadonlySet<string> }>({ selected: new Set() });

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

function params() {
  return currentRoute().params ?? {};
}

/**
 * The search box's text while it is being typed, before it is in the URL (null: the URL's is the
 * text). Writing the URL on every keystroke doubled a keystroke's cost on a loaded machine
 * (bench/ui.ts), so the list filters at once and the URL follows when the typing pauses.
 */
const typed = createStore<string | null>(null);
const URL_DELAY_MS = 400;
let urlTimer: ReturnType<typeof setTimeout> | undefined;
/** The text this module last wrote to the URL (its own navigation is not someone else's). */
let written = '';

function writeTyped(): void {
  const text = typed.get();
  if (text === null) return;
  written = text;
  setParams({ [FILTER_PARAMS.search]: text }, { replace: true });
  typed.set(null);
}

// Back, Forward or a link: the URL's text wins over what was being typed for the view left.
if (typeof window !== 'undefined')
  window.addEventListener('popstate', () => {
    if ((parseRoute(location.hash).params?.[FILTER_PARAMS.search] ?? '') === written) return;
    clearTimeout(urlTimer);
    typed.set(null);
  });

/**
 * The search text: its first letter is a new history entry at once (Back returns to the list before
 * the search); the following letters change that entry once the typing pauses (Back does not replay
 * the typing letter by letter).
 */
export function setSearch(search: string): void {
  markFilterStart();
  clearTimeout(urlTimer);
  if (!params()[FILTER_PARAMS.search] && typed.get() === null) {
    written = search;
    setParams({ [FILTER_PARAMS.search]: search });
    return;
  }
  typed.set(search);
  urlTimer = setTimeout(writeTyped, URL_DELAY_MS);
}

export function setFilter<K extends Exclude<keyof TenantFilters, 'search'>>(key: K, value: TenantFilters[K]): void {
  markFilterStart();
  setParams({ [FILTER_PARAMS[key]]: value });
}

export function clearFilters(): void {
  markFilterStart();
  clearTimeout(urlTimer);
  typed.set(null);
  setParams(Object.fromEntries(Object.values(FILTER_PARAMS).map((name) => [name, null])));
}

/** Sort by a column (again: the other way round). */
export function sortBy(column: SortColumn): void {
  setParams({ sort: sortParam(nextSort(sortFromParams(params()), column)) });
}

export function toggleExpanded(key: string): void {
  setParams({ sel: params().sel === key ? null : key });
}

export function collapse(): void {
  setParams({ sel: null });
}

export function toggleSelected(key: string): void {
  store.set((s) => {
    const selected = new Set(s.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected };
  });
}

export function selectKeys(keys: readonly string[]): void {
  store.set((s) => ({ selected: new Set([...s.selected, ...keys]) }));
}

export function clearSelection(): void {
  store.set({ selected: new Set() });
}

/** The filters of the current view (the text being typed first); the same object until one changes. */
export function useTenantFilters(): TenantFilters {
  const p = useRoute().params;
  const text = useStore(typed, (t) => t);
  const key = [text ?? '\u0001', ...Object.values(FILTER_PARAMS).map((name) => p?.[name] ?? '')].join('\u0000');
  return useMemo(
    () => {
      const filters = filtersFromParams(p);
      return text === null ? filters : { ...filters, search: text };
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for exactly what is read.
    [key],
  );
}

export function useTenantSort(): TenantSort {
  const sort = useRoute().params?.sort;
  return useMemo(() => sortFromParams(sort ? { sort } : undefined), [sort]);
}

/** The expanded row's key (`<instanceId>/<tenant>`), the view's selected tenant. */
export function useExpandedTenant(): string | null {
  return useRoute().params?.sel ?? null;
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
