/** The watch's server state through the query layer: its status, the feed, and its controls. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WatchSchedule } from '../../../shared/watch/watch';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';

/** How often the page asks whether a round found something (the browser shell has no push). */
export const WATCH_POLL_MS = 10_000;

export function useWatchStatus() {
  const api = useApi();
  return useQuery({
    queryKey: qk.watchStatus,
    queryFn: () => api['watch.status']({}),
    refetchInterval: WATCH_POLL_MS,
    staleTime: 0,
  });
}

/** The whole feed, newest first. */
export function useWatchFeed() {
  const api = useApi();
  return useQuery({
    queryKey: qk.watchFeed,
    queryFn: async () => {
      const { entries, cursor } = await api['watch.changes']({ since: 0 });
      return { entries: [...entries].reverse(), cursor };
    },
    refetchInterval: WATCH_POLL_MS,
    staleTime: 0,
  });
}

/** Which entries the operator acknowledged (marked seen), polled with the feed. */
export function useWatchAcks() {
  const api = useApi();
  return useQuery({
    queryKey: qk.watchAcks,
    queryFn: () => api['watch.acknowledged']({}),
    refetchInterval: WATCH_POLL_MS,
    staleTime: 0,
  });
}

/** Mark entries seen: by id, or every one up to the newest shown. */
export function useAcknowledge() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (add: { ids?: number[]; through?: number }) => api['watch.acknowledge'](add),
    onSuccess: (acks) => queryClient.setQueryData(qk.watchAcks, acks),
  });
}

/** Interval, pause/resume and "Run now"; each refreshes every watch query when done. */
export function useWatchControls() {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: qk.watch });
  const configure = useMutation({
    mutationFn: (patch: Partial<WatchSchedule>) => api['watch.configure'](patch),
    onSuccess: (status) => {
      queryClient.setQueryData(qk.watchStatus, status);
      void refresh();
    },
  });
  const runNow = useMutation({
    mutationFn: () => api['watch.runNow']({}),
    onSettled: () => void refresh(),
  });
  return { configure, runNow };
}
