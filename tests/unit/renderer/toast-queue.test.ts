import { describe, expect, it } from 'vitest';
import {
  addNotices,
  dismiss,
  EMPTY_QUEUE,
  expire,
  MAX_TOASTS,
  nextExpiry,
  resume,
  RESUME_MS,
  TOAST_MS,
} from '../../../renderer/features/changes/toast-queue';
import type { NoticeTone, WatchNotice } from '../../../shared/watch/watch-text';

const notice = (id: number, tone: NoticeTone): WatchNotice => ({ id, tone, title: tone, body: `change ${id}` });

describe('toast queue', () => {
  it('holds at most MAX_TOASTS, pushing out plain ones before problems and counting what went', () => {
    let q = addNotices(EMPTY_QUEUE, [notice(1, 'problem'), notice(2, 'good'), notice(3, 'info')], 0);
    q = addNotices(q, [notice(4, 'problem'), notice(5, 'info')], 10);
    expect(q.toasts.map((t) => t.id)).toEqual([1, 4, 5]);
    expect(q.more).toBe(2);
    // All problems: the oldest goes.
    q = addNotices(q, [notice(6, 'problem'), notice(7, 'problem'), notice(8, 'problem')], 20);
    expect(q.toasts).toHaveLength(MAX_TOASTS);
    expect(q.toasts.map((t) => t.id)).toEqual([6, 7, 8]);
    expect(q.more).toBe(5);
  });

  it('good news and plain changes expire, problems stay', () => {
    const q = addNotices(EMPTY_QUEUE, [notice(1, 'problem'), notice(2, 'good'), notice(3, 'info')], 1000);
    expect(nextExpiry(q)).toBe(1000 + TOAST_MS);
    expect(expire(q, 1000 + TOAST_MS - 1)).toBe(q);
    const later = expire(q, 1000 + TOAST_MS);
    expect(later.toasts.map((t) => t.id)).toEqual([1]);
    expect(nextExpiry(later)).toBeNull();
    expect(expire(later, 1e12).toasts.map((t) => t.id)).toEqual([1]);
  });

  it('a pause gives the expiring ones RESUME_MS more; dismiss drops one', () => {
    const q = addNotices(EMPTY_QUEUE, [notice(1, 'problem'), notice(2, 'good')], 0);
    const resumed = resume(q, TOAST_MS + 5000);
    expect(resumed.toasts.map((t) => t.expiresAt)).toEqual([null, TOAST_MS + 5000 + RESUME_MS]);
    expect(dismiss(q, 1).toasts.map((t) => t.id)).toEqual([2]);
  });
});
