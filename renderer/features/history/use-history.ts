/** The history of one instance over a range, and every instance's headroom (server state). */
import { useQuery } from '@tanstack/react-query';
import type { HistoryRange } from '../../../shared/capacity-history';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

export function useHistory(id: string, range: HistoryRange) {
  const api = useApi();
  return useQuery({ queryKey: qk.history(id, range), queryFn: () => api['capacity.history']({ id, range }) });
}

export function useHeadroom() {
  const api = useApi();
  return useQuery({ queryKey: qk.headroom, queryFn: () => api['capacity.headroom']({}) });
}
