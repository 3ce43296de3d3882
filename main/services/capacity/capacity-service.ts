/**
 * The service: one client per instance, the requests sent together under a deadline (three on a
 * steady refresh: health, nodes stats, settings; the cluster facts, the settings defaults and the
 * per-index sizes beside them when due; with a history, one more then for the creation dates of
 * tenant indices not seen before), those caches, and failures classified into console errors.
 */
import { createHash } from 'node:crypto';
import type { CapacityOutcome, CapacitySnapshot } from '../../../shared/capacity/capacity';
import { clusterGrowthOf, type ClusterGrowth } from '../../../shared/capacity/cluster-growth';
import { toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import {
  classifyEsError,
  createEsReader,
  createMeter,
  diagnoseEsError,
  type EsReader,
  type EsReply,
  type EsRequest,
  type InstanceSecrets,
  type RequestMeter,
} from '../es-client';
import type { InstanceService } from '../instances';
import { assertProductAndVersion, nodeStarts, parse, read, sameNames, sameStarts } from './checks';
import { IndexWorkMemo } from './index-work';
import {
  joinIndexRows,
  nodesInfoSchema,
  nodesStatsSchema,
  readHealth,
  readCreationDates,
  readIndexStats,
  settingsSchema,
  stateSchema,
  type HealthReply,
  type IndexStatsReply,
  type RawCapacity,
  type SizesReason,
} from './replies';
import { creationDatesRequest, DEFAULTS_TTL_MS, SIZES_TTL_MS, SNAPSHOT_REQUESTS } from './requests';
import { defaultsAfterChange, explicitKeys, flattenSettings } from './settings';
import { buildSnapshot } from './snapshot';

/** Builds the reader of an instance's Elasticsearch; the default is createEsReader. */
export type EsReaderFactory = (instance: Instance, secrets: InstanceSecrets) => Promise<EsReader>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * Where every successful snapshot's key figures go (main/services/history): UI refreshes, `tenantctl
 * capacity` and a watch schedule all pass through `snapshot`, so all feed it. `cluster` is the growth
 * read off the partition names, given when the index listing was read with this snapshot.
 */
export interface SnapshotRecorder {
  record(snapshot: CapacitySnapshot, cluster?: ClusterGrowth): Promise<unknown>;
}

export interface CapacityServiceDeps {
  /**
   * `secretsEpoch` (optional): changes when an instance secret is written, so a kept reader's secrets
   * are read from the keychain again only then (and at least every SECRETS_RECHECK_MS).
   */
  instances: Pick<InstanceService, 'get' | 'list' | 'resolveSecrets'> & Partial<Pick<InstanceService, 'secretsEpoch'>>;
  /** Keeps the history; without it nothing is recorded. */
  history?: SnapshotRecorder;
  readerFactory?: EsReaderFactory;
  clock?: Clock;
  /** How long the defaults section of the cluster settings is reused (default DEFAULTS_TTL_MS). */
  defaultsTtlMs?: number;
  /** How long per-index sizes are reused while no index comes or goes (default SIZES_TTL_MS). */
  sizesTtlMs?: number;
}

export interface SnapshotAllOptions {
  /** Called with each outcome as soon as it is known (fast instances do not wait for slow ones). */
  onResult?: (outcome: CapacityOutcome) => void;
}

/** Extra time past the per-request timeout before a whole snapshot is abandoned (client setup, parsing). */
const DEADLINE_GRACE_MS = 500;

/** Capacity snapshots of instances; keeps one reader per instance so refreshes reuse connections. */
export class CapacityService {
  readonly #instances: CapacityServiceDeps['instances'];
  readonly #readerFactory: EsReaderFactory;
  readonly #clock: Clock;
  /** instance id → reader, keyed by a digest of its connection settings and secrets (memory only). */
  readonly #readers = new Map<
    string,
    { key: string; reader: Promise<EsReader>; settings: string; checkedAt: number }
  >();
  /**
   * instance id → the last health listing, as received and as read: while its bytes do not change,
   * it is neither decompressed nor parsed again, and the per-index work on it is reused (#indexWork).
   */
  readonly #health = new Map<string, { reply: EsReply; health: HealthReply }>();
  /** instance id → the grouping and layout of its index set (index-work.ts). */
  readonly #indexWork = new Map<string, IndexWorkMemo>();
  /** instance id → the defaults section of its cluster settings (see SNAPSHOT_REQUESTS.settingsWithDefaults). */
  readonly #defaults = new Map<string, { defaults: Record<string, string>; explicit: string; fetchedAt: number }>();
  readonly #defaultsTtlMs: number;
  /**
   * instance id → the cluster facts (its UUID and each node's version: SNAPSHOT_REQUESTS.state and
   * .nodesInfo) and when each node had started then. Read again after the defaults' TTL, or at once
   * when a node is new or has restarted (a rolling upgrade changes versions one restart at a time).
   */
  readonly #facts = new Map<string, ClusterFacts>();
  /**
   * instance id → the last per-index statistics, when they were read, and health's listing then
   * (health, not the statistics, says which indices exist: _stats silently leaves out indices it may
   * not read).
   */
  readonly #sizes = new Map<string, { stats: IndexStatsReply; readAtMs: number; health: HealthReply }>();
  readonly #sizesTtlMs: number;
  /**
   * instance id → index name → `index.creation_date` (immutable, so read once per index): kept only
   * by a service with a history, which is what measures growth from them.
   */
  readonly #created = new Map<string, Map<string, number>>();
  /** A snapshot already running for an instance is shared, not repeated. */
  readonly #inflight = new Map<string, Promise<CapacityOutcome>>();
  readonly #history: SnapshotRecorder | undefined;
  /** Recordings not yet on disk (close and flush wait for them). */
  readonly #recording = new Set<Promise<unknown>>();

  constructor(deps: CapacityServiceDeps) {
    this.#instances = deps.instances;
    this.#history = deps.history;
    // The reader counts replies without a product header (Elasticsearch 7.10-7.13 send none): the
    // snapshot checks the product itself once it knows the version (assertProductAndVersion).
    this.#readerFactory = deps.readerFactory ?? ((instance, secrets) => createEsReader(instance, secrets));
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#defaultsTtlMs = deps.defaultsTtlMs ?? DEFAULTS_TTL_MS;
    this.#sizesTtlMs = deps.sizesTtlMs ?? SIZES_TTL_MS;
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

  /** Wait until every snapshot taken so far is in the history. */
  async flush(): Promise<void> {
    while (this.#recording.size > 0) await Promise.all([...this.#recording]);
  }

  /** Close every cached reader (after the history has what was taken). */
  async close(): Promise<void> {
    await this.flush();
    const readers = [...this.#readers.values()];
    this.#readers.clear();
    await Promise.all(readers.map((c) => c.reader.then((r) => r.close()).catch(() => undefined)));
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
      const snapshot = buildSnapshot(
        raw,
        inst,
        {
          takenAt: new Date(started).toISOString(),
          cost: {
            requests: meter.requests,
            bytesReceived: meter.bytesReceived,
            durationMs: this.#clock.now() - started,
          },
        },
        this.#work(inst.id),
      );
      this.#record(snapshot, raw);
      return { ok: true, snapshot };
    } catch (err) {
      abort.abort();
      if (instance === undefined) return { ok: false, instanceId, error: toConsoleError(err).toJSON() };
      // Drop the reader: the next attempt re-reads the CA file and the keychain.
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

  /**
   * Hand the snapshot to the history without delaying the answer. The growth from the partition
   * names is measured only when the index listing was read with this snapshot (the sizes cadence):
   * partitions come and go only with indices, which makes the listing be read again.
   */
  #record(snapshot: CapacitySnapshot, raw: RawCapacity): void {
    const history = this.#history;
    if (history === undefined) return;
    const fresh = raw.sizes === undefined || raw.sizes.reason !== 'cached';
    // After the caller has its answer (setImmediate, not a microtask): the bench's steady refresh
    // pays nothing for the history.
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const dates = raw.creationDates;
        let cluster: ClusterGrowth | undefined;
        if (fresh) {
          const rows = joinIndexRows(raw.health, raw.indexStats);
          cluster = clusterGrowthOf(
            dates === undefined ? rows : rows.map((r) => ({ ...r, createdMs: dates.get(r.index) })),
            Date.parse(snapshot.takenAt),
          );
        }
        return history.record(snapshot, cluster);
      })
      .catch(() => undefined)
      .finally(() => this.#recording.delete(p));
    this.#recording.add(p);
  }

  async #fetch(instance: Instance, meter: RequestMeter, signal: AbortSignal): Promise<RawCapacity> {
    const reader = await this.#reader(instance);
    const opts = { meter, signal };
    const get = (r: EsRequest) => reader.request(r, opts).then((reply) => reply.body);
    const q = SNAPSHOT_REQUESTS;
    const lastHealth = this.#health.get(instance.id);
    const cached = this.#defaults.get(instance.id);
    let fresh = cached !== undefined && this.#clock.now() - cached.fetchedAt < this.#defaultsTtlMs ? cached : undefined;
    const knownFacts = this.#facts.get(instance.id);
    const facts =
      knownFacts !== undefined && this.#clock.now() - knownFacts.fetchedAt < this.#defaultsTtlMs
        ? knownFacts
        : undefined;
    const sizes = this.#sizes.get(instance.id);
    const sizesDue: SizesReason | null =
      sizes === undefined ? 'first' : this.#clock.now() - sizes.readAtMs >= this.#sizesTtlMs ? 'expired' : null;
    // Creation dates (growth only): every tenant index's at once when none are known yet, sent with
    // the others; later only new names, after health has listed them (below).
    const known = this.#history === undefined ? undefined : this.#created.get(instance.id);
    const allDates =
      this.#history !== undefined && sizesDue !== null && known === undefined
        ? get(creationDatesRequest(null)).then(readCreationDates, () => null)
        : null;
    // Three requests sent together on a steady refresh; the cluster facts and the per-index sizes
    // beside them when due; the settings one carries the defaults only when they are not cached.
    // Another read on every refresh belongs in this list, so that it costs no extra round trip.
    const settled = await Promise.allSettled([
      // The listing, unparsed when its bytes are the last ones again (the usual refresh); else read,
      // names and all, as soon as it comes, while slower replies are still on their way.
      reader
        .request(q.health, lastHealth === undefined ? opts : { ...opts, previous: lastHealth.reply })
        .then((reply) => this.#readHealth(instance.id, reply, lastHealth)),
      facts ? facts.state : get(q.state),
      facts ? facts.nodesInfo : get(q.nodesInfo),
      get(q.nodesStats),
      get(fresh ? q.settings : q.settingsWithDefaults),
      sizesDue !== null ? get(q.indices) : Promise.resolve(null),
    ]);
    // An unsupported version explains the other failures better than they do themselves.
    const info = settled[2];
    assertProductAndVersion(info.status === 'fulfilled' ? info.value : undefined, meter, instance);
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [healthReply, firstState, firstNodesInfo, nodesStatsReply, firstSettings, indexStats] = settled.map(
      (r) => (r as PromiseFulfilledResult<unknown>).value,
    );
    let [state, nodesInfo, settingsReply] = [firstState, firstNodesInfo, firstSettings];
    const nodesStats = parse(nodesStatsSchema, nodesStatsReply, instance, 'node stats');
    const started = nodeStarts(nodesStats);
    if (facts !== undefined && !sameStarts(facts.started, started)) {
      // A node joined or restarted since the facts were read: its version (a rolling upgrade) and its
      // elasticsearch.yml defaults may have changed. Read both again now.
      [state, nodesInfo, settingsReply] = await Promise.all([
        get(q.state),
        get(q.nodesInfo),
        get(q.settingsWithDefaults),
      ]);
      assertProductAndVersion(nodesInfo, meter, instance);
      fresh = undefined;
    }
    if (started === null) this.#facts.delete(instance.id);
    else if (facts === undefined || state !== facts.state)
      this.#facts.set(instance.id, { state, nodesInfo, started, fetchedAt: this.#clock.now() });
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
    const health = read(healthReply as HealthReply | null, instance, 'cluster health');
    let reason: SizesReason = sizesDue ?? 'cached';
    let statsReply = indexStats;
    // An index created or deleted since the sizes were read: read them again now (one more request).
    // (The very listing the sizes were read with, kept unparsed since, lists the same indices.)
    if (sizesDue === null && sizes !== undefined && sizes.health !== health && !sameNames(sizes.health, health)) {
      reason = 'indices-changed';
      [statsReply] = await Promise.all([get(q.indices), this.#readNewDates(instance.id, health, get)]);
    } else if (reason !== 'cached') {
      await this.#readNewDates(instance.id, health, get, allDates);
    }
    let stats: IndexStatsReply;
    let readAtMs: number;
    if (reason === 'cached' && sizes !== undefined) {
      ({ stats, readAtMs } = sizes);
    } else {
      stats = read(readIndexStats(statsReply ?? {}), instance, 'index statistics');
      readAtMs = this.#clock.now();
      this.#sizes.set(instance.id, { stats, readAtMs, health });
    }
    return {
      health,
      state: parse(stateSchema, state, instance, 'cluster state'),
      nodesInfo: parse(nodesInfoSchema, nodesInfo, instance, 'nodes info'),
      nodesStats,
      settings,
      indexStats: stats,
      sizes: { readAtMs, reason },
      // Not copied: a later snapshot replaces the cached map instead of changing it (#readNewDates).
      ...(reason !== 'cached' && this.#created.has(instance.id)
        ? { creationDates: this.#created.get(instance.id)! }
        : {}),
    };
  }

  /**
   * Bring the creation dates up to the indices health lists (only with a history): the first
   * time every tenant index's (`all`, already under way), then only names not seen before; names
   * health no longer lists are forgotten. A failed read leaves the growth to the names alone.
   */
  async #readNewDates(
    instanceId: string,
    health: HealthReply,
    get: (r: EsRequest) => Promise<unknown>,
    all: Promise<Map<string, number> | null> | null = null,
  ): Promise<void> {
    if (this.#history === undefined) return;
    const parse = this.#work(instanceId).parse;
    const known = this.#created.get(instanceId);
    let read: Map<string, number> | null;
    if (all !== null || known === undefined) {
      read = await (all ?? get(creationDatesRequest(null)).then(readCreationDates, () => null));
    } else {
      const missing = Object.keys(health.indices).filter((n) => !known.has(n) && parse(n) !== null);
      if (missing.length === 0) read = new Map();
      else read = await get(creationDatesRequest(missing)).then(readCreationDates, () => null);
    }
    if (read === null) return;
    // A new map, never the one a snapshot handed to the history (measured after the answer).
    const dates = known === undefined ? read : new Map(known);
    if (dates !== read) for (const [name, ms] of read) dates.set(name, ms);
    for (const name of dates.keys()) if (health.indices[name] === undefined || parse(name) === null) dates.delete(name);
    this.#created.set(instanceId, dates);
  }

  /**
   * Health's listing as read: the last one while the reply's bytes are the same (no decompression,
   * no parsing, and the per-index work on it is reused), else read afresh, its names parsed for the
   * grouping, and kept for next time. Null when it is not Elasticsearch's (the caller says so).
   */
  #readHealth(instanceId: string, reply: EsReply, last: { health: HealthReply } | undefined): HealthReply | null {
    if (reply.unchanged && last !== undefined) return last.health;
    const health = readHealth(reply.body);
    if (health === null) return null;
    const parse = this.#work(instanceId).parse;
    for (const name of Object.keys(health.indices)) parse(name);
    this.#health.set(instanceId, { reply, health });
    return health;
  }

  /** The instance's per-index work, kept while its index set stays the same (index-work.ts). */
  #work(instanceId: string): IndexWorkMemo {
    let work = this.#indexWork.get(instanceId);
    if (work === undefined) this.#indexWork.set(instanceId, (work = new IndexWorkMemo()));
    return work;
  }

  async #reader(instance: Instance): Promise<EsReader> {
    // The keychain is asked only when the connection settings or the secrets this process wrote
    // changed, or the reader is older than SECRETS_RECHECK_MS (a steady refresh costs no keychain
    // round trip); any failure evicts the reader, so the next attempt reads the keychain again.
    const now = this.#clock.now();
    const settings = JSON.stringify({ es: instance.es, epoch: this.#instances.secretsEpoch?.() ?? null });
    const cached = this.#readers.get(instance.id);
    if (cached && cached.settings === settings && now - cached.checkedAt < SECRETS_RECHECK_MS) return cached.reader;
    const secrets = await this.#instances.resolveSecrets(instance.id);
    const key = createHash('sha256')
      .update(JSON.stringify({ es: instance.es, secrets }))
      .digest('hex');
    if (cached && cached.key === key) {
      cached.settings = settings;
      cached.checkedAt = now;
      return cached.reader;
    }
    if (cached) void cached.reader.then((r) => r.close()).catch(() => undefined);
    const reader = this.#readerFactory(instance, secrets);
    this.#readers.set(instance.id, { key, reader, settings, checkedAt: now });
    reader.catch(() => {
      if (this.#readers.get(instance.id)?.reader === reader) this.#readers.delete(instance.id);
    });
    return reader;
  }

  #evict(instanceId: string): void {
    this.#defaults.delete(instanceId);
    this.#facts.delete(instanceId);
    this.#sizes.delete(instanceId);
    this.#created.delete(instanceId);
    this.#health.delete(instanceId);
    this.#indexWork.delete(instanceId);
    const cached = this.#readers.get(instanceId);
    if (!cached) return;
    this.#readers.delete(instanceId);
    void cached.reader.then((r) => r.close()).catch(() => undefined);
  }
}

class DeadlineExceeded extends Error {}

/** A kept reader's secrets are read from the keychain again after this long (another process may change them). */
export const SECRETS_RECHECK_MS = 5 * 60_000;

interface ClusterFacts {
  /** The raw replies, as a snapshot reads them (parsed with the others). */
  state: unknown;
  nodesInfo: unknown;
  /** node id → when it started (its clock minus its JVM uptime, ms). */
  started: ReadonlyMap<string, number>;
  fetchedAt: number;
}
