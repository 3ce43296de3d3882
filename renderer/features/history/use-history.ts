/** Every instance's headroom and forecast (server state); one instance's history is lib/history-query.ts's useHistory. */
import { useEffect, useRef } from 'react';
import { useIsFetching, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CapacityForecast } from '../../../shared/capacity/capacity-forecast';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

/** Every instance's last figures and forecast; read again once the snapshots in flight are in the history. */
export function useHeadroom() {
  const api = useApi();
  const qc = useQueryClient();
  const fetching = useIsFetching({ queryKey: qk.snapshots });
  const was = useRef(fetching);
  useEffect(() => {
    if (was.current > 0 && fetching === 0) void qc.invalidateQueries({ queryKey: qk.headroom });
    was.current = fetching;
  }, [fetching, qc]);
  return useQuery({ queryKey: qk.headroom, queryFn: () => api['capacity.headroom']({}) });
}

/** One instance's forecast, the one every screen shows (undefined while it is read, or without history). */
export function useForecast(instanceId: string): CapacityForecast | undefined {
  const rows = useHeadroom().data;
  const row = rows?.find((r) => r.instanceId === instanceId);
  return row && row.at !== null ? row.forecast : undefined;
}
