/** Server state several screens share, each one query (cached, refetched, deduplicated). */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ConsoleApi, InstanceSummary } from '../../shared/contract/contract';
import { useApi } from './api-context';
import { reportProblem } from './notices';
import { qk } from './query-client';
import { TENANTS_HEAD_ROWS } from './first-screen';

export function useAppStatus() {
  const api = useApi();
  return useQuery({ queryKey: qk.appStatus, queryFn: () => api['app.status']({}), staleTime: 60_000 });
}

/** The instances as the settings describe them (no keychain): every screen, and the entry's prefetch. */
export const instancesQuery = (api: ConsoleApi) => ({
  queryKey: qk.instanceSummaries,
  queryFn: () => api['instances.summaries']({}),
});

/**
 * The instances with the secrets the keychain holds for each: the Instances screen and its form.
 * Asking the keychain takes one lookup per secret (tens of ms each on the Secret Service), so the
 * first screen never waits for it; the entry fetches it once the first screen is up.
 */
export const instanceViewsQuery = (api: ConsoleApi) => ({
  queryKey: qk.instanceViews,
  queryFn: async () => {
    const views = await api['instances.list']({});
    // Listed with their secrets unknown: the keychain's problem stays in sight in the status bar.
    const problem = views.find((v) => v.keychainProblem)?.keychainProblem;
    if (problem) reportProblem(problem);
    return views;
  },
});

/** The tenant list query (slim rows of every instance), for the hook and for the entry's prefetch. */
export const tenantsQuery = (api: ConsoleApi) => ({
  queryKey: qk.tenants,
  queryFn: () => api['tenants.list']({}),
});

export function useInstances() {
  return useQuery(instancesQuery(useApi()));
}

export function useInstanceViews() {
  return useQuery(instanceViewsQuery(useApi()));
}

/** Instances by id (empty until loaded). */
export function useInstanceMap(): ReadonlyMap<string, InstanceSummary> {
  const { data } = useInstances();
  return useMemo(() => new Map((data ?? []).map((v) => [v.instance.id, v])), [data]);
}

/** The list's first rows and its length: small and quick, so the first screen draws at once. */
export const tenantsHeadQuery = (api: ConsoleApi) => ({
  queryKey: qk.tenantsHead,
  queryFn: () => api['tenants.head']({ limit: TENANTS_HEAD_ROWS }),
});

export function useTenantsHead(enabled: boolean) {
  return useQuery({ ...tenantsHeadQuery(useApi()), enabled });
}

/** The whole list; `enabled: false` still answers what the cache holds (a screen visited before). */
export function useTenantRecords(enabled = true) {
  return useQuery({ ...tenantsQuery(useApi()), enabled });
}

/** One full tenant record, with its last verification's evidence (an expanded row). */
export function useTenantRecord(instanceId: string, tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: qk.tenant(instanceId, tenant),
    queryFn: () => api['tenants.get']({ instanceId, tenant }),
  });
}
