/**
 * One capacity snapshot of an instance, as the capacity service fills it from a fixed handful of
 * Elasticsearch requests (capacity-model.md, "What a snapshot needs").
 */
import type { FigureNote, InstanceLayout } from './capacity-layout';
import type { LayoutGrowth, RoomResult } from './capacity-model';
import type { ConsoleErrorData } from './errors';
import type { TracardiVersion } from './instance';

export interface NodeCapacity {
  id: string;
  name: string;
  roles: string[];
  /** Counts toward the shard limit and the disk headroom (non-frozen data node). */
  isData: boolean;
  diskTotalBytes: number;
  diskUsedBytes: number;
  diskAvailableBytes: number;
  /** Used bytes at which each watermark trips on this node (effectiveWatermarkUsedBytes). */
  watermarks: { lowUsedBytes: number; highUsedBytes: number; floodUsedBytes: number };
  heapUsedBytes: number;
  heapMaxBytes: number;
}

export interface TenantFootprint {
  tenant: string;
  version: TracardiVersion;
  indices: number;
  primaryShards: number;
  /** Primaries and replicas. */
  totalShards: number;
  docs: number;
  /** Store size of primaries and replicas. */
  storeBytes: number;
}

export interface CapacitySnapshot {
  instanceId: string;
  /** ISO 8601. */
  takenAt: string;
  cluster: {
    name: string;
    uuid: string;
    status: 'green' | 'yellow' | 'red';
    /** Elasticsearch version. */
    version: string;
    dataNodes: number;
  };
  nodes: NodeCapacity[];
  shards: { open: number; limitPerNode: number; limit: number };
  /** Raw settings as Elasticsearch reports them (`85%`, `0.85`, `50gb`, `-1`). */
  watermarks: {
    low: string;
    high: string;
    floodStage: string;
    lowMaxHeadroom?: string;
    highMaxHeadroom?: string;
    floodStageMaxHeadroom?: string;
    thresholdEnabled: boolean;
  };
  tenants: TenantFootprint[];
  /** Indices that belong to no tenant (system indices, other applications). */
  otherIndices: number;
  room: RoomResult;
  /**
   * The instance's layout: each partitioned type's period, the shard settings and replicas, read off
   * the instance-version tenants' indices where they show them, else assumed (version defaults and
   * the instance's footprint settings). Room and growth are computed from it.
   */
  layout: InstanceLayout;
  growth: LayoutGrowth;
  /**
   * Which derived figures stand on measurements. Open shards, the shard limit, disk and heap are
   * always read from the cluster; these three may rest on assumptions.
   */
  basis: { shardsPerNewTenant: FigureNote; bytesPerTenant: FigureNote; growth: FigureNote };
  /**
   * The per-index docs and store sizes (each tenant's docs and bytes, hence bytes per tenant) are
   * read on their own, slower cadence: when they were read, how old they are at `takenAt`, and why
   * they were read with this snapshot (`cached`: they were not).
   */
  sizes: { readAt: string; ageMs: number; reason: 'first' | 'expired' | 'indices-changed' | 'cached' };
  /** What the snapshot cost: a fixed number of requests whatever the number of tenants. */
  cost: { requests: number; bytesReceived: number; durationMs: number };
}

export type CapacityOutcome =
  { ok: true; snapshot: CapacitySnapshot } | { ok: false; instanceId: string; error: ConsoleErrorData };
