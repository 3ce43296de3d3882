/**
 * How many more tenants fit on an instance (capacity-model.md): effective disk watermarks, shard
 * and disk headroom, the binding limit, growth of time-partitioned indices, and the admission check.
 */
import { z } from 'zod';
import { ConsoleError } from '../errors/errors';
import type { TracardiVersion } from '../instances/instance';
import { assumedLayout, type InstanceLayout } from './capacity-layout';
import {
  DEFAULT_REPLICAS,
  partitionPeriod,
  primaryShardsOfType,
  primaryShardsPerTenant,
  shardsPerNewTenant,
  versionProfile,
  type PartitionPeriod,
  type ShardOptions,
} from '../instances/version-profiles';

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1024 ** 5,
};

/**
 * Bytes of an Elasticsearch byte-size setting (`50gb`, `500mb`, `1.5tb`, `123b`; binary units, as
 * Elasticsearch reads them). Null for anything else, including `-1` (unbounded) and unit-less numbers
 * other than `0`, which Elasticsearch refuses too.
 */
export function parseByteSize(value: string): number | null {
  const s = value.trim().toLowerCase();
  if (s === '0') return 0;
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(b|kb?|mb?|gb?|tb?|pb?)$/.exec(s);
  if (!m) return null;
  return Math.floor(Number(m[1]) * (UNITS[m[2] as string] as number));
}

/**
 * A watermark as a ratio of the disk (0..1), or null when it is an absolute free-space value.
 * Mirrors Elasticsearch's RelativeByteSizeValue: a value ending in `b` is a size; `0` is the size 0.
 */
function parseRatio(setting: string): number | null {
  if (setting.endsWith('b')) return null;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(setting);
  if (pct) {
    const p = Number(pct[1]);
    return p <= 100 ? p / 100 : null;
  }
  if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(setting)) {
    const r = Number(setting);
    return r > 0 && r <= 1 ? r : null;
  }
  return null;
}

/** Format bytes for a message: `512 B`, `12.3 GiB`, `1.96 TiB`. */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  // Three significant digits: "2.0 TiB left, a tenant takes 2.0 TiB" would hide why it is refused.
  return i === 0 ? `${Math.round(v)} B` : `${v >= 100 ? v.toFixed(0) : v.toPrecision(3)} ${units[i]}`;
}

/**
 * Used bytes at which a disk watermark trips on a disk of `totalBytes`: `85%` / `0.85` ratios,
 * absolute free-space values (`50gb`), and the 8.x `max_headroom` that caps the free space a ratio
 * watermark demands (`-1` or absent = no cap).
 */
export function effectiveWatermarkUsedBytes(
  setting: string,
  maxHeadroom: string | undefined,
  totalBytes: number,
): number {
  const s = setting.trim().toLowerCase();
  const ratio = parseRatio(s);
  if (ratio !== null) {
    let requiredFree = totalBytes * (1 - ratio);
    const h = (maxHeadroom ?? '').trim();
    if (h !== '' && h !== '-1') {
      const headroom = parseByteSize(h);
      if (headroom === null) {
        throw new ConsoleError(
          'es-error',
          `Cannot read the disk watermark max_headroom "${maxHeadroom}": expected a size like 200gb or -1.`,
        );
      }
      requiredFree = Math.min(requiredFree, headroom);
    }
    return Math.max(0, totalBytes - requiredFree);
  }
  const free = parseByteSize(s);
  if (free === null) {
    throw new ConsoleError(
      'es-error',
      `Cannot read the disk watermark "${setting}": expected a percentage (85%), a ratio (0.85) or a free-space size (50gb).`,
    );
  }
  return Math.max(0, totalBytes - free);
}

/** Whether a node with these roles counts toward `cluster.max_shards_per_node` (non-frozen data nodes). */
export function countsTowardShardLimit(roles: readonly string[]): boolean {
  return roles.some(
    (r) => r === 'data' || r === 'data_content' || r === 'data_hot' || r === 'data_warm' || r === 'data_cold',
  );
}

export interface DataNodeDisk {
  diskTotalBytes: number;
  diskUsedBytes: number;
  /** effectiveWatermarkUsedBytes of the low watermark on this node. */
  lowWatermarkUsedBytes: number;
}

export interface RoomInput extends ShardOptions {
  /** `cluster.max_shards_per_node` (default 1000). */
  maxShardsPerNode: number;
  /** Non-frozen data nodes only. */
  dataNodes: DataNodeDisk[];
  /** Open shards in the cluster, primaries and replicas. */
  openShards: number;
  version: TracardiVersion;
  /** ELASTIC_INDEX_REPLICAS (default 1). */
  replicas?: number;
  /**
   * Replicas read off the tenants' indices: used as they are (Tracardi's single-data-node rule is
   * already in them), instead of `replicas` and that rule.
   */
  measuredReplicas?: number;
  /** Store size (bytes, primaries and replicas) of each tenant already on the instance. */
  tenantStoreBytes: number[];
  /** Operator estimate, used when there are no tenants to learn from. */
  bytesPerTenantEstimate?: number;
  /** `cluster.routing.allocation.disk.threshold_enabled`. */
  diskThresholdEnabled: boolean;
}

export const roomResultSchema = z.object({
  /** max_shards_per_node × data nodes. */
  shardLimit: z.number(),
  /** shardLimit − open shards; negative when the cluster is already over the limit. */
  shardHeadroom: z.number(),
  shardsPerNewTenant: z.number(),
  tenantsByShards: z.number(),
  /** Σ over data nodes of max(0, bytes allowed below the low watermark − bytes used). */
  diskHeadroomBytes: z.number(),
  bytesPerTenant: z.number().nullable(),
  bytesPerTenantSource: z.enum(['median', 'estimate', 'none']),
  /** Null when the size of a tenant (or the disk) is unknown: then shards bind. */
  tenantsByDisk: z.number().nullable(),
  room: z.number(),
  binding: z.enum(['shards', 'disk']),
});
export type RoomResult = z.infer<typeof roomResultSchema>;

function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Room for new tenants on one instance, and which limit binds. */
export function computeRoom(input: RoomInput): RoomResult {
  const shardLimit = input.maxShardsPerNode * input.dataNodes.length;
  const shardHeadroom = shardLimit - input.openShards;
  const shardOpts = { indexShards: input.indexShards, confShards: input.confShards };
  const perTenant =
    input.measuredReplicas !== undefined
      ? primaryShardsPerTenant(input.version, shardOpts) * (1 + input.measuredReplicas)
      : shardsPerNewTenant(input.version, {
          ...shardOpts,
          dataNodes: input.dataNodes.length,
          replicas: input.replicas,
        });
  const tenantsByShards = Math.max(0, Math.floor(shardHeadroom / perTenant));

  // With the disk threshold off Elasticsearch ignores the watermarks, but a full disk still stops
  // writes: the whole disk is the allowance then.
  let diskHeadroomBytes = 0;
  let diskKnown = false;
  for (const n of input.dataNodes) {
    const allowed = input.diskThresholdEnabled ? n.lowWatermarkUsedBytes : n.diskTotalBytes;
    if (!Number.isFinite(allowed) || !Number.isFinite(n.diskUsedBytes) || !(n.diskTotalBytes > 0)) continue;
    diskKnown = true;
    diskHeadroomBytes += Math.max(0, allowed - n.diskUsedBytes);
  }

  // A zero-byte "tenant" cannot divide anything: treat it as no information.
  let bytesPerTenant: number | null = median(input.tenantStoreBytes);
  let bytesPerTenantSource: RoomResult['bytesPerTenantSource'] = 'median';
  if (bytesPerTenant === null || bytesPerTenant <= 0) {
    const est = input.bytesPerTenantEstimate;
    bytesPerTenant = est !== undefined && Number.isFinite(est) && est > 0 ? est : null;
    bytesPerTenantSource = bytesPerTenant === null ? 'none' : 'estimate';
  }
  const tenantsByDisk = bytesPerTenant === null || !diskKnown ? null : Math.floor(diskHeadroomBytes / bytesPerTenant);

  const binding = tenantsByDisk !== null && tenantsByDisk < tenantsByShards ? 'disk' : 'shards';
  return {
    shardLimit,
    shardHeadroom,
    shardsPerNewTenant: perTenant,
    tenantsByShards,
    diskHeadroomBytes,
    bytesPerTenant,
    bytesPerTenantSource,
    tenantsByDisk,
    room: binding === 'disk' ? (tenantsByDisk as number) : tenantsByShards,
    binding,
  };
}

/** Months one partition covers; a day-or-finer period counts as a day (a lower bound on its growth). */
const MONTHS_PER_PERIOD: Record<PartitionPeriod, number> = { day: 12 / 365.25, month: 1, quarter: 3, year: 12 };

/**
 * Primaries one tenant opens a month through new partitions, averaged over quarters and years: per
 * partitioned type, 2 contexts × its primaries ÷ the months its period covers. 0.8.2 defaults with
 * 3/1 shards: 26 monthly + 18 a quarter + 4 a year = 26 + 6 + 0.33 = 32.3.
 */
export function primaryGrowthPerTenant(layout: InstanceLayout): number {
  const big = new Set(versionProfile(layout.version).indexShardTypes);
  let perTenant = 0;
  for (const p of layout.partitions) {
    const primaries = big.has(p.type) ? layout.indexShards.value : layout.confShards.value;
    perTenant += (2 * primaries) / MONTHS_PER_PERIOD[p.period];
  }
  return perTenant;
}

export const layoutGrowthSchema = z.object({
  /** New primaries a month per tenant. */
  newPrimariesPerTenantPerMonth: z.number(),
  /** New shards (primaries and replicas) a month, all of today's tenants. */
  newShardsPerMonth: z.number(),
  /**
   * Whole months until new partitions reach the shard limit, or null when nothing grows. Assumes
   * today's tenant count, every tenant writing every period (Tracardi creates a partition on the
   * first write into it), and old partitions kept (Tracardi deletes none by itself).
   */
  monthsUntilShardLimit: z.number().nullable(),
});
export type LayoutGrowth = z.infer<typeof layoutGrowthSchema>;

export function growthOf(layout: InstanceLayout, tenants: number, shardHeadroom: number): LayoutGrowth {
  const perTenant = primaryGrowthPerTenant(layout);
  const newShardsPerMonth = Math.max(0, tenants) * perTenant * (1 + layout.replicas.value);
  let months: number | null = null;
  if (newShardsPerMonth > 0) months = shardHeadroom <= 0 ? 0 : Math.floor(shardHeadroom / newShardsPerMonth);
  return { newPrimariesPerTenantPerMonth: perTenant, newShardsPerMonth, monthsUntilShardLimit: months };
}

export interface GrowthInput extends ShardOptions {
  shardHeadroom: number;
  /** Tenants on the instance today. */
  tenants: number;
  version: TracardiVersion;
  /** Non-frozen data nodes (a single one means no replicas). */
  dataNodes: number;
  replicas?: number;
  /** The instance's *_PARTITIONING overrides, when it changed the defaults. */
  periods?: Readonly<Record<string, PartitionPeriod>>;
}

/** The layout of a version's defaults, the given settings and period overrides (nothing measured). */
function layoutOf(input: Omit<GrowthInput, 'shardHeadroom'>): InstanceLayout {
  const layout = assumedLayout(input.version, {
    indexShards: primaryShardsOfType(input.version, 'event', input),
    confShards: primaryShardsOfType(input.version, 'field-update-log', input),
    replicas: input.replicas ?? DEFAULT_REPLICAS,
    dataNodes: input.dataNodes,
  });
  for (const p of layout.partitions) p.period = partitionPeriod(p.type, input.version, input.periods) ?? p.period;
  return layout;
}

/** Shards the instance's tenants add per month through new partitions, from defaults and overrides. */
export function shardGrowthPerMonth(input: Omit<GrowthInput, 'shardHeadroom'>): number {
  return growthOf(layoutOf(input), input.tenants, 0).newShardsPerMonth;
}

/** Whole months until new partitions reach the shard limit (see LayoutGrowth), from defaults and overrides. */
export function monthsUntilShardLimit(input: GrowthInput): number | null {
  return growthOf(layoutOf(input), input.tenants, input.shardHeadroom).monthsUntilShardLimit;
}

export type Admission = { ok: true } | { ok: false; reason: 'shards' | 'disk'; message: string };

/** Whether one more tenant fits, and if not, a message that names the binding limit. */
export function admitOneMore(room: RoomResult): Admission {
  if (room.room >= 1) return { ok: true };
  if (room.binding === 'disk') {
    return {
      ok: false,
      reason: 'disk',
      message:
        `No room for another tenant: the data nodes have ${formatByteSize(room.diskHeadroomBytes)} left below the low disk watermark ` +
        `and a tenant takes about ${formatByteSize(room.bytesPerTenant ?? 0)} (${room.bytesPerTenantSource === 'median' ? 'median of this instance' : 'operator estimate'}).`,
    };
  }
  return {
    ok: false,
    reason: 'shards',
    message:
      `No room for another tenant: it needs ${room.shardsPerNewTenant} shards and the cluster has ${Math.max(0, room.shardHeadroom)} ` +
      `left of its ${room.shardLimit}-shard limit (cluster.max_shards_per_node × data nodes).`,
  };
}
