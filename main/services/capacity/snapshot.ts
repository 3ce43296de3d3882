/** The snapshot from the parsed replies (pure, unit-tested): grouping by tenant, open shards, nodes, room. */
import type { CapacitySnapshot, NodeCapacity, TenantFootprint } from '../../../shared/capacity/capacity';
import {
  growthNote,
  measureLayout,
  shardsPerTenantNote,
  type FigureNote,
  type InstanceLayout,
  type LayoutFallback,
  type LayoutIndex,
} from '../../../shared/capacity/capacity-layout';
import {
  computeRoom,
  countsTowardShardLimit,
  effectiveWatermarkUsedBytes,
  growthOf,
} from '../../../shared/capacity/capacity-model';
import { ConsoleError, toConsoleError } from '../../../shared/errors/errors';
import { groupByTenant, parseIndexName, type ParsedName } from '../../../shared/instances/index-naming';
import { isRegistryIndex } from '../../../shared/team/registry';
import type { Instance, TracardiVersion } from '../../../shared/instances/instance';
import { assertSupportedEsVersion } from '../es-client';
import { joinIndexRows, type IndexRow, type RawCapacity } from './replies';
import { effectiveSettings } from './settings';

export interface IndexGrouping {
  tenants: TenantFootprint[];
  otherIndices: number;
  /** The console's own indices (the team registry), counted apart from tenants and "other". */
  console: NonNullable<CapacitySnapshot['console']>;
  /**
   * Shards counted toward cluster.max_shards_per_node: Σ over OPEN indices of primaries × (1 + replicas),
   * assigned or not. That is Elasticsearch's own count (ShardLimitValidator uses the metadata's total
   * open index shards); health's active_shards would miss unassigned replicas, which still count.
   * Closed indices do not count. Frozen (partially mounted) indices belong to a separate limit; they
   * are rare on Tracardi clusters and are counted here, which errs on the safe side.
   */
  openShards: number;
  /** Every index of the tenants reported under the instance's version, for measureLayout. */
  layoutIndices: LayoutIndex[];
}

/**
 * Group the index listing by tenant (both 0.8.x and 0.9.x names, every context). A tenant with
 * indices of the instance's version is reported under that version (its profile drives the footprint);
 * a tenant with only indices of the other version keeps that version, so an unmigrated tenant shows.
 * Every index of a tenant counts toward its indices, shards, docs and bytes, whatever its version.
 */
export function groupIndices(
  rows: readonly IndexRow[],
  instanceVersion: TracardiVersion,
  parse: (name: string) => ParsedName | null = parseIndexName,
): IndexGrouping {
  let openShards = 0;
  for (const r of rows) if (r.status !== 'close') openShards += r.pri * (1 + r.rep);
  const groups = groupByTenant(rows, (r) => r.index, parse);
  const tenants: TenantFootprint[] = [];
  const layoutIndices: LayoutIndex[] = [];
  for (const [tenant, items] of groups.tenants) {
    const f: TenantFootprint = {
      tenant,
      version: instanceVersion,
      indices: 0,
      primaryShards: 0,
      totalShards: 0,
      docs: 0,
      storeBytes: 0,
    };
    let hasInstanceVersion = false;
    let otherVersion: TracardiVersion | undefined;
    for (const { item, parsed } of items) {
      if (parsed.version === instanceVersion) hasInstanceVersion = true;
      else otherVersion = parsed.version;
      f.indices += 1;
      f.primaryShards += item.pri;
      f.totalShards += item.pri * (1 + item.rep);
      f.docs += item.docs;
      f.storeBytes += item.storeBytes;
    }
    if (!hasInstanceVersion && otherVersion !== undefined) f.version = otherVersion;
    else for (const { item, parsed } of items) layoutIndices.push({ parsed, pri: item.pri, rep: item.rep });
    tenants.push(f);
  }
  tenants.sort((a, b) => a.tenant.localeCompare(b.tenant));
  const console = { indices: 0, shards: 0, docs: 0, storeBytes: 0 };
  let otherIndices = 0;
  for (const r of groups.other) {
    if (!isRegistryIndex(r.index)) {
      otherIndices++;
      continue;
    }
    console.indices++;
    console.shards += r.pri * (1 + r.rep);
    console.docs += r.docs;
    console.storeBytes += r.storeBytes;
  }
  return { tenants, otherIndices, console, openShards, layoutIndices };
}

/** The lowest version of a mixed-version cluster (a rolling upgrade): what every node understands. */
export function lowestVersion(versions: readonly string[]): string {
  const key = (v: string) => (/^(\d+)\.(\d+)\.(\d+)/.exec(v) ?? [v, '0', '0', '0']).slice(1).map(Number);
  return (
    [...versions].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < 3; i++) if (x[i]! !== y[i]!) return x[i]! - y[i]!;
      return 0;
    })[0] ?? 'unknown'
  );
}

/**
 * The per-index work of a snapshot: the index listing grouped by tenant (the naming rules) and the
 * layout measured off the tenants' indices. `computeIndexWork` does it afresh; the service passes
 * an IndexWorkMemo (index-work.ts) that reuses both while the index set stays the same.
 */
export interface IndexWork {
  grouping(raw: RawCapacity, version: TracardiVersion): IndexGrouping;
  layout(grouping: IndexGrouping, version: TracardiVersion, nowMs: number, fallback: LayoutFallback): InstanceLayout;
}

export const computeIndexWork: IndexWork = {
  grouping: (raw, version) => groupIndices(joinIndexRows(raw.health, raw.indexStats), version),
  layout: (grouping, version, nowMs, fallback) => measureLayout(grouping.layoutIndices, version, nowMs, fallback),
};

/** Turn the parsed responses into a snapshot (pure but for what `work` remembers). */
export function buildSnapshot(
  raw: RawCapacity,
  instance: Instance,
  meta: { takenAt: string; cost: CapacitySnapshot['cost'] },
  work: IndexWork = computeIndexWork,
): CapacitySnapshot {
  const settings = effectiveSettings(raw.settings);
  const version = lowestVersion(Object.values(raw.nodesInfo.nodes).map((n) => n.version));
  assertSupportedEsVersion(version, instance);

  const nodes: NodeCapacity[] = Object.entries(raw.nodesStats.nodes).map(([id, n]) => {
    const total = n.fs.total.total_in_bytes ?? 0;
    const available = n.fs.total.available_in_bytes ?? 0;
    return {
      id,
      name: n.name,
      roles: n.roles,
      isData: countsTowardShardLimit(n.roles),
      diskTotalBytes: total,
      // Elasticsearch's disk decider measures used as total − available (space reserved for root is used).
      diskUsedBytes: Math.max(0, total - available),
      diskAvailableBytes: available,
      watermarks: {
        lowUsedBytes: watermark(settings.low, settings.lowMaxHeadroom, total, instance),
        highUsedBytes: watermark(settings.high, settings.highMaxHeadroom, total, instance),
        floodUsedBytes: watermark(settings.floodStage, settings.floodStageMaxHeadroom, total, instance),
      },
      heapUsedBytes: n.jvm.mem.heap_used_in_bytes,
      heapMaxBytes: n.jvm.mem.heap_max_in_bytes,
    };
  });
  nodes.sort((a, b) => a.name.localeCompare(b.name));
  const dataNodes = nodes.filter((n) => n.isData);

  const grouping = work.grouping(raw, instance.tracardiVersion);
  const ownVersion = grouping.tenants.filter((t) => t.version === instance.tracardiVersion);
  // What the tenants' own indices show wins over the instance's footprint settings (the fallback).
  const layout = work.layout(grouping, instance.tracardiVersion, Date.parse(meta.takenAt), {
    indexShards: instance.footprint.indexShards,
    confShards: instance.footprint.confShards,
    replicas: instance.footprint.replicas,
    dataNodes: dataNodes.length,
  });
  const roomInput: Parameters<typeof computeRoom>[0] = {
    maxShardsPerNode: settings.maxShardsPerNode,
    dataNodes: dataNodes.map((n) => ({
      diskTotalBytes: n.diskTotalBytes,
      diskUsedBytes: n.diskUsedBytes,
      lowWatermarkUsedBytes: n.watermarks.lowUsedBytes,
    })),
    openShards: grouping.openShards,
    version: instance.tracardiVersion,
    // The median tenant of this instance's version: other-version leftovers do not describe a new install.
    tenantStoreBytes: ownVersion.map((t) => t.storeBytes),
    diskThresholdEnabled: settings.thresholdEnabled,
    indexShards: layout.indexShards.value,
    confShards: layout.confShards.value,
    replicas: instance.footprint.replicas,
  };
  if (layout.replicas.basis === 'measured') roomInput.measuredReplicas = layout.replicas.value;
  if (instance.bytesPerTenantEstimate !== undefined) roomInput.bytesPerTenantEstimate = instance.bytesPerTenantEstimate;
  const room = computeRoom(roomInput);
  const bytesNote: FigureNote =
    room.bytesPerTenantSource === 'median'
      ? { basis: 'measured', assumed: [] }
      : { basis: 'assumed', assumed: [room.bytesPerTenantSource === 'estimate' ? 'operator estimate' : 'unknown'] };

  const { maxShardsPerNode: _limit, ...watermarks } = settings;

  return {
    instanceId: instance.id,
    takenAt: meta.takenAt,
    cluster: {
      name: raw.health.cluster_name,
      uuid: raw.state.cluster_uuid,
      status: raw.health.status,
      version,
      dataNodes: dataNodes.length,
    },
    nodes,
    shards: { open: grouping.openShards, limitPerNode: settings.maxShardsPerNode, limit: room.shardLimit },
    watermarks,
    // Copies: the grouping may be reused by the next snapshot of the same index set.
    tenants: grouping.tenants.map((t) => ({ ...t })),
    otherIndices: grouping.otherIndices,
    console: grouping.console,
    room,
    layout,
    growth: growthOf(layout, ownVersion.length, room.shardHeadroom),
    basis: { shardsPerNewTenant: shardsPerTenantNote(layout), bytesPerTenant: bytesNote, growth: growthNote(layout) },
    sizes: sizesOf(raw, meta.takenAt),
    cost: meta.cost,
  };
}

function sizesOf(raw: RawCapacity, takenAt: string): CapacitySnapshot['sizes'] {
  if (raw.sizes === undefined) return { readAt: takenAt, ageMs: 0, reason: 'first' };
  const taken = Date.parse(takenAt);
  const ageMs = Number.isFinite(taken) ? Math.max(0, taken - raw.sizes.readAtMs) : 0;
  return { readAt: new Date(raw.sizes.readAtMs).toISOString(), ageMs, reason: raw.sizes.reason };
}

function watermark(setting: string, maxHeadroom: string | undefined, total: number, instance: Instance): number {
  try {
    return effectiveWatermarkUsedBytes(setting, maxHeadroom, total);
  } catch (err) {
    const e = toConsoleError(err);
    throw new ConsoleError(e.code, `Instance "${instance.name}": ${e.message}`, {
      instanceId: instance.id,
      cause: err,
    });
  }
}
