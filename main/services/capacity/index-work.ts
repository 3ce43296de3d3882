/**
 * The per-index work of a snapshot done once per index set, not on every refresh. Grouping thousands
 * of index names by tenant with the naming rules and measuring the layout off them cost more than
 * the steady refresh's own requests (bench/capacity.ts); the indices change far less often than the
 * refresh runs. One memo per instance (CapacityService), dropped with the instance's client.
 */
import { measureLayout, type InstanceLayout, type LayoutFallback } from '../../../shared/capacity/capacity-layout';
import { parseIndexName, parsePartition, type ParsedName } from '../../../shared/instances/index-naming';
import type { TracardiVersion } from '../../../shared/instances/instance';
import { joinIndexRows, type HealthReply, type IndexStatsReply, type RawCapacity } from './replies';
import { groupIndices, type IndexGrouping, type IndexWork } from './snapshot';

interface Grouped {
  health: HealthReply;
  stats: IndexStatsReply;
  version: TracardiVersion;
  grouping: IndexGrouping;
  /** Every start and end of the tenants' partitions, ascending (computed with the first layout). */
  boundaries?: number[];
}

interface Measured {
  grouping: IndexGrouping;
  version: TracardiVersion;
  fallback: string;
  /** The layout holds for snapshot times in [fromMs, untilMs). */
  fromMs: number;
  untilMs: number;
  layout: InstanceLayout;
}

/**
 * Reuses the grouping while health's listing and the sizes are the very same replies (the service
 * keeps the parsed listing while its bytes do not change, and the sizes while they are cached), and
 * the layout while, in addition, the snapshot time crosses no partition's start or end: the layout
 * depends on the time only through which partitions cover it. Index names are parsed once each
 * (`parse`), also for the creation dates' bookkeeping, and forgotten once no listing has them.
 */
export class IndexWorkMemo implements IndexWork {
  #grouped: Grouped | undefined;
  #measured: Measured | undefined;
  /** Parsed names of the current index set, and of the one before (two generations). */
  #names = new Map<string, ParsedName | null>();
  #namesBefore = new Map<string, ParsedName | null>();

  /** parseIndexName, remembered. */
  readonly parse = (name: string): ParsedName | null => {
    let parsed = this.#names.get(name);
    if (parsed !== undefined) return parsed;
    parsed = this.#namesBefore.get(name);
    if (parsed === undefined) parsed = parseIndexName(name);
    this.#names.set(name, parsed);
    return parsed;
  };

  grouping(raw: RawCapacity, version: TracardiVersion): IndexGrouping {
    const g = this.#grouped;
    if (g !== undefined && g.health === raw.health && g.stats === raw.indexStats && g.version === version)
      return g.grouping;
    // A new index set: the names it no longer lists are dropped with the generation after.
    if (g === undefined || g.health !== raw.health) {
      this.#namesBefore = this.#names;
      this.#names = new Map();
    }
    const grouping = groupIndices(joinIndexRows(raw.health, raw.indexStats), version, this.parse);
    this.#grouped = { health: raw.health, stats: raw.indexStats, version, grouping };
    return grouping;
  }

  layout(grouping: IndexGrouping, version: TracardiVersion, nowMs: number, fallback: LayoutFallback): InstanceLayout {
    const key = `${fallback.indexShards}/${fallback.confShards}/${fallback.replicas}/${fallback.dataNodes}`;
    const m = this.#measured;
    const same = m !== undefined && m.grouping === grouping && m.version === version && m.fallback === key;
    if (same && m.fromMs <= nowMs && nowMs < m.untilMs) return m.layout;
    const layout = measureLayout(grouping.layoutIndices, version, nowMs, fallback);
    // The window is worked out on the second layout of an index set, not the first: a fresh
    // service's only snapshot (tenantctl) does not pay for it.
    const boundaries = same ? this.#boundaries(grouping) : null;
    const [fromMs, untilMs] = boundaries === null ? [nowMs, nowMs] : window(boundaries, nowMs);
    this.#measured = { grouping, version, fallback: key, fromMs, untilMs, layout };
    return layout;
  }

  /** The partition boundaries of the grouping the memo holds; null for another grouping (then nothing is reused). */
  #boundaries(grouping: IndexGrouping): number[] | null {
    const g = this.#grouped;
    if (g === undefined || g.grouping !== grouping) return null;
    if (g.boundaries === undefined) {
      const all = new Set<number>();
      for (const { parsed } of grouping.layoutIndices) {
        const range = parsed.partition === undefined ? null : parsePartition(parsed.partition);
        if (range !== null) all.add(range.startMs).add(range.endMs);
      }
      g.boundaries = [...all].sort((a, b) => a - b);
    }
    return g.boundaries;
  }
}

/** The boundaries either side of `nowMs`: the last at or before it, the first after it. */
function window(boundaries: readonly number[], nowMs: number): [number, number] {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid]! <= nowMs) lo = mid + 1;
    else hi = mid;
  }
  return [lo === 0 ? -Infinity : boundaries[lo - 1]!, lo === boundaries.length ? Infinity : boundaries[lo]!];
}
