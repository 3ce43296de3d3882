/**
 * Change detection of the watch: a round's verification results and capacity figures become one
 * value per subject (a tenant's verdict, an instance's reachability, its shard, disk and forecast
 * limits), compared with the previous round's values (the baseline). Pure: the service feeds it and
 * stores what it returns. The rules (docs/watch.md):
 *
 * - Only changes are reported. A subject seen for the first time (the first round, a new tenant or
 *   instance) is reported only when its value is a problem, once, noted `baseline`.
 * - An instance that cannot be reached (its Elasticsearch listing failed, or every one of its tenants
 *   is unreachable) is ONE change, of the instance; its tenants and limits keep their last values
 *   until it answers again, so an outage is neither a storm of tenant changes nor, once over, a storm
 *   of recoveries.
 * - A subject whose instance is no longer configured, or a tenant no longer in the records, is
 *   forgotten without a change (the operator removed it).
 * - Flapping: a subject that changes FLAP_CHANGES times within FLAP_WINDOW rounds is reported once
 *   as flapping; its further changes go to the feed quietly (no notification) until it holds still
 *   for FLAP_WINDOW rounds, which is reported once as settled.
 */
import type { VerifyStatus } from '../tenants/tenant';
import {
  DISK_LEVELS,
  FORECAST_MONTHS,
  PROBLEM_STATUSES,
  SHARD_LIMIT_SHARE,
  type DiskLevel,
  type WatchChange,
  type WatchNote,
  type WatchSubjectKind,
} from './watch';

export const FLAP_CHANGES = 3;
export const FLAP_WINDOW = 6;

/** What a round measured of one instance's capacity (null fields: not measured). */
export interface InstanceLimits {
  shardsOpen: number;
  shardLimit: number;
  /** Worst data node's watermark level, and that node's name and used share. */
  disk: { level: DiskLevel; node: string; usedShare: number } | null;
  monthsUntilShardLimit: number | null;
  /** Where that growth comes from: a forecast's source, or 'model' (the partition layout). */
  growthSource?: 'cluster' | 'history' | 'blended' | 'model';
  /** The forecast in the words every screen uses (forecast-text.ts's forecastSentence), when known. */
  forecastLine?: string;
}

const GROWTH_WORDS: Record<NonNullable<InstanceLimits['growthSource']>, string> = {
  cluster: 'growth measured from the cluster',
  history: 'the local history trend',
  blended: 'growth blended from local history and the cluster',
  model: "the partition layout's growth",
};

/** Everything one round saw; the service builds it from verify and capacity. */
export interface RoundInput {
  /** Instances configured at the time of the round. */
  instances: { id: string; name: string }[];
  /** One verdict per tenant record verified. */
  results: { instanceId: string; tenant: string; status: VerifyStatus; summary: string }[];
  /** Instances whose Elasticsearch listing failed in verification. */
  instanceErrors: { instanceId: string; message: string }[];
  /** Capacity per instance: figures, or the reason it failed. */
  capacity: (
    { instanceId: string; ok: true; limits: InstanceLimits } | { instanceId: string; ok: false; message: string }
  )[];
}

export interface SubjectState {
  kind: WatchSubjectKind;
  instanceId: string;
  tenant?: string;
  value: string;
  /** Rounds (numbers) at which the value changed, the last FLAP_WINDOW rounds only. */
  changedAt: number[];
  flapping: boolean;
  /** Round of the last change; a flapping subject settles FLAP_WINDOW rounds after it. */
  lastChange: number;
}

/** The baseline: what the previous round saw, per subject key. */
export interface WatchBaseline {
  version: 1;
  round: number;
  at: string;
  subjects: Record<string, SubjectState>;
}

/** A feed entry before the feed numbers it. */
export type ChangeDraft = Omit<WatchChange, 'id'>;

interface Observed {
  key: string;
  kind: WatchSubjectKind;
  instanceId: string;
  tenant?: string;
  subject: string;
  value: string;
  detail: string;
}

/** Severity rank of a value: 0 fine; higher is worse. */
export function severityOf(kind: WatchSubjectKind, value: string): number {
  switch (kind) {
    case 'tenant':
      return PROBLEM_STATUSES.has(value as VerifyStatus) ? 1 : 0;
    case 'instance':
      return value === 'unreachable' ? 1 : 0;
    case 'disk':
      return Math.max(0, DISK_LEVELS.indexOf(value as DiskLevel));
    default:
      return value === 'crossed' ? 1 : 0;
  }
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/** The limit subjects' values from one instance's figures. */
export function limitValues(limits: InstanceLimits): { shards: string; disk: string; forecast: string } {
  const share = limits.shardLimit > 0 ? limits.shardsOpen / limits.shardLimit : 0;
  const months = limits.monthsUntilShardLimit;
  return {
    shards: share >= SHARD_LIMIT_SHARE ? 'crossed' : 'ok',
    disk: limits.disk?.level ?? 'ok',
    forecast: months !== null && months < FORECAST_MONTHS ? 'crossed' : 'ok',
  };
}

function limitDetails(limits: InstanceLimits): { shards: string; disk: string; forecast: string } {
  const share = limits.shardLimit > 0 ? limits.shardsOpen / limits.shardLimit : 0;
  const months = limits.monthsUntilShardLimit;
  return {
    shards: `${limits.shardsOpen} of ${limits.shardLimit} shards open (${pct(share)}; the line is ${pct(SHARD_LIMIT_SHARE)})`,
    disk: limits.disk
      ? `node ${limits.disk.node} ${pct(limits.disk.usedShare)} used (${limits.disk.level === 'ok' ? 'under every watermark' : `${limits.disk.level} watermark`})`
      : 'no data node reported',
    forecast:
      limits.forecastLine !== undefined
        ? `${limits.forecastLine} (the line is ${FORECAST_MONTHS} months)`
        : months === null
          ? 'no growth forecast (nothing grows)'
          : `${months} month${months === 1 ? '' : 's'} to the shard limit at ${GROWTH_WORDS[limits.growthSource ?? 'model']} (the line is ${FORECAST_MONTHS})`,
  };
}

/** Subject key: stable across rounds. */
export const subjectKey = (kind: WatchSubjectKind, instanceId: string, tenant?: string): string =>
  tenant === undefined ? `${kind}:${instanceId}` : `${kind}:${instanceId}/${tenant}`;

/** Instances a round could not reach: the listing failed, or every tenant of it is unreachable. */
export function unreachableInstances(input: RoundInput): Map<string, string> {
  const down = new Map<string, string>();
  for (const e of input.instanceErrors) down.set(e.instanceId, e.message);
  const byInstance = new Map<string, RoundInput['results']>();
  for (const r of input.results) byInstance.set(r.instanceId, [...(byInstance.get(r.instanceId) ?? []), r]);
  for (const [id, rows] of byInstance) {
    if (!down.has(id) && rows.length > 0 && rows.every((r) => r.status === 'unreachable'))
      down.set(id, `every tenant unreachable (${rows[0]!.summary})`);
  }
  // An instance with no tenants is judged by its capacity snapshot alone.
  for (const c of input.capacity) {
    if (!c.ok && !byInstance.has(c.instanceId) && !down.has(c.instanceId)) down.set(c.instanceId, c.message);
  }
  return down;
}

/** What the round saw, per subject; subjects of an unreachable instance other than itself are absent. */
function observe(input: RoundInput, down: Map<string, string>): Observed[] {
  const names = new Map(input.instances.map((i) => [i.id, i.name]));
  const out: Observed[] = [];
  for (const { id, name } of input.instances) {
    const reason = down.get(id);
    out.push({
      key: subjectKey('instance', id),
      kind: 'instance',
      instanceId: id,
      subject: name,
      value: reason === undefined ? 'reachable' : 'unreachable',
      detail: reason ?? 'answers',
    });
  }
  for (const r of input.results) {
    if (down.has(r.instanceId) || !names.has(r.instanceId)) continue;
    out.push({
      key: subjectKey('tenant', r.instanceId, r.tenant),
      kind: 'tenant',
      instanceId: r.instanceId,
      tenant: r.tenant,
      subject: `${r.tenant} on ${names.get(r.instanceId)}`,
      value: r.status,
      detail: r.summary,
    });
  }
  for (const c of input.capacity) {
    if (!c.ok || down.has(c.instanceId) || !names.has(c.instanceId)) continue;
    const values = limitValues(c.limits);
    const details = limitDetails(c.limits);
    for (const kind of ['shards', 'disk', 'forecast'] as const) {
      out.push({
        key: subjectKey(kind, c.instanceId),
        kind,
        instanceId: c.instanceId,
        subject: `${names.get(c.instanceId)} ${kind === 'shards' ? 'shard use' : kind === 'disk' ? 'disk' : 'shard forecast'}`,
        value: values[kind],
        detail: details[kind],
      });
    }
  }
  return out;
}

function draft(o: Observed, at: string, from: string | null, note: WatchNote | undefined): ChangeDraft {
  const before = from === null ? 0 : severityOf(o.kind, from);
  const after = severityOf(o.kind, o.value);
  return {
    at,
    kind: o.kind,
    instanceId: o.instanceId,
    ...(o.tenant !== undefined ? { tenant: o.tenant } : {}),
    subject: o.subject,
    from,
    to: o.value,
    severity: after > before || (from === null && after > 0) ? 'problem' : after < before ? 'recovered' : 'info',
    ...(note ? { note } : {}),
    detail: o.detail.slice(0, 300),
    notify: note !== 'quiet',
  };
}

/**
 * Compare a round with the baseline. Returns the changes to report (in a stable order: instances,
 * then limits, then tenants) and the new baseline to store. `previous` null: the first round.
 */
export function detectChanges(
  previous: WatchBaseline | null,
  input: RoundInput,
  at: string,
): { changes: ChangeDraft[]; baseline: WatchBaseline; problems: number } {
  const round = (previous?.round ?? 0) + 1;
  const down = unreachableInstances(input);
  const configured = new Set(input.instances.map((i) => i.id));
  const verified = new Set(input.results.map((r) => subjectKey('tenant', r.instanceId, r.tenant)));
  const subjects: Record<string, SubjectState> = {};
  const changes: ChangeDraft[] = [];

  // Carried: the last values of an unreachable instance's tenants and limits (not compared now).
  for (const [key, state] of Object.entries(previous?.subjects ?? {})) {
    if (!configured.has(state.instanceId) || state.kind === 'instance') continue;
    if (!down.has(state.instanceId)) continue;
    // A tenant deleted while its instance was down is still forgotten.
    if (state.kind === 'tenant' && !verified.has(key)) continue;
    subjects[key] = state;
  }
  // Limits the round could not measure (capacity failed on a reachable instance) keep their values too.
  const measured = new Set(input.capacity.filter((c) => c.ok).map((c) => c.instanceId));
  for (const [key, state] of Object.entries(previous?.subjects ?? {})) {
    const isLimit = state.kind === 'shards' || state.kind === 'disk' || state.kind === 'forecast';
    if (isLimit && configured.has(state.instanceId) && !measured.has(state.instanceId)) subjects[key] = state;
  }

  for (const o of observe(input, down)) {
    const prior = previous?.subjects[o.key];
    if (!prior) {
      subjects[o.key] = {
        kind: o.kind,
        instanceId: o.instanceId,
        ...(o.tenant !== undefined ? { tenant: o.tenant } : {}),
        value: o.value,
        changedAt: [],
        flapping: false,
        lastChange: round,
      };
      if (severityOf(o.kind, o.value) > 0) changes.push(draft(o, at, null, 'baseline'));
      continue;
    }
    const recent = prior.changedAt.filter((r) => r > round - FLAP_WINDOW);
    if (prior.value === o.value) {
      const settles = prior.flapping && round - prior.lastChange >= FLAP_WINDOW;
      subjects[o.key] = { ...prior, changedAt: recent, flapping: prior.flapping && !settles };
      if (settles) changes.push(draft(o, at, prior.value, 'settled'));
      continue;
    }
    const changedAt = [...recent, round];
    const startsFlapping = !prior.flapping && changedAt.length >= FLAP_CHANGES;
    subjects[o.key] = {
      ...prior,
      value: o.value,
      changedAt,
      flapping: prior.flapping || startsFlapping,
      lastChange: round,
    };
    changes.push(draft(o, at, prior.value, prior.flapping ? 'quiet' : startsFlapping ? 'flapping' : undefined));
  }

  const order: Record<WatchSubjectKind, number> = { instance: 0, shards: 1, disk: 2, forecast: 3, tenant: 4, team: 5 };
  changes.sort((a, b) => order[a.kind] - order[b.kind]);
  const problems = Object.values(subjects).filter((s) => severityOf(s.kind, s.value) > 0).length;
  return { changes, baseline: { version: 1, round, at, subjects }, problems };
}
