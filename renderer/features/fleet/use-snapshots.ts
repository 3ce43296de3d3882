/** Capacity snapshots: one query per instance, so each card loads, fails and refreshes on its own. */
import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

export function useSnapshot(instanceId: string) {
  const api = useApi();
  return useQuery({
    queryKey: qk.snapshot(instanceId),
    queryFn: () => api['capacity.snapshot']({ id: instanceId }),
    // A snapshot costs a handful of ES requests: keep it until the operator refreshes.
    staleTime: 5 * 60_000,
  });
}

/** Refresh every instance's snapshot at once (each call in flight independently) and the instance list. */
export function useRefreshFleet(): () => void {
  const qc = useQueryClient();
  return useCallback(() => {
    void qc.refetchQueries({ queryKey: qk.instances });
    void qc.refetchQueries({ queryKey: qk.snapshots });
  }, [qc]);
}

/** Refresh one instance's snapshot. */
export function useRefreshSnapshot(instanceId: string): () => void {
  const qc = useQueryClient();
  return useCallback(() => {
    void qc.refetchQueries({ queryKey: qk.snapshot(instanceId) });
  }, [qc, instanceId]);
}
