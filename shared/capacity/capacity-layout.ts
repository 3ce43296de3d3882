/**
 * How an instance really lays its tenants out, read off the cluster's own index names and shard
 * counts (pure): each partitioned type's period, ELASTIC_INDEX_SHARDS, ELASTIC_CONF_INDEX_SHARDS and
 * the replicas. What the indices show wins over the version profile and the instance's settings,
 * which are only the fallback: an operator may have changed any `*_PARTITIONING` or shard setting.
 */
import { z } from 'zod';
import { parsePartition, type ParsedName } from '../instances/index-naming';
import { TRACARDI_VERSIONS, type TracardiVersion } from '../instances/instance';
import {
  effectiveReplicas,
  PARTITION_PERIODS,
  versionProfile,
  type PartitionPeriod,
} from '../instances/version-profiles';

/** Where a figure comes from: the cluster's own indices, or a default / the instance's settings. */
export const basisSchema = z.enum(['measured', 'assumed']);
export type Basis = z.infer<typeof basisSchema>;

const numberFigureSchema = z.object({ value: z.number(), basis: basisSchema });
export type Figure<T> = { value: T; basis: Basis };

const periodSchema = z.enum(PARTITION_PERIODS);

export const partitionLayoutSchema = z.object({
  type: z.string(),
  period: periodSchema,
  basis: basisSchema,
  /** The version's own default (tracardi/config.py) and the env variable that changes it. */
  defaultPeriod: periodSchema,
  env: z.string(),
  /** Partitions of this type on the instance-version tenants, any period. */
  partitions: z.number().int().nonnegative(),
  /** The current partitions disagree (a setting changed, or hand-made indices): the finest counts. */
  mixed: z.boolean(),
});
export type PartitionLayout = z.infer<typeof partitionLayoutSchema>;

export const instanceLayoutSchema = z.object({
  version: z.enum(TRACARDI_VERSIONS),
  /** Instance-version tenants whose indices were read. */
  tenants: z.number().int().nonnegative(),
  /** ELASTIC_INDEX_SHARDS: primaries of an event/entity/log/session/profile(/console-log/dispatch-log) index. */
  indexShards: numberFigureSchema,
  /** ELASTIC_CONF_INDEX_SHARDS: primaries of every other index. */
  confShards: numberFigureSchema,
  /** Replicas per index as created (Tracardi's single-data-node rule already applied when measured). */
  replicas: numberFigureSchema,
  partitions: z.array(partitionLayoutSchema),
});
export type InstanceLayout = z.infer<typeof instanceLayoutSchema>;

/** One index of an instance-version tenant: its parsed name and its shard counts (from health). */
export interface LayoutIndex {
  parsed: ParsedName;
  pri: number;
  rep: number;
}

/** What to assume when the cluster shows nothing: the instance's footprint settings. */
export interface LayoutFallback {
  indexShards: number;
  confShards: number;
  replicas: number;
  /** Non-frozen data nodes (a single one means Tracardi creates no replicas). */
  dataNodes: number;
}

const FINENESS: Record<PartitionPeriod, number> = { day: 0, month: 1, quarter: 2, year: 3 };

/** The most frequent value; ties go to the larger (more shards: the safer reading). */
function mode(values: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && v > best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

interface Partition {
  index: LayoutIndex;
  period: PartitionPeriod;
  startMs: number;
  endMs: number;
}

/**
 * The partitions that tell the period in use now: those covering `nowMs`; when none does (idle
 * tenants, a clock far off), the newest ones. Stale families (a tenant idle since an older setting)
 * do not decide, since the newest partitions of the active tenants are what Tracardi creates today.
 */
function currentPartitions(partitions: readonly Partition[], nowMs: number): Partition[] {
  const covering = partitions.filter((p) => p.startMs <= nowMs && nowMs < p.endMs);
  if (covering.length > 0) return covering;
  const newest = Math.max(...partitions.map((p) => p.startMs));
  return partitions.filter((p) => p.startMs === newest);
}

/**
 * Measure the layout from the indices of the instance-version tenants (both contexts). Per type, the
 * period is the finest among its current partitions (the worst case for growth when they disagree);
 * shards and replicas are the most frequent among the current partitions and the plain indices.
 */
export function measureLayout(
  indices: readonly LayoutIndex[],
  version: TracardiVersion,
  nowMs: number,
  fallback: LayoutFallback,
): InstanceLayout {
  const profile = versionProfile(version);
  const big = new Set(profile.indexShardTypes);
  const byType = new Map<string, Partition[]>();
  const tenants = new Set<string>();
  // The indices whose shard counts reflect today's settings.
  const current: LayoutIndex[] = [];
  for (const index of indices) {
    const p = index.parsed;
    if (p.version !== version || !p.known) continue;
    tenants.add(p.tenant);
    if (p.partition === undefined) {
      current.push(index);
      continue;
    }
    const range = parsePartition(p.partition);
    if (range === null) continue;
    const list = byType.get(p.type) ?? [];
    list.push({ index, ...range });
    byType.set(p.type, list);
  }

  const partitions: PartitionLayout[] = profile.partitionedTypes.map((type) => {
    const defaultPeriod = profile.partitionPeriods[type] ?? 'month';
    const env = profile.partitionEnv[type] ?? '';
    const seen = byType.get(type) ?? [];
    if (seen.length === 0)
      return { type, period: defaultPeriod, basis: 'assumed', defaultPeriod, env, partitions: 0, mixed: false };
    const now = currentPartitions(seen, nowMs);
    current.push(...now.map((p) => p.index));
    const periods = [...new Set(now.map((p) => p.period))].sort((a, b) => FINENESS[a] - FINENESS[b]);
    return {
      type,
      period: periods[0] as PartitionPeriod,
      basis: 'measured',
      defaultPeriod,
      env,
      partitions: seen.length,
      mixed: periods.length > 1,
    };
  });

  const figure = (measured: number | null, assumed: number): Figure<number> =>
    measured === null ? { value: assumed, basis: 'assumed' } : { value: measured, basis: 'measured' };
  return {
    version,
    tenants: tenants.size,
    indexShards: figure(mode(current.filter((i) => big.has(i.parsed.type)).map((i) => i.pri)), fallback.indexShards),
    confShards: figure(mode(current.filter((i) => !big.has(i.parsed.type)).map((i) => i.pri)), fallback.confShards),
    replicas: figure(mode(current.map((i) => i.rep)), effectiveReplicas(fallback.dataNodes, fallback.replicas)),
    partitions,
  };
}

/** The layout a version's defaults and the instance's settings describe, with nothing measured. */
export function assumedLayout(version: TracardiVersion, fallback: LayoutFallback): InstanceLayout {
  return measureLayout([], version, 0, fallback);
}

/** Whether a figure built from several inputs is measured, assumed, or partly measured. */
export const figureNoteSchema = z.object({
  basis: z.enum(['measured', 'assumed', 'partly measured']),
  /** The inputs that were assumed (a default or the instance's setting), in words. */
  assumed: z.array(z.string()),
});
export type FigureNote = z.infer<typeof figureNoteSchema>;
export type FigureBasis = FigureNote['basis'];

function note(inputs: ReadonlyArray<[string, Basis]>): FigureNote {
  const assumed = inputs.filter(([, b]) => b === 'assumed').map(([what]) => what);
  const basis: FigureBasis =
    assumed.length === 0 ? 'measured' : assumed.length === inputs.length ? 'assumed' : 'partly measured';
  return { basis, assumed };
}

function shardInputs(layout: InstanceLayout): Array<[string, Basis]> {
  const profile = versionProfile(layout.version);
  const all = [...profile.partitionedTypes, ...profile.plainTypes, ...profile.staticTypes];
  const inputs: Array<[string, Basis]> = [
    [`ELASTIC_INDEX_SHARDS ${layout.indexShards.value}`, layout.indexShards.basis],
  ];
  if (all.some((t) => !profile.indexShardTypes.includes(t)))
    inputs.push([`ELASTIC_CONF_INDEX_SHARDS ${layout.confShards.value}`, layout.confShards.basis]);
  inputs.push([`replicas ${layout.replicas.value}`, layout.replicas.basis]);
  return inputs;
}

/** What "shards per new tenant" stands on: the shard settings and replicas. */
export function shardsPerTenantNote(layout: InstanceLayout): FigureNote {
  return note(shardInputs(layout));
}

/** What the growth figures stand on: the shard settings, replicas and every partitioned type's period. */
export function growthNote(layout: InstanceLayout): FigureNote {
  return note([
    ...shardInputs(layout),
    ...layout.partitions.map((p): [string, Basis] => [`${p.type} by ${p.period} (${p.env} default)`, p.basis]),
  ]);
}

/** A note in words: `measured`, or `partly measured; assumed ELASTIC_CONF_INDEX_SHARDS 1, …`. */
export function basisText(note: FigureNote): string {
  return note.basis === 'measured' ? 'measured' : `${note.basis}; assumed ${note.assumed.join(', ')}`;
}
