/**
 * Capacity snapshots: how full each instance's Elasticsearch is and how many more tenants fit.
 *
 * One snapshot is SIX requests sent together, whatever the number of indices or tenants, each trimmed
 * with filter_path or `h=` columns (docs/capacity.md lists them). Grouping indices by tenant and the
 * room/growth model are pure code (shared/index-naming.ts, shared/capacity-model.ts).
 */
import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { z } from 'zod';
import type { CapacityOutcome, CapacitySnapshot, NodeCapacity, TenantFootprint } from '../../shared/capacity';
import {
  computeRoom,
  countsTowardShardLimit,
  effectiveWatermarkUsedBytes,
  monthsUntilShardLimit,
} from '../../shared/capacity-model';
import { ConsoleError, toConsoleError } from '../../shared/errors';
import { groupByTenant } from '../../shared/index-naming';
import type { Instance, TracardiVersion } from '../../shared/instance';
import {
  assertElasticsearchProduct,
  assertSupportedEsVersion,
  classifyEsError,
  createEsClient,
  createMeter,
  diagnoseEsError,
  meteredRequest,
  type InstanceSecrets,
  type RequestMeter,
} from './es-client';
import type { InstanceService } from './instances';

/** Builds a client for an instance; the default is createEsClient. */
export type EsClientFactory = (instance: Instance, secrets: InstanceSecrets) => Promise<Client>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface CapacityServiceDeps {
  instances: Pick<InstanceService, 'get' | 'list' | 'resolveSecrets'>;
  clientFactory?: EsClientFactory;
  clock?: Clock;
  /** How long the defaults section of the cluster settings is reused (default DEFAULTS_TTL_MS). */
  defaultsTtlMs?: number;
}

export interface SnapshotAllOptions {
  /** Called with each outcome as soon as it is known (fast instances do not wait for slow ones). */
  onResult?: (outcome: CapacityOutcome) => void;
}

/** Extra time past the per-request timeout before a whole snapshot is abandoned (client setup, parsing). */
const DEADLINE_GRACE_MS = 500;

// ------------------------------------------------------------------------------------------------
// The requests. Paths are written out (not the typed API) so docs/capacity.md can quote them as is.
// ------------------------------------------------------------------------------------------------

const SETTINGS_FILTER = [
  '*.cluster.max_shards_per_node',
  '*.cluster.routing.allocation.disk.threshold_enabled',
  '*.cluster.routing.allocation.disk.watermark',
].join(',');

export const SNAPSHOT_REQUESTS = {
  // Status, and per index its primaries and replicas, computed from the routing table by the master:
  // every index, open or closed, hidden or system, assigned or not.
  health: {
    path: '/_cluster/health',
    querystring: {
      level: 'indices',
      filter_path: 'cluster_name,status,indices.*.number_of_shards,indices.*.number_of_replicas',
    },
  },
  // cluster_uuid tells two instances pointing at one cluster apart; the `version` metric is the
  // cheapest state section that carries it (GET / would too, but some distributions lack it).
  state: { path: '/_cluster/state/version', querystring: { filter_path: 'cluster_name,cluster_uuid' } },
  // Every node's version (the lowest decides what the cluster supports); nodes info has it on 7.x too.
  nodesInfo: { path: '/_nodes/_all/_none', querystring: { filter_path: 'nodes.*.version' } },
  nodesStats: {
    path: '/_nodes/stats/fs,jvm',
    querystring: {
      filter_path: [
        'nodes.*.name',
        'nodes.*.roles',
        'nodes.*.fs.total.total_in_bytes',
        'nodes.*.fs.total.available_in_bytes',
        'nodes.*.jvm.mem.heap_used_in_bytes',
        'nodes.*.jvm.mem.heap_max_in_bytes',
      ].join(','),
    },
  },
  // With include_defaults the node renders every default (some 540 settings on 8.19) before filtering: the
  // costliest request of the set. The defaults section changes only with elasticsearch.yml (a node
  // restart), so it is fetched once per client and refreshed after DEFAULTS_TTL_MS; the explicit
  // settings are read every time (see CapacityService).
  settingsWithDefaults: {
    path: '/_cluster/settings',
    querystring: { include_defaults: 'true', filter_path: SETTINGS_FILTER },
  },
  settings: { path: '/_cluster/settings', querystring: { filter_path: SETTINGS_FILTER } },
  // The one listing of indices: docs and store size per index, and open/closed. Cheaper than
  // _cat/indices, which collects every statistic of every shard before picking its columns.
  indices: {
    path: '/_stats/docs,store',
    querystring: {
      level: 'indices',
      expand_wildcards: 'all',
      forbid_closed_indices: 'false',
      filter_path: 'indices.*.status,indices.*.primaries.docs.count,indices.*.total.store.size_in_bytes',
    },
  },
} as const;

/** How long the defaults section of the cluster settings is reused. */
export const DEFAULTS_TTL_MS = 10 * 60_000;

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
function readHealth(value: unknown): HealthReply | null {
  const top = healthSchema.safeParse(value);
  if (!top.success) return null;
  const indices: HealthReply['indices'] = {};
  const raw = top.data.indices ?? {};
  if (typeof raw !== 'object' || raw === null) return null;
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    const e = entry as { number_of_shards?: unknown; number_of_replicas?: unknown } | null;
    const pri = Number(e?.number_of_shards);
    const rep = Number(e?.number_of_replicas);
    if (!Number.isFinite(pri) || !Number.isFinite(rep)) return null;
    indices[name] = { number_of_shards: pri, number_of_replicas: rep };
  }
  return { cluster_name: top.data.cluster_name, status: top.data.status, indices };
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
function readIndexStats(value: unknown): IndexStatsReply | null {
  if (value === null || typeof value !== 'object') return null;
  const raw = (value as { indices?: unknown }).indices ?? {};
  if (raw === null || typeof raw !== 'object') return null;
  return { indices: raw as IndexStatsReply['indices'] };
}

const stateSchema = z.object({ cluster_uuid: z.string() });
const nodesInfoSchema = z.object({ nodes: z.record(z.string(), z.object({ version: z.string() })) });
const nodesStatsSchema = z.object({
  nodes: z.record(
    z.string(),
    z.object({
      name: z.string(),
      roles: z.array(z.string()).default([]),
      fs: z
        .object({ total: z.object({ total_in_bytes: num.optional(), available_in_bytes: num.optional() }).default({}) })
        .default({ total: {} }),
      jvm: z.object({ mem: z.object({ heap_used_in_bytes: num, heap_max_in_bytes: num }) }),
    }),
  ),
});
const settingsSchema = z.object({
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
  return Object.entries(health.indices).map(([index, h]) => {
    const st = stats.indices[index];
    return {
      index,
      status: st?.status ?? 'open',
      pri: h.number_of_shards,
      rep: h.number_of_replicas,
      docs: Number(st?.primaries?.docs?.count ?? 0) || 0,
      storeBytes: Number(st?.total?.store?.size_in_bytes ?? 0) || 0,
    };
  });
}

/** What the six requests returned, parsed. */
export interface RawCapacity {
  health: HealthReply;
  state: z.infer<typeof stateSchema>;
  nodesInfo: z.infer<typeof nodesInfoSchema>;
  nodesStats: z.infer<typeof nodesStatsSchema>;
  settings: z.infer<typeof settingsSchema>;
  indexStats: IndexStatsReply;
}

// ------------------------------------------------------------------------------------------------
// Pure parts (unit-tested): settings precedence, grouping by tenant, open shards.
// ------------------------------------------------------------------------------------------------

/** Nested settings JSON → dotted keys (`{watermark: {"low.max_headroom": x}}` → `watermark.low.max_headroom`). */
export function flattenSettings(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenSettings(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out[prefix] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

export interface EffectiveSettings {
  maxShardsPerNode: number;
  thresholdEnabled: boolean;
  low: string;
  high: string;
  floodStage: string;
  lowMaxHeadroom?: string;
  highMaxHeadroom?: string;
  floodStageMaxHeadroom?: string;
}

const WM = 'cluster.routing.allocation.disk.watermark';

/**
 * The settings Elasticsearch applies. Precedence is Elasticsearch's own: transient over persistent
 * over the defaults section (which include_defaults fills with elasticsearch.yml values, then the
 * built-in defaults).
 */
export function effectiveSettings(raw: RawCapacity['settings']): EffectiveSettings {
  const layers = [flattenSettings(raw.transient), flattenSettings(raw.persistent), flattenSettings(raw.defaults)];
  const get = (key: string): string | undefined => {
    for (const layer of layers) if (layer[key] !== undefined) return layer[key];
    return undefined;
  };
  const out: EffectiveSettings = {
    maxShardsPerNode: Number(get('cluster.max_shards_per_node') ?? '1000'),
    thresholdEnabled: (get('cluster.routing.allocation.disk.threshold_enabled') ?? 'true') !== 'false',
    low: get(`${WM}.low`) ?? '85%',
    high: get(`${WM}.high`) ?? '90%',
    floodStage: get(`${WM}.flood_stage`) ?? '95%',
  };
  const lowH = get(`${WM}.low.max_headroom`);
  const highH = get(`${WM}.high.max_headroom`);
  const floodH = get(`${WM}.flood_stage.max_headroom`);
  if (lowH !== undefined) out.lowMaxHeadroom = lowH;
  if (highH !== undefined) out.highMaxHeadroom = highH;
  if (floodH !== undefined) out.floodStageMaxHeadroom = floodH;
  return out;
}

/** The settings explicitly set (persistent or transient), as one comparable string. */
export function explicitKeys(raw: RawCapacity['settings']): string {
  return [...new Set([...Object.keys(flattenSettings(raw.transient)), ...Object.keys(flattenSettings(raw.persistent))])]
    .sort()
    .join(',');
}

/**
 * Cached defaults adjusted for watermarks set or removed since they were read. Elasticsearch's
 * default for a watermark's max_headroom depends on whether the watermark itself is set: -1 when it
 * is, the built-in cap (8.5+: 200GB, 150GB, 100GB) when not. A watermark set since: its headroom is
 * -1. A watermark removed since: the cap is unknown until the defaults are read again, so none is
 * assumed (the stricter reading: a ratio watermark without a cap demands more free space).
 */
export function defaultsAfterChange(
  defaults: Record<string, string>,
  raw: RawCapacity['settings'],
): Record<string, string> {
  const explicit = new Set([
    ...Object.keys(flattenSettings(raw.transient)),
    ...Object.keys(flattenSettings(raw.persistent)),
  ]);
  const out = { ...defaults };
  for (const w of ['low', 'high', 'flood_stage']) {
    const headroom = `${WM}.${w}.max_headroom`;
    if (explicit.has(headroom)) continue;
    if (explicit.has(`${WM}.${w}`)) out[headroom] = '-1';
    else if (out[headroom] === '-1') delete out[headroom];
  }
  return out;
}

export interface IndexGrouping {
  tenants: TenantFootprint[];
  otherIndices: number;
  /**
   * Shards counted toward cluster.max_shards_per_node: Σ over OPEN indices of primaries × (1 + replicas),
   * assigned or not. That is Elasticsearch's own count (ShardLimitValidator uses the metadata's total
   * open index shards); health's active_shards would miss unassigned replicas, which still count.
   * Closed indices do not count. Frozen (partially mounted) indices belong to a separate limit; they
   * are rare on Tracardi clusters and are counted here, which errs on the safe side.
   */
  openShards: number;
}

/**
 * Group the index listing by tenant (both 0.8.x and 0.9.x names, every context). A tenant with
 * indices of the instance's version is reported under that version (its profile drives the footprint);
 * a tenant with only indices of the other version keeps that version, so an unmigrated tenant shows.
 * Every index of a tenant counts toward its indices, shards, docs and bytes, whatever its version.
 */
export function groupIndices(rows: readonly IndexRow[], instanceVersion: TracardiVersion): IndexGrouping {
  let openShards = 0;
  for (const r of rows) if (r.status !== 'close') openShards += r.pri * (1 + r.rep);
  const groups = groupByTenant(rows, (r) => r.index);
  const tenants: TenantFootprint[] = [];
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
    tenants.push(f);
  }
  tenants.sort((a, b) => a.tenant.localeCompare(b.tenant));
  return { tenants, otherIndices: groups.other.length, openShards };
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

/** Turn the parsed responses into a snapshot (pure). */
export function buildSnapshot(
  raw: RawCapacity,
  instance: Instance,
  meta: { takenAt: string; cost: CapacitySnapshot['cost'] },
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

  const grouping = groupIndices(joinIndexRows(raw.health, raw.indexStats), instance.tracardiVersion);
  const ownVersion = grouping.tenants.filter((t) => t.version === instance.tracardiVersion);
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
    // The instance's ELASTIC_INDEX_SHARDS / _CONF_INDEX_SHARDS / _INDEX_REPLICAS fix a new tenant's cost.
    indexShards: instance.footprint.indexShards,
    confShards: instance.footprint.confShards,
    replicas: instance.footprint.replicas,
  };
  if (instance.bytesPerTenantEstimate !== undefined) roomInput.bytesPerTenantEstimate = instance.bytesPerTenantEstimate;
  const room = computeRoom(roomInput);

  const watermarks: CapacitySnapshot['watermarks'] = {
    low: settings.low,
    high: settings.high,
    floodStage: settings.floodStage,
    thresholdEnabled: settings.thresholdEnabled,
  };
  if (settings.lowMaxHeadroom !== undefined) watermarks.lowMaxHeadroom = settings.lowMaxHeadroom;
  if (settings.highMaxHeadroom !== undefined) watermarks.highMaxHeadroom = settings.highMaxHeadroom;
  if (settings.floodStageMaxHeadroom !== undefined) watermarks.floodStageMaxHeadroom = settings.floodStageMaxHeadroom;

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
    tenants: grouping.tenants,
    otherIndices: grouping.otherIndices,
    room,
    growth: {
      monthsUntilShardLimit: monthsUntilShardLimit({
        shardHeadroom: room.shardHeadroom,
        tenants: ownVersion.length,
        version: instance.tracardiVersion,
        dataNodes: dataNodes.length,
        indexShards: instance.footprint.indexShards,
        confShards: instance.footprint.confShards,
        replicas: instance.footprint.replicas,
      }),
    },
    cost: meta.cost,
  };
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

// ------------------------------------------------------------------------------------------------
// The service.
// ------------------------------------------------------------------------------------------------

/** Capacity snapshots of instances; keeps one client per instance so refreshes reuse connections. */
export class CapacityService {
  readonly #instances: CapacityServiceDeps['instances'];
  readonly #clientFactory: EsClientFactory;
  readonly #clock: Clock;
  /** instance id → client, keyed by a digest of its connection settings and secrets (memory only). */
  readonly #clients = new Map<string, { key: string; client: Promise<Client> }>();
  /** instance id → the defaults section of its cluster settings (see SNAPSHOT_REQUESTS.settingsWithDefaults). */
  readonly #defaults = new Map<string, { defaults: Record<string, string>; explicit: string; fetchedAt: number }>();
  readonly #defaultsTtlMs: number;
  /** A snapshot already running for an instance is shared, not repeated. */
  readonly #inflight = new Map<string, Promise<CapacityOutcome>>();

  constructor(deps: CapacityServiceDeps) {
    this.#instances = deps.instances;
    // Elasticsearch 7.10-7.13 send no product header: the snapshot checks the product itself (below).
    this.#clientFactory =
      deps.clientFactory ?? ((instance, secrets) => createEsClient(instance, secrets, { productCheck: 'pre-7.14' }));
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#defaultsTtlMs = deps.defaultsTtlMs ?? DEFAULTS_TTL_MS;
  }

  /** One instance's snapshot; never rejects: failures come back as `{ ok: false, error }`. */
  snapshot(instanceId: string): Promise<CapacityOutcome> {
    const running = this.#inflight.get(instanceId);
    if (running) return running;
    const p = this.#take(instanceId).finally(() => this.#inflight.delete(instanceId));
    this.#inflight.set(instanceId, p);
    return p;
  }

  /**
   * Every instance (or `ids`) at once. Each is bounded by its own timeout, so a dead or slow instance
   * delays nobody else; outcomes stream through onResult and come back in the order of `ids`.
   */
  async snapshotAll(ids?: readonly string[], options: SnapshotAllOptions = {}): Promise<CapacityOutcome[]> {
    const list = ids ?? (await this.#instances.list()).map((s) => s.instance.id);
    return Promise.all(
      list.map(async (id) => {
        const outcome = await this.snapshot(id);
        options.onResult?.(outcome);
        return outcome;
      }),
    );
  }

  /** Close every cached client. */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.client.then((cl) => cl.close()).catch(() => undefined)));
  }

  async #take(instanceId: string): Promise<CapacityOutcome> {
    const started = this.#clock.now();
    let instance: Instance | undefined;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      instance = (await this.#instances.get(instanceId)).instance;
      const inst = instance;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new DeadlineExceeded());
        }, inst.es.timeoutMs + DEADLINE_GRACE_MS);
      });
      const meter = createMeter();
      const raw = await Promise.race([this.#fetch(inst, meter, abort.signal), deadline]);
      const snapshot = buildSnapshot(raw, inst, {
        takenAt: new Date(started).toISOString(),
        cost: { requests: meter.requests, bytesReceived: meter.bytesReceived, durationMs: this.#clock.now() - started },
      });
      return { ok: true, snapshot };
    } catch (err) {
      abort.abort();
      if (instance === undefined) return { ok: false, instanceId, error: toConsoleError(err).toJSON() };
      // Drop the client: the next attempt re-reads the CA file and the keychain.
      this.#evict(instance.id);
      const error =
        err instanceof DeadlineExceeded ||
        (err instanceof Error && err.name === 'RequestAbortedError' && abort.signal.aborted)
          ? classifyEsError(err, instance, { deadlineExceeded: true })
          : await diagnoseEsError(err, instance);
      return { ok: false, instanceId, error: error.toJSON() };
    } finally {
      clearTimeout(timer);
    }
  }

  async #fetch(instance: Instance, meter: RequestMeter, signal: AbortSignal): Promise<RawCapacity> {
    const client = await this.#client(instance);
    // The listings compress about tenfold. Elasticsearch compresses when asked over plain HTTP; with
    // TLS it does not by default (http.compression), and then this header changes nothing.
    const opts = { ...meteredRequest(meter, signal), headers: { 'accept-encoding': 'gzip' } };
    const get = (r: { path: string; querystring: Record<string, string> }) =>
      client.transport.request({ method: 'GET', path: r.path, querystring: r.querystring }, opts);
    const q = SNAPSHOT_REQUESTS;
    const cached = this.#defaults.get(instance.id);
    const fresh =
      cached !== undefined && this.#clock.now() - cached.fetchedAt < this.#defaultsTtlMs ? cached : undefined;
    // Six requests, sent together; the settings one carries the defaults only when they are not cached.
    const settled = await Promise.allSettled([
      get(q.health),
      get(q.state),
      get(q.nodesInfo),
      get(q.nodesStats),
      get(fresh ? q.settings : q.settingsWithDefaults),
      get(q.indices),
    ]);
    // An unsupported version explains the other failures better than they do themselves.
    const info = settled[2];
    const nodes = info.status === 'fulfilled' ? nodesInfoSchema.safeParse(info.value) : undefined;
    if (nodes?.success) {
      const version = lowestVersion(Object.values(nodes.data.nodes).map((n) => n.version));
      // Not Elasticsearch explains everything else; then an unsupported version explains the rest.
      assertElasticsearchProduct(meter, version, instance);
      assertSupportedEsVersion(version, instance);
    } else if (meter.withoutProductHeader > 0) {
      assertElasticsearchProduct(meter, 'unknown', instance);
    }
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [health, state, nodesInfo, nodesStats, settingsReply, indexStats] = settled.map(
      (r) => (r as PromiseFulfilledResult<unknown>).value,
    );
    const settings = parse(settingsSchema, settingsReply, instance, 'cluster settings');
    const explicit = explicitKeys(settings);
    if (settings.defaults !== undefined) {
      this.#defaults.set(instance.id, {
        defaults: flattenSettings(settings.defaults),
        explicit,
        fetchedAt: this.#clock.now(),
      });
    } else if (fresh) {
      settings.defaults = fresh.explicit === explicit ? fresh.defaults : defaultsAfterChange(fresh.defaults, settings);
      // Settings were set or removed since the defaults were read: read them again next time.
      if (fresh.explicit !== explicit) this.#defaults.delete(instance.id);
    }
    return {
      health: read(readHealth(health), instance, 'cluster health'),
      state: parse(stateSchema, state, instance, 'cluster state'),
      nodesInfo: parse(nodesInfoSchema, nodesInfo, instance, 'nodes info'),
      nodesStats: parse(nodesStatsSchema, nodesStats, instance, 'node stats'),
      settings,
      indexStats: read(readIndexStats(indexStats ?? {}), instance, 'index statistics'),
    };
  }

  async #client(instance: Instance): Promise<Client> {
    const secrets = await this.#instances.resolveSecrets(instance.id);
    const key = createHash('sha256')
      .update(JSON.stringify({ es: instance.es, secrets }))
      .digest('hex');
    const cached = this.#clients.get(instance.id);
    if (cached && cached.key === key) return cached.client;
    if (cached) void cached.client.then((c) => c.close()).catch(() => undefined);
    const client = this.#clientFactory(instance, secrets);
    this.#clients.set(instance.id, { key, client });
    client.catch(() => {
      if (this.#clients.get(instance.id)?.client === client) this.#clients.delete(instance.id);
    });
    return client;
  }

  #evict(instanceId: string): void {
    this.#defaults.delete(instanceId);
    const cached = this.#clients.get(instanceId);
    if (!cached) return;
    this.#clients.delete(instanceId);
    void cached.client.then((c) => c.close()).catch(() => undefined);
  }
}

class DeadlineExceeded extends Error {}

function read<T>(value: T | null, instance: Instance, what: string): T {
  if (value !== null) return value;
  throw new ConsoleError(
    'es-not-elasticsearch',
    `Instance "${instance.name}": the ${what} response is not what Elasticsearch sends; check the node URL.`,
    { instanceId: instance.id },
  );
}

function parse<T>(schema: z.ZodType<T>, value: unknown, instance: Instance, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ConsoleError(
    'es-not-elasticsearch',
    `Instance "${instance.name}": the ${what} response is not what Elasticsearch sends; check the node URL.`,
    { instanceId: instance.id },
  );
}
