/** Server state several screens share, each one query (cached, refetched, deduplicated). */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ConsoleApi, InstanceView } from '../../shared/contract';
import { useApi } from './api-context';
import { reportProblem } from './notices';
import { qk } from './query-client';

export function useAppStatus() {
  const api = useApi();
  return useQuery({ queryKey: qk.appStatus, queryFn: () => api['app.status']({}), staleTime: 60_000 });
}

/** The instances query, for the hook and for the entry's prefetch. */
export const instancesQuery = (api: ConsoleApi) => ({
  queryKey: qk.instances,
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

/** Instances by id (empty until loaded). */
export function useInstanceMap(): ReadonlyMap<string, InstanceView> {
  const { data } = useInstances();
  return useMemo(() => new Map((data ?? []).map((v) => [v.instance.id, v])), [data]);
}

export function useTenantRecords() {
  return useQuery(tenantsQuery(useApi()));
}

/** One full tenant record, with its last verification's evidence (an expanded row). */
export function useTenantRecord(instanceId: string, tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: qk.tenant(instanceId, tenant),
    queryFn: () => api['tenants.get']({ instanceId, tenant }),
  });
}
