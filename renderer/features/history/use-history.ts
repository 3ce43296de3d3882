/** Every instance's headroom (server state); one instance's history is lib/history-query.ts's useHistory. */
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

export function useHeadroom() {
  const api = useApi();
  return useQuery({ queryKey: qk.headroom, queryFn: () => api['capacity.headroom']({}) });
}
