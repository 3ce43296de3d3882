/**
 * One capacity snapshot of an instance, as the capacity service fills it from a fixed handful of
 * Elasticsearch requests (capacity-model.md, "What a snapshot needs"). Schemas first: the contract
 * checks `capacity.snapshot` results with them; the types are inferred.
 */
import { z } from 'zod';
import { figureNoteSchema, instanceLayoutSchema } from './capacity-layout';
import { layoutGrowthSchema, roomResultSchema } from './capacity-model';
import { consoleErrorDataSchema } from '../errors/error-data';
import { TRACARDI_VERSIONS } from '../instances/instance';

export const nodeCapacitySchema = z.object({
  id: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  /** Counts toward the shard limit and the disk headroom (non-frozen data node). */
  isData: z.boolean(),
  diskTotalBytes: z.number(),
  diskUsedBytes: z.number(),
  diskAvailableBytes: z.number(),
  /** Used bytes at which each watermark trips on this node (effectiveWatermarkUsedBytes). */
  watermarks: z.object({ lowUsedBytes: z.number(), highUsedBytes: z.number(), floodUsedBytes: z.number() }),
  heapUsedBytes: z.number(),
  heapMaxBytes: z.number(),
});
export type NodeCapacity = z.infer<typeof nodeCapacitySchema>;

/** Counts and sizes are sums of Elasticsearch's whole numbers. */
export const tenantFootprintSchema = z.object({
  tenant: z.string(),
  version: z.enum(TRACARDI_VERSIONS),
  indices: z.number().int().nonnegative(),
  primaryShards: z.number().int().nonnegative(),
  /** Primaries and replicas. */
  totalShards: z.number().int().nonnegative(),
  docs: z.number().int().nonnegative(),
  /** Store size of primaries and replicas. */
  storeBytes: z.number().int().nonnegative(),
});
export type TenantFootprint = z.infer<typeof tenantFootprintSchema>;

export const capacitySnapshotSchema = z.object({
  instanceId: z.string(),
  /** ISO 8601. */
  takenAt: z.string(),
  cluster: z.object({
    name: z.string(),
    uuid: z.string(),
    status: z.enum(['green', 'yellow', 'red']),
    /** Elasticsearch version. */
    version: z.string(),
    dataNodes: z.number(),
  }),
  nodes: z.array(nodeCapacitySchema),
  shards: z.object({ open: z.number(), limitPerNode: z.number(), limit: z.number() }),
  /** Raw settings as Elasticsearch reports them (`85%`, `0.85`, `50gb`, `-1`). */
  watermarks: z.object({
    low: z.string(),
    high: z.string(),
    floodStage: z.string(),
    lowMaxHeadroom: z.string().optional(),
    highMaxHeadroom: z.string().optional(),
    floodStageMaxHeadroom: z.string().optional(),
    thresholdEnabled: z.boolean(),
  }),
  tenants: z.array(tenantFootprintSchema),
  /** Indices that belong to no tenant and not to the console (system indices, other applications). */
  otherIndices: z.number(),
  /**
   * The console's own indices on the cluster: the team registry (shared/team/registry.ts), hidden, one
   * primary shard each. Their shards count toward the shard limit like any others. Absent in
   * snapshots recorded before the registry.
   */
  console: z
    .object({
      indices: z.number().int().nonnegative(),
      shards: z.number().int().nonnegative(),
      docs: z.number().int().nonnegative(),
      storeBytes: z.number().int().nonnegative(),
    })
    .optional(),
  room: roomResultSchema,
  /**
   * The instance's layout: each partitioned type's period, the shard settings and replicas, read off
   * the instance-version tenants' indices where they show them, else assumed (version defaults and
   * the instance's footprint settings). Room and growth are computed from it.
   */
  layout: instanceLayoutSchema,
  growth: layoutGrowthSchema,
  /**
   * Which derived figures stand on measurements. Open shards, the shard limit, disk and heap are
   * always read from the cluster; these three may rest on assumptions.
   */
  basis: z.object({ shardsPerNewTenant: figureNoteSchema, bytesPerTenant: figureNoteSchema, growth: figureNoteSchema }),
  /**
   * The per-index docs and store sizes (each tenant's docs and bytes, hence bytes per tenant) are
   * read on their own, slower cadence: when they were read, how old they are at `takenAt`, and why
   * they were read with this snapshot (`cached`: they were not).
   */
  sizes: z.object({
    readAt: z.string(),
    ageMs: z.number(),
    reason: z.enum(['first', 'expired', 'indices-changed', 'cached']),
  }),
  /** What the snapshot cost: a fixed number of requests whatever the number of tenants. */
  cost: z.object({ requests: z.number(), bytesReceived: z.number(), durationMs: z.number() }),
});
export type CapacitySnapshot = z.infer<typeof capacitySnapshotSchema>;

export const capacityOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), snapshot: capacitySnapshotSchema }),
  z.object({ ok: z.literal(false), instanceId: z.string(), error: consoleErrorDataSchema }),
]);
export type CapacityOutcome = z.infer<typeof capacityOutcomeSchema>;
