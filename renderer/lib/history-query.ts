/**
 * The History screen's query, here in the frame: navigating to the screen starts it beside the
 * screen's chunk (route-data.ts), and the screen's own query then finds it in flight.
 */
import { useEffect } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HistoryRange } from '../../shared/capacity/capacity-history';
import type { ConsoleApi } from '../../shared/contract/contract';
import { useApi } from './api-context';
import { qk } from './query-client';
import type { Route } from './routes';

/** The range the History screen opens on. */
export const DEFAULT_HISTORY_RANGE: HistoryRange = '90d';

/**
 * Points a chart asks for: the screen's width in pixels, rounded up to 256. No plot is wider, and
 * the answer (and its cache entry) stays the same while the window is resized.
 */
export function chartPoints(): number {
  const width = Math.max(globalThis.screen?.width ?? 0, globalThis.innerWidth ?? 0, 1024);
  return Math.min(8192, Math.ceil(width / 256) * 256);
}

/** An instance's history over a range, thinned to the chart's points. */
export function historyQuery(api: ConsoleApi, id: string, range: HistoryRange) {
  const points = chartPoints();
  return {
    queryKey: [...qk.history(id, range), points] as const,
    queryFn: () => api['capacity.history']({ id, range, points }),
  };
}

/**
 * An instance's history over a range, for the History screen (here, not in the screen's folder: the
 * Fleet's headroom shares that folder's hooks, and a hook module shared by two chunks is a request
 * of its own on the screen's cold load). Another range keeps the last one's charts until it is in.
 */
export function useHistory(id: string, range: HistoryRange) {
  const api = useApi();
  return useQuery({ ...historyQuery(api, id, range), placeholderData: keepPreviousData });
}

/** Start the data of the screen a route opens (the History screen's series) as soon as the route changes. */
export function useRouteData(route: Route): void {
  const api = useApi();
  const qc = useQueryClient();
  useEffect(() => {
    if (route.screen === 'history') void qc.prefetchQuery(historyQuery(api, route.id, DEFAULT_HISTORY_RANGE));
  }, [route, api, qc]);
}
