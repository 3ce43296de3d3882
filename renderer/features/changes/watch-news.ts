/**
 * What the page has seen of the watch's feed and the toasts it shows: a small store changed by
 * named actions, fed by one polled query. The first poll only learns the cursor: entries already
 * in the feed when the page loaded are the Changes screen's, not news.
 */
import { useQuery } from '@tanstack/react-query';
import type { ConsoleApi } from '../../../shared/contract';
import { noticesFor, type WatchNotice } from '../../../shared/watch-text';
import { useApi, useShellKind } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { createStore, useStore } from '../../lib/store';
import { WATCH_POLL_MS } from './use-watch';

/** Toasts kept on screen at once (older ones drop off). */
const MAX_TOASTS = 3;

const store = createStore<{ seen: number | null; toasts: WatchNotice[] }>({ seen: null, toasts: [] });

/** Drop one toast. */
export function dismissToast(id: number): void {
  store.set((s) => ({ ...s, toasts: s.toasts.filter((t) => t.id !== id) }));
}

export function useToasts(): WatchNotice[] {
  return useStore(store, (s) => s.toasts);
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
  store.set((s) => ({ seen: fresh.cursor, toasts: [...s.toasts, ...notices].slice(-MAX_TOASTS) }));
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
