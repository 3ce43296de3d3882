/** Server state several screens share, each one query (cached, refetched, deduplicated). */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { InstanceView } from '../../shared/contract';
import { useApi } from './api-context';
import { qk } from './query-client';

export function useAppStatus() {
  const api = useApi();
  return useQuery({ queryKey: qk.appStatus, queryFn: () => api['app.status']({}), staleTime: 60_000 });
}

export function useInstances() {
  const api = useApi();
  return useQuery({ queryKey: qk.instances, queryFn: () => api['instances.list']({}) });
}

/** Instances by id (empty until loaded). */
export function useInstanceMap(): ReadonlyMap<string, InstanceView> {
  const { data } = useInstances();
  return useMemo(() => new Map((data ?? []).map((v) => [v.instance.id, v])), [data]);
}

export function useTenantRecords() {
  const api = useApi();
  return useQuery({ queryKey: qk.tenants, queryFn: () => api['tenants.list']({}) });
}

/** One full tenant record, with its last verification's evidence (an expanded row). */
export function useTenantRecord(instanceId: string, tenant: string) {
  const api = useApi();
  return useQuery({
    queryKey: qk.tenant(instanceId, tenant),
    queryFn: () => api['tenants.get']({ instanceId, tenant }),
  });
}
