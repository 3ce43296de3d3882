/**
 * Reading the replies: the schemas of the small replies, the hand-written readers of the two per-index
 * ones, and the join of both per-index replies into one row per index.
 */
import { z } from 'zod';

const num = z.union([z.number(), z.string()]).transform((v) => Number(v));

// The two per-index replies (one entry per index, thousands on big clusters) are read by hand: a
// schema library costs milliseconds per thousand entries, and the snapshot is on the UI's refresh path.
const healthSchema = z.object({
  cluster_name: z.string(),
  status: z.enum(['green', 'yellow', 'red']),
  indices: z.unknown().optional(),
});
export interface HealthReply {
  cluster_name: string;
  status: 'green' | 'yellow' | 'red';
  /** Per index: primaries and replicas (health level=indices). */
  indices: Record<string, { number_of_shards: number; number_of_replicas: number }>;
}
export function readHealth(value: unknown): HealthReply | null {
  const top = healthSchema.safeParse(value);
  if (!top.success) return null;
  const raw = top.data.indices ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  // Elasticsearch sends numbers: then its own object is the listing, checked but not copied.
  let copy: HealthReply['indices'] | undefined;
  const entries = raw as Record<string, { number_of_shards?: unknown; number_of_replicas?: unknown } | null>;
  for (const name of Object.keys(entries)) {
    const e = entries[name];
    const [pri, rep] = [e?.number_of_shards, e?.number_of_replicas];
    if (copy === undefined && typeof pri === 'number' && typeof rep === 'number' && isFinite(pri) && isFinite(rep))
      continue;
    copy ??= copyUntil(entries, name);
    const [p, r] = [Number(pri), Number(rep)];
    if (!Number.isFinite(p) || !Number.isFinite(r)) return null;
    copy[name] = { number_of_shards: p, number_of_replicas: r };
  }
  const indices = copy ?? (raw as HealthReply['indices']);
  return { cluster_name: top.data.cluster_name, status: top.data.status, indices };
}

/** The entries before `stop`, already checked to be numbers, as a listing of their own. */
function copyUntil(entries: Record<string, unknown>, stop: string): HealthReply['indices'] {
  const out: HealthReply['indices'] = {};
  for (const name of Object.keys(entries)) {
    if (name === stop) break;
    out[name] = entries[name] as HealthReply['indices'][string];
  }
  return out;
}

export interface IndexStatsReply {
  indices: Record<
    string,
    {
      /** 8.x reports open/close; 7.x does not (then every listed index is taken as open). */
      status?: string;
      primaries?: { docs?: { count?: number } };
      total?: { store?: { size_in_bytes?: number } };
    }
  >;
}
export function readIndexStats(value: unknown): IndexStatsReply | null {
  if (value === null || typeof value !== 'object') return null;
  const raw = (value as { indices?: unknown }).indices ?? {};
  if (raw === null || typeof raw !== 'object') return null;
  return { indices: raw as IndexStatsReply['indices'] };
}

/** `index.creation_date` per index (ms since the epoch) from the settings reply; entries without one are skipped. */
export function readCreationDates(value: unknown): Map<string, number> {
  const dates = new Map<string, number>();
  if (value === null || typeof value !== 'object') return dates;
  const entries = value as Record<string, { settings?: { index?: { creation_date?: unknown } } } | null>;
  for (const name of Object.keys(entries)) {
    const raw = entries[name]?.settings?.index?.creation_date;
    const ms = Number(raw);
    if ((typeof raw === 'string' || typeof raw === 'number') && Number.isFinite(ms) && ms > 0) dates.set(name, ms);
  }
  return dates;
}

export const stateSchema = z.object({ cluster_uuid: z.string() });
export const nodesInfoSchema = z.object({ nodes: z.record(z.string(), z.object({ version: z.string() })) });
export const nodesStatsSchema = z.object({
  nodes: z.record(
    z.string(),
    z.object({
      name: z.string(),
      roles: z.array(z.string()).default([]),
      fs: z
        .object({ total: z.object({ total_in_bytes: num.optional(), available_in_bytes: num.optional() }).default({}) })
        .default({ total: {} }),
      /** The node's clock when it answered (ms); with the JVM's uptime, when the node started. */
      timestamp: num.optional(),
      jvm: z.object({
        mem: z.object({ heap_used_in_bytes: num, heap_max_in_bytes: num }),
        uptime_in_millis: num.optional(),
      }),
    }),
  ),
});
export const settingsSchema = z.object({
  persistent: z.record(z.string(), z.unknown()).optional(),
  transient: z.record(z.string(), z.unknown()).optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
});
/** One index as the snapshot sees it: shards from health, the rest from the stats listing. */
export interface IndexRow {
  index: string;
  /** `open` or `close`. */
  status: string;
  pri: number;
  rep: number;
  docs: number;
  storeBytes: number;
}

/**
 * Join health's per-index shard counts with the stats listing. Health is authoritative for which
 * indices exist (the routing table); an index created between the two requests shows with 0 docs.
 */
export function joinIndexRows(health: RawCapacity['health'], stats: RawCapacity['indexStats']): IndexRow[] {
  // Keys then lookups: Object.entries on a listing of thousands costs several times as much.
  const names = Object.keys(health.indices);
  const rows = new Array<IndexRow>(names.length);
  for (let i = 0; i < names.length; i++) {
    const index = names[i]!;
    const h = health.indices[index]!;
    const st = stats.indices[index];
    rows[i] = {
      index,
      status: st?.status ?? 'open',
      pri: h.number_of_shards,
      rep: h.number_of_replicas,
      docs: Number(st?.primaries?.docs?.count ?? 0) || 0,
      storeBytes: Number(st?.total?.store?.size_in_bytes ?? 0) || 0,
    };
  }
  return rows;
}

/** Why the per-index sizes were read on this snapshot, or `cached` when they were not. */
export type SizesReason = 'first' | 'expired' | 'indices-changed' | 'cached';

/** What the requests returned, parsed; the index statistics may come from an earlier snapshot. */
export interface RawCapacity {
  health: HealthReply;
  state: z.infer<typeof stateSchema>;
  nodesInfo: z.infer<typeof nodesInfoSchema>;
  nodesStats: z.infer<typeof nodesStatsSchema>;
  settings: z.infer<typeof settingsSchema>;
  indexStats: IndexStatsReply;
  /** When indexStats was read (ms since the epoch) and why; absent = read with this snapshot. */
  sizes?: { readAtMs: number; reason: SizesReason };
  /**
   * Index name → `index.creation_date` (ms) of the tenant indices, when they were read for the
   * growth (only by a service that keeps a history, only with the index listing).
   */
  creationDates?: ReadonlyMap<string, number>;
}
