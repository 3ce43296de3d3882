/**
 * The in-app toasts as a pure queue: at most MAX_TOASTS on screen (the ones pushed out are counted
 * and the Changes feed keeps them), good news and plain changes expire after TOAST_MS, problems stay
 * until dismissed or the Changes screen is opened.
 */
import type { WatchNotice } from '../../../shared/watch/watch-text';

/** Toasts on screen at once. */
export const MAX_TOASTS = 3;
/** How long good news and plain changes stay (ms); problems have no expiry. */
export const TOAST_MS = 8000;
/** Time left to a toast when the pointer or focus leaves the toasts (it was read meanwhile). */
export const RESUME_MS = 3000;

export interface Toast extends WatchNotice {
  /** When it goes by itself (ms since the epoch); null: a problem, it stays. */
  expiresAt: number | null;
}

export interface ToastQueue {
  toasts: Toast[];
  /** Notices pushed out by newer ones since the operator last cleared the toasts or opened Changes. */
  more: number;
}

export const EMPTY_QUEUE: ToastQueue = { toasts: [], more: 0 };

/** Add a round's notices; past MAX_TOASTS the oldest plain one goes first, a problem only when none is left. */
export function addNotices(q: ToastQueue, notices: readonly WatchNotice[], now: number): ToastQueue {
  if (notices.length === 0) return q;
  const toasts: Toast[] = [
    ...q.toasts,
    ...notices.map((n) => ({ ...n, expiresAt: n.tone === 'problem' ? null : now + TOAST_MS })),
  ];
  let more = q.more;
  while (toasts.length > MAX_TOASTS) {
    const plain = toasts.findIndex((t) => t.tone !== 'problem');
    toasts.splice(plain >= 0 ? plain : 0, 1);
    more += 1;
  }
  return { toasts, more };
}

/** Drop the toasts whose time is up. */
export function expire(q: ToastQueue, now: number): ToastQueue {
  const toasts = q.toasts.filter((t) => t.expiresAt === null || t.expiresAt > now);
  return toasts.length === q.toasts.length ? q : { ...q, toasts };
}

/** After a pause (pointer or focus on the toasts): every expiring toast gets at least RESUME_MS more. */
export function resume(q: ToastQueue, now: number): ToastQueue {
  return {
    ...q,
    toasts: q.toasts.map((t) =>
      t.expiresAt === null ? t : { ...t, expiresAt: Math.max(t.expiresAt, now + RESUME_MS) },
    ),
  };
}

/** Drop one toast. */
export function dismiss(q: ToastQueue, id: number): ToastQueue {
  return { ...q, toasts: q.toasts.filter((t) => t.id !== id) };
}

/** The soonest expiry, or null when every toast stays. */
export function nextExpiry(q: ToastQueue): number | null {
  const times = q.toasts.flatMap((t) => (t.expiresAt === null ? [] : [t.expiresAt]));
  return times.length === 0 ? null : Math.min(...times);
}
