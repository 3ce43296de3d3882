/**
 * Watch: the schedule that re-verifies the fleet and snapshots capacity, and the Changes feed it
 * fills. Schemas of what crosses the contract (feed entries, the schedule's status) and the words
 * every shell shows; the change detection itself is in watch-detect.ts. Pure: no I/O.
 */
import { z } from 'zod';
import { isoTimeSchema } from '../text/iso-time';
import { NOTIFICATION_CHOICES } from './notification-choice';
import type { VerifyStatus } from '../tenants/tenant';

import { MAX_WATCH_INTERVAL_MINUTES, MIN_WATCH_INTERVAL_MINUTES } from './watch-intervals';
/** The feed keeps this many entries (the oldest go first). */
export const WATCH_FEED_LIMIT = 1000;

/** Shard use at or above this share of the shard limit is a crossing. */
export const SHARD_LIMIT_SHARE = 0.8;
/** A forecast of fewer whole months than this until the shard limit is a crossing. */
export const FORECAST_MONTHS = 3;

/**
 * Verdicts the operator must act on: a tenant in one of these makes `tenantctl watch --once` exit 1
 * and is reported at the first round (the baseline rule, docs/watch.md). `registered`, `handed-over`
 * (waiting for the customer's install) and `revoked` (the operator's own decision) are not problems.
 */
export const PROBLEM_STATUSES: ReadonlySet<VerifyStatus> = new Set<VerifyStatus>([
  'drift',
  'misrouted',
  'wrong-instance',
  'unreachable',
  'partial',
  'unknown-to-instance',
  'expired',
]);

/** What a feed entry is about (`team`: another operator changed a tenant's record in the team registry). */
export const WATCH_SUBJECT_KINDS = ['tenant', 'instance', 'shards', 'disk', 'forecast', 'team'] as const;
export type WatchSubjectKind = (typeof WATCH_SUBJECT_KINDS)[number];

/** Disk watermark levels, worst node of the instance; ordered. */
export const DISK_LEVELS = ['ok', 'low', 'high', 'flood'] as const;
export type DiskLevel = (typeof DISK_LEVELS)[number];

/**
 * Why an entry is special: `baseline` a problem already there when the watch first saw the subject;
 * `flapping` the subject changed too often and its next changes are quiet; `quiet` such a change;
 * `settled` a flapping subject held still again.
 */
export const WATCH_NOTES = ['baseline', 'flapping', 'quiet', 'settled'] as const;
export type WatchNote = (typeof WATCH_NOTES)[number];

/** What an entry or a watched state is about: a tenant, or an instance and one of its limits. */
export const watchSubjectSchema = z.object({
  kind: z.enum(WATCH_SUBJECT_KINDS),
  instanceId: z.string(),
  tenant: z.string().optional(),
});

export const watchChangeSchema = z.object({
  /** Increasing, never reused: the cursor of `watch.changes`. */
  id: z.number().int().min(1),
  /** ISO 8601, when the round that saw it finished. */
  at: z.string(),
  ...watchSubjectSchema.shape,
  /** What the operator reads as the subject, e.g. `shop on EU 1` or `EU 1 disk`. */
  subject: z.string(),
  /** The previous value; null when the watch had none (a baseline entry). */
  from: z.string().nullable(),
  to: z.string(),
  /** `problem` the new value needs action; `recovered` it no longer does; `info` neither. */
  severity: z.enum(['problem', 'recovered', 'info']),
  note: z.enum(WATCH_NOTES).optional(),
  /** One line: the figures or the verification summary behind the value. */
  detail: z.string(),
  /** False for quiet entries (a flapping subject): in the feed, never a notification. */
  notify: z.boolean(),
});
export type WatchChange = z.infer<typeof watchChangeSchema>;

export const watchScheduleSchema = z.object({
  intervalMinutes: z.number().int().min(MIN_WATCH_INTERVAL_MINUTES).max(MAX_WATCH_INTERVAL_MINUTES),
  paused: z.boolean(),
  /** Which changes become desktop notifications. */
  notifications: z.enum(NOTIFICATION_CHOICES),
});
export type WatchSchedule = z.infer<typeof watchScheduleSchema>;

export const watchStatusSchema = watchScheduleSchema.extend({
  /** A round is under way. */
  running: z.boolean(),
  /** ISO 8601 of the last finished round, or null. */
  lastRunAt: isoTimeSchema.nullable(),
  /** ISO 8601 of the next scheduled round; null when paused or not started. */
  nextRunAt: isoTimeSchema.nullable(),
  /** Why the last round failed (one line), or null. */
  lastError: z.string().nullable(),
  /** Problems present after the last round (tenants and limits). */
  problems: z.number().int().min(0),
  /** The id of the newest feed entry (0: none). */
  cursor: z.number().int().min(0),
});
export type WatchStatus = z.infer<typeof watchStatusSchema>;

export const watchChangesSchema = z.object({
  entries: z.array(watchChangeSchema),
  /** Pass as `since` next time. */
  cursor: z.number().int().min(0),
});
export type WatchChanges = z.infer<typeof watchChangesSchema>;
