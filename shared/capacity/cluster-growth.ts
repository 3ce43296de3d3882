/**
 * Growth measured from the cluster itself (pure). Tracardi opens a partition on the first write into
 * each period and names it after the period (`…-2026-3`, `…-2026-q2`, `…-2026-year`); every index
 * also carries its `index.creation_date`. Together they tell the shards (and bytes) opened per month
 * over the past months, per tenant, with no local history. docs/capacity.md, "Growth from the
 * cluster".
 *
 * The rule: a partition's name gives its period, and the rate spreads its shards evenly over the
 * period's months (a quarter's 6 shards are 2 a month). Its creation date, when it lies inside that
 * period, is the month it was opened: the table puts it there, and the months of the period before
 * it count none of it (a tenant installed in November has no October). Without a creation date, or
 * with one outside the period (restored, reindexed), the name alone dates it, from the period's first
 * month. An index without a partition suffix (a non-partitioned type: a tenant's install) is dated
 * by its creation date alone and counts whole in that month; without one it is not counted. Indices
 * that are not a tenant's (system indices, other applications) never count.
 */
import { z } from 'zod';
import { parseIndexName, parsePartition } from '../instances/index-naming';

const MONTHS_OF = { year: 12, quarter: 3, month: 1, day: 1 } as const;

/** One index as the listing shows it. */
export interface GrowthIndex {
  index: string;
  pri: number;
  rep: number;
  /** Store size of primaries and replicas (0 when not known). */
  storeBytes: number;
  /** `index.creation_date` (ms since the epoch), when read. */
  createdMs?: number;
}

export const clusterGrowthSchema = z.object({
  /** When it was measured (ms since the epoch). */
  measuredAt: z.number(),
  /** Shards (primaries and replicas) and bytes of the partitions each month opened, oldest first. */
  months: z.array(z.object({ month: z.string(), shards: z.number(), bytes: z.number() })),
  /** Complete months the rates average over (0: no complete month observed, no rate). */
  monthsObserved: z.number(),
  /** Shards a month, each partition spread over the months its period covers. */
  shardsPerMonth: z.number().nullable(),
  bytesPerMonth: z.number().nullable(),
  /** Per tenant, shards a month (same spreading). */
  perTenant: z.record(z.string(), z.number()),
});
export type ClusterGrowth = z.infer<typeof clusterGrowthSchema>;

/** `YYYY-MM` of a UTC month index (months since year 0). */
function monthKey(m: number): string {
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}
function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/**
 * Shards and bytes opened per month over the last `window` complete months (and the current one, in
 * the table), from the partition names. Rates average only complete months, from the first month
 * any partition covers: a cluster two months old averages over two, not twelve.
 */
export function clusterGrowthOf(indices: readonly GrowthIndex[], nowMs: number, window = 12): ClusterGrowth {
  const current = monthIndex(nowMs);
  const first = current - window;
  const opened = new Map<number, { shards: number; bytes: number }>();
  const spread = new Map<number, { shards: number; bytes: number }>();
  const tenantSpread = new Map<string, Map<number, number>>();
  const add = (tenant: string, m: number, shards: number, bytes: number) => {
    if (m < first || m >= current) return;
    const s = spread.get(m) ?? { shards: 0, bytes: 0 };
    s.shards += shards;
    s.bytes += bytes;
    spread.set(m, s);
    const t = tenantSpread.get(tenant) ?? new Map<number, number>();
    t.set(m, (t.get(m) ?? 0) + shards);
    tenantSpread.set(tenant, t);
  };
  let earliest = Number.POSITIVE_INFINITY;
  for (const ix of indices) {
    const parsed = parseIndexName(ix.index);
    if (parsed === null) continue;
    const shards = ix.pri * (1 + ix.rep);
    const created = ix.createdMs !== undefined && Number.isFinite(ix.createdMs) ? monthIndex(ix.createdMs) : null;
    let openedIn: number;
    if (parsed.partition !== undefined) {
      const range = parsePartition(parsed.partition);
      if (range === null) continue;
      const start = monthIndex(range.startMs);
      const span = MONTHS_OF[range.period];
      // Created inside its period: that is the month it was opened, and the months of the period
      // before it had no such index. Created outside it (restored, reindexed, migrated later): the
      // name decides.
      openedIn = created !== null && created >= start && created < start + span ? created : start;
      earliest = Math.min(earliest, openedIn);
      for (let m = openedIn; m < start + span; m++) add(parsed.tenant, m, shards / span, ix.storeBytes / span);
    } else {
      if (created === null) continue;
      earliest = Math.min(earliest, created);
      add(parsed.tenant, created, shards, ix.storeBytes);
      openedIn = created;
    }
    if (openedIn >= first && openedIn <= current) {
      const o = opened.get(openedIn) ?? { shards: 0, bytes: 0 };
      o.shards += shards;
      o.bytes += ix.storeBytes;
      opened.set(openedIn, o);
    }
  }
  const from = Math.max(first, Number.isFinite(earliest) ? earliest : current);
  const monthsObserved = Math.max(0, current - from);
  let shards = 0;
  let bytes = 0;
  for (const [m, s] of spread)
    if (m >= from) {
      shards += s.shards;
      bytes += s.bytes;
    }
  const months: ClusterGrowth['months'] = [];
  for (let m = from; m <= current; m++) {
    const o = opened.get(m) ?? { shards: 0, bytes: 0 };
    months.push({ month: monthKey(m), shards: o.shards, bytes: o.bytes });
  }
  const perTenant: Record<string, number> = {};
  for (const [tenant, byMonth] of [...tenantSpread].sort((a, b) => a[0].localeCompare(b[0]))) {
    let sum = 0;
    for (const [m, n] of byMonth) if (m >= from) sum += n;
    perTenant[tenant] = monthsObserved > 0 ? sum / monthsObserved : 0;
  }
  return {
    measuredAt: nowMs,
    months: monthsObserved > 0 || opened.size > 0 ? months : [],
    monthsObserved,
    shardsPerMonth: monthsObserved > 0 ? shards / monthsObserved : null,
    bytesPerMonth: monthsObserved > 0 ? bytes / monthsObserved : null,
    perTenant,
  };
}
