/**
 * What the page has seen of the watch's feed and the toasts it shows: a small store changed by
 * named actions (the queue's rules are in toast-queue.ts), fed by one polled query. The first poll
 * only learns the cursor: entries already in the feed when the page loaded are the Changes
 * screen's, not news.
 */
import { useQuery } from '@tanstack/react-query';
import type { ConsoleApi } from '../../../shared/contract/contract';
import { noticesFor } from '../../../shared/watch/watch-text';
import { useApi, useShellKind } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { createStore, useStore } from '../../lib/store';
import { addNotices, dismiss, EMPTY_QUEUE, expire, resume, type ToastQueue } from './toast-queue';
import { WATCH_POLL_MS } from './use-watch';

const store = createStore<{ seen: number | null; queue: ToastQueue }>({ seen: null, queue: EMPTY_QUEUE });

/** Drop one toast. */
export function dismissToast(id: number): void {
  store.set((s) => ({ ...s, queue: dismiss(s.queue, id) }));
}

/** Drop every toast: "Dismiss all", and opening the Changes screen (every entry is in its feed). */
export function clearToasts(): void {
  store.set((s) => (s.queue === EMPTY_QUEUE ? s : { ...s, queue: EMPTY_QUEUE }));
}

/** Drop the toasts whose time is up. */
export function expireToasts(now: number = Date.now()): void {
  store.set((s) => {
    const queue = expire(s.queue, now);
    return queue === s.queue ? s : { ...s, queue };
  });
}

/** The pointer or focus left the toasts: what was about to go gets a little time more. */
export function resumeToasts(now: number = Date.now()): void {
  store.set((s) => ({ ...s, queue: resume(s.queue, now) }));
}

export function useToastQueue(): ToastQueue {
  return useStore(store, (s) => s.queue);
}

/** One poll: learn the cursor, or take the entries after it as news. Answers the cursor. */
async function poll(api: ConsoleApi, pageNotices: boolean): Promise<number> {
  const { seen } = store.get();
  if (seen === null) {
    const { cursor } = await api['watch.status']({});
    store.set((s) => ({ ...s, seen: s.seen ?? cursor }));
    return cursor;
  }
  const fresh = await api['watch.changes']({ since: seen });
  if (fresh.cursor <= seen) return seen;
  const notices = noticesFor(fresh.entries);
  store.set((s) => ({ seen: fresh.cursor, queue: addNotices(s.queue, notices, Date.now()) }));
  if (notices.length > 0) {
    announce(notices.map((n) => n.body).join(' '));
    // Loaded when there is news (not on the first screen): it asks for the operator's choice.
    if (pageNotices)
      void import('./page-notice-choice').then((m) => m.showChosenPageNotices(api, fresh.entries)).catch(() => 0);
  }
  return fresh.cursor;
}

/** Keep polling the feed for news (mounted once, with the frame). */
export function useWatchNews(): void {
  const api = useApi();
  // Electron's main shows desktop notifications itself; only the browser shell's page does.
  const pageNotices = useShellKind() === 'browser';
  useQuery({
    queryKey: qk.watchNews,
    queryFn: () => poll(api, pageNotices),
    refetchInterval: WATCH_POLL_MS,
    staleTime: 0,
  });
}
