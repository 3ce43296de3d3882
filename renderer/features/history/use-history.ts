/** The history of one instance over a range, and every instance's headroom (server state). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { HistoryRange } from '../../../shared/capacity-history';
import { useApi } from '../../lib/api-context';
import { historyQuery } from '../../lib/history-query';
import { qk } from '../../lib/query-client';

export function useHistory(id: string, range: HistoryRange) {
  const api = useApi();
  // Another range keeps the charts of the last one on screen until its series are in.
  return useQuery({ ...historyQuery(api, id, range), placeholderData: keepPreviousData });
}

export function useHeadroom() {
  const api = useApi();
  return useQuery({ queryKey: qk.headroom, queryFn: () => api['capacity.headroom']({}) });
}
