/**
 * The Changes screen's view as the URL holds it (`#/changes?kind=problem&about=tenant&instance=eu1
 * &q=shop&since=24h&show=new`) and the filtering of the feed by it, pure. Acknowledged entries
 * (marked seen) stay in the feed; `show=new` hides them.
 */
import type { Params } from '../../lib/routes';
import type { WatchChange } from '../../../shared/watch/watch';
import { timeWindow, windowStart, type TimeWindow } from '../log-tools/time-window';

export const SEVERITIES = ['problem', 'recovered', 'info'] as const;
export const SUBJECT_KINDS = ['tenant', 'instance', 'shards', 'disk', 'forecast', 'team'] as const;

export interface ChangeFilters {
  /** Severity: problem, recovered or a plain change. */
  kind: WatchChange['severity'] | '';
  /** What it is about: a tenant, an instance, one of its limits. */
  about: WatchChange['kind'] | '';
  instanceId: string;
  /** Words that must all appear in the subject, the change or the detail. */
  text: string;
  since: TimeWindow | '';
  /** Only the entries not acknowledged yet. */
  onlyNew: boolean;
}

/** The parameter each filter is kept under. */
export const CHANGE_PARAMS = {
  kind: 'kind',
  about: 'about',
  instanceId: 'instance',
  text: 'q',
  since: 'since',
  onlyNew: 'show',
} as const satisfies Record<keyof ChangeFilters, string>;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | '' {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

export function changeFiltersFromParams(p: Params | undefined): ChangeFilters {
  return {
    kind: oneOf(p?.kind, SEVERITIES),
    about: oneOf(p?.about, SUBJECT_KINDS),
    instanceId: p?.instance ?? '',
    text: p?.q ?? '',
    since: timeWindow(p?.since),
    onlyNew: p?.show === 'new',
  };
}

/** Acknowledged: up to `through`, or named. */
export interface Acks {
  through: number;
  ids: readonly number[];
}

export function isSeen(acks: Acks | undefined, id: number): boolean {
  return acks !== undefined && (id <= acks.through || acks.ids.includes(id));
}

/** The entries matching every filter, in their order. */
export function filterChanges(
  entries: readonly WatchChange[],
  f: ChangeFilters,
  acks: Acks | undefined,
  now: number,
): WatchChange[] {
  const start = windowStart(f.since, now);
  const terms = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((e) => {
    if (f.kind && e.severity !== f.kind) return false;
    if (f.about && e.kind !== f.about) return false;
    if (f.instanceId && e.instanceId !== f.instanceId) return false;
    if (start !== null && !(Date.parse(e.at) >= start)) return false;
    if (f.onlyNew && isSeen(acks, e.id)) return false;
    if (terms.length > 0) {
      const hay = `${e.subject}\n${e.from ?? ''}\n${e.to}\n${e.detail}\n${e.tenant ?? ''}`.toLowerCase();
      if (!terms.every((t) => hay.includes(t))) return false;
    }
    return true;
  });
}
