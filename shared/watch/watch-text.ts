/**
 * The watch's words, zod-free (the renderer's first chunk loads this for the in-app notices): one
 * line per change, the notices of a round, the interval an operator types.
 */
import type { WatchChange } from './watch';

import { MAX_WATCH_INTERVAL_MINUTES, MIN_WATCH_INTERVAL_MINUTES } from './watch-intervals';

export {
  DEFAULT_WATCH_INTERVAL_MINUTES,
  MAX_WATCH_INTERVAL_MINUTES,
  MIN_WATCH_INTERVAL_MINUTES,
} from './watch-intervals';

/** `from -> to` as one phrase; a baseline entry reads `(first seen) -> to`. */
export function changeArrow(change: Pick<WatchChange, 'from' | 'to'>): string {
  return `${change.from ?? '(first seen)'} -> ${change.to}`;
}

/** One line for a change: a terminal line, a notification body, an announcement. */
export function describeChange(change: WatchChange): string {
  const note =
    change.note === 'flapping'
      ? ' (flapping: further changes are quiet until it settles)'
      : change.note === 'settled'
        ? ' (settled)'
        : change.note === 'baseline'
          ? ' (present at start)'
          : '';
  return `${change.subject}: ${changeArrow(change)}${note}${change.detail ? ` - ${change.detail}` : ''}`;
}

/** How a notice reads: a problem to act on, good news (a recovery, a tenant installed), or a plain change. */
export type NoticeTone = 'problem' | 'good' | 'info';

/** One notification: what a shell shows (Electron's Notification, the page's, a toast). */
export interface WatchNotice {
  title: string;
  body: string;
  /** The feed entry it is about (the newest one for a summary). */
  id: number;
  tone: NoticeTone;
}

/**
 * The tone of one change: a problem is one; a recovery is good news, and so is a tenant that got
 * installed without having been a problem (registered or handed over -> installed: severity info).
 */
export function toneOf(change: Pick<WatchChange, 'severity' | 'kind' | 'to'>): NoticeTone {
  if (change.severity === 'problem') return 'problem';
  if (change.severity === 'recovered') return 'good';
  return change.kind === 'tenant' && change.to === 'installed' ? 'good' : 'info';
}

const TITLES: Record<NoticeTone, string> = {
  problem: 'Tracardi: problem',
  good: 'Tracardi: good news',
  info: 'Tracardi: change',
};

/** At most this many notifications per round; more changes make one summary instead. */
export const NOTICES_PER_ROUND = 3;

/**
 * The notifications for a round's entries: quiet entries none; up to NOTICES_PER_ROUND one each;
 * more (a first round with many problems, an outage of several instances) one summary naming the
 * first, so a round never floods the desktop.
 */
export function noticesFor(entries: readonly WatchChange[]): WatchNotice[] {
  const loud = entries.filter((e) => e.notify);
  if (loud.length === 0) return [];
  if (loud.length <= NOTICES_PER_ROUND)
    return loud.map((e) => {
      const tone = toneOf(e);
      return {
        title: e.severity === 'recovered' ? 'Tracardi: recovered' : TITLES[tone],
        body: describeChange(e),
        id: e.id,
        tone,
      };
    });
  const problems = loud.filter((e) => e.severity === 'problem').length;
  const tones = new Set(loud.map(toneOf));
  return [
    {
      title: `Tracardi: ${loud.length} changes`,
      body: `${problems} problem${problems === 1 ? '' : 's'}. ${describeChange(loud[0]!)} and ${loud.length - 1} more: see Changes.`,
      id: loud.at(-1)!.id,
      // A summary with a problem in it is a problem; all good news is good news.
      tone: problems > 0 ? 'problem' : tones.size === 1 && tones.has('good') ? 'good' : 'info',
    },
  ];
}

/** Parse a duration like `15m`, `1h`, `90s` or a bare number of minutes into whole minutes. */
export function parseIntervalMinutes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$/i.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const minutes = unit === 'h' ? value * 60 : unit === 's' ? value / 60 : value;
  if (!Number.isFinite(minutes) || !Number.isInteger(minutes)) return null;
  if (minutes < MIN_WATCH_INTERVAL_MINUTES || minutes > MAX_WATCH_INTERVAL_MINUTES) return null;
  return minutes;
}
