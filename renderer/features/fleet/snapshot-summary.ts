/** What a fleet card shows of a capacity snapshot: the worst node's disk and heap, the shard use. Pure. */
import type { CapacitySnapshot, NodeCapacity } from '../../../shared/capacity/capacity';
import { formatCount, formatDecimal } from '../../lib/format';
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

/**
 * The partition layout's rate in words: what a tenant opens a month. Not a forecast: the months to
 * a limit are the instance's forecast (components/forecast-lines.tsx), the same on every screen.
 */
export function layoutRateText(snapshot: CapacitySnapshot): string {
  const perTenant = snapshot.growth.newPrimariesPerTenantPerMonth;
  return `By the partition layout a tenant opens ${formatDecimal(perTenant)} new primaries a month.`;
}

/** How old the per-index docs and sizes are: they are read on their own, slower cadence. */
export function sizesAgeText(snapshot: CapacitySnapshot, formatAgo: (iso: string) => string): string {
  if (snapshot.sizes.reason !== 'cached') return 'Tenant sizes read with this snapshot';
  return `Tenant sizes from ${formatAgo(snapshot.sizes.readAt)}`;
}
