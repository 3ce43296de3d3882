/** The placement ranking for the next tenant (every version the fleet runs), and the best instance. */
import { useQuery } from '@tanstack/react-query';
import { compareFigures, type PlacementReport } from '../../../shared/capacity/placement';
import type { Environment } from '../../../shared/text/vocabulary';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

/** The ranking for a tenant of `environment` (only that environment's instances are compared). */
export function usePlacement(environment: Environment) {
  const api = useApi();
  return useQuery({
    queryKey: [...qk.placement, environment],
    queryFn: () => api['capacity.place']({ count: 1, environment }),
  });
}

/** The best instance across versions (each version's first, compared by the same ranking), or null. */
export function bestInstance(reports: readonly PlacementReport[] | undefined): string | null {
  const firsts = (reports ?? []).flatMap((r) => (r.ranking[0] ? [r.ranking[0]] : []));
  firsts.sort(compareFigures);
  return firsts[0]?.instanceId ?? null;
}
