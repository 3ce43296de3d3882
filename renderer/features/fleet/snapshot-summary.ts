/** What a fleet card shows of a capacity snapshot: the worst node's disk and heap, the shard use. Pure. */
import type { CapacitySnapshot, NodeCapacity } from '../../../shared/capacity';
import { formatCount, formatDecimal, plural } from '../../lib/format';
import type { MeterMarker } from '../../lib/meter-model';

export interface DiskSummary {
  node: NodeCapacity;
  /** Used / total. */
  used: number;
  markers: MeterMarker[];
}

/** Watermark markers of a node as fractions of its disk. */
export function watermarkMarkers(node: NodeCapacity): MeterMarker[] {
  if (!node.diskTotalBytes) return [];
  const at = (bytes: number) => Math.max(0, Math.min(1, bytes / node.diskTotalBytes));
  return [
    { at: at(node.watermarks.lowUsedBytes), label: 'low watermark', kind: 'low' },
    { at: at(node.watermarks.highUsedBytes), label: 'high watermark', kind: 'high' },
    { at: at(node.watermarks.floodUsedBytes), label: 'flood-stage watermark', kind: 'flood' },
  ];
}

/**
 * The data node closest to its low watermark (watermarks may be absolute, so compare each node's
 * use against its own low mark rather than raw percentages).
 */
export function worstDisk(snapshot: CapacitySnapshot): DiskSummary | null {
  const nodes = snapshot.nodes.filter((n) => n.isData && n.diskTotalBytes > 0);
  if (nodes.length === 0) return null;
  let worst = nodes[0] as NodeCapacity;
  let worstScore = -Infinity;
  for (const n of nodes) {
    const score =
      n.watermarks.lowUsedBytes > 0 ? n.diskUsedBytes / n.watermarks.lowUsedBytes : n.diskUsedBytes / n.diskTotalBytes;
    if (score > worstScore) {
      worst = n;
      worstScore = score;
    }
  }
  return { node: worst, used: worst.diskUsedBytes / worst.diskTotalBytes, markers: watermarkMarkers(worst) };
}

/** The node with the highest heap use. */
export function worstHeap(snapshot: CapacitySnapshot): { node: NodeCapacity; used: number } | null {
  let best: { node: NodeCapacity; used: number } | null = null;
  for (const n of snapshot.nodes) {
    if (!n.heapMaxBytes) continue;
    const used = n.heapUsedBytes / n.heapMaxBytes;
    if (!best || used > best.used) best = { node: n, used };
  }
  return best;
}

/** "room for 12 more (shards bind)" in words. */
export function roomText(snapshot: CapacitySnapshot): string {
  const { room, binding } = snapshot.room;
  const n = Math.max(0, room);
  return `Room for ${formatCount(n)} more tenant${n === 1 ? '' : 's'}; ${binding === 'shards' ? 'shard limit' : 'disk'} binds`;
}

/** Growth toward the shard limit in words, with what it stands on. */
export function growthText(snapshot: CapacitySnapshot): string {
  const { monthsUntilShardLimit: months, newPrimariesPerTenantPerMonth: perTenant } = snapshot.growth;
  const rate = `${formatDecimal(perTenant)} new primaries a month per tenant`;
  if (months === null) return `Not growing toward the shard limit at today’s tenant count (${rate}).`;
  if (months <= 0) return `At the shard limit now (${rate}).`;
  return `About ${plural(months, 'month')} until the shard limit at today’s tenant count (${rate}).`;
}

/** How old the per-index docs and sizes are: they are read on their own, slower cadence. */
export function sizesAgeText(snapshot: CapacitySnapshot, formatAgo: (iso: string) => string): string {
  if (snapshot.sizes.reason !== 'cached') return 'Tenant sizes read with this snapshot';
  return `Tenant sizes from ${formatAgo(snapshot.sizes.readAt)}`;
}
