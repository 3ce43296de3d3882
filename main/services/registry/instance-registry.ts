/**
 * One instance's registry as the tenant lifecycle uses it: sync and the cached record, fresh reads,
 * the name claim (create-only), conditional writes, the audit chain, and the health that decides
 * whether this console may change anything (reachable, and allowed to write).
 *
 * Nothing is queued: a change the registry cannot take is refused with the reason, and the
 * last-known record stays readable (from the cache) with the time it was last in sync.
 */
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { describeOperator, type OperatorStamp } from '../../../shared/team/operator';
import {
  REGISTRY_INDICES,
  registryScope,
  tenantDocId,
  type ChainedAuditEntry,
  type RegistryTenantDoc,
} from '../../../shared/team/registry';
import { appendEntry, verifyChain, type AuditDraft, type ChainHead, type ChainReport } from './audit-chain';
import {
  RegistryConflict,
  type AuditFilter,
  type RegistryBackend,
  type RegistryPrivileges,
  type Stored,
} from './backend';
import type { RegistryCache, RegistryHealth } from './cache';
import { fullReadDue, syncScope, type DocChange, type SyncResult } from './sync';

/** How long a privilege answer is trusted (a role changed on the cluster shows within this). */
const PRIVILEGES_TTL_MS = 5 * 60_000;

export interface InstanceRegistryDeps {
  instance: Instance;
  backend: RegistryBackend;
  cache: RegistryCache;
  operator: () => OperatorStamp;
  clock: () => Date;
  /** The cluster's data nodes, for the replicas of the indices made on first use (0 on one node). */
  dataNodes: () => Promise<number>;
}

export interface SyncOutcome {
  ok: boolean;
  health: RegistryHealth;
  /** Documents changed since the last sync, by anyone (empty on a first read). */
  changed: DocChange[];
  error?: string;
}

/** One instance's team registry. */
export class InstanceRegistry {
  readonly instanceId: string;
  readonly scope: string;
  private readonly deps: InstanceRegistryDeps;
  private privilegeAnswer: { at: number; value: RegistryPrivileges | null } | null = null;
  private ensured = false;
  private head: ChainHead | null = null;
  private inflight: Promise<SyncOutcome> | null = null;

  constructor(deps: InstanceRegistryDeps) {
    this.deps = deps;
    this.instanceId = deps.instance.id;
    this.scope = registryScope(deps.instance);
  }

  private now(): Date {
    return this.deps.clock();
  }

  /** The registry's health as last seen (from the cache: shared by every shell on the data folder). */
  health(): RegistryHealth {
    return this.deps.cache.state(this.scope).health;
  }

  /** Whether the next sync reads the whole scope (the first, or the hourly full read: many requests). */
  fullReadDue(): boolean {
    return fullReadDue(this.deps.cache, this.scope, this.now());
  }

  /** When the cache last matched the registry (null: never). */
  syncedAt(): string | null {
    return this.deps.cache.state(this.scope).syncedAt;
  }

  /**
   * Bring the cache up to the registry; records the health, never throws for an unreachable one.
   * Calls while a sync is under way share it (a screen's burst of calls sends one search).
   */
  sync(): Promise<SyncOutcome> {
    if (this.inflight) return this.inflight;
    const promise = this.runSync().finally(() => {
      if (this.inflight === promise) this.inflight = null;
    });
    this.inflight = promise;
    return promise;
  }

  private async runSync(): Promise<SyncOutcome> {
    let result: SyncResult;
    try {
      result = await syncScope(this.deps.backend, this.deps.cache, this.scope, this.now());
    } catch (err) {
      return { ok: false, health: this.markUnreachable(err), changed: [], error: oneLine(toConsoleError(err).message) };
    }
    let health: RegistryHealth;
    try {
      health = await this.writeHealth();
    } catch (err) {
      health = this.markUnreachable(err);
    }
    return { ok: true, health, changed: result.full ? [] : result.changed };
  }

  /** ok, or read-only with the privileges the user lacks. */
  private async writeHealth(): Promise<RegistryHealth> {
    const privileges = await this.privileges();
    const current = this.health();
    if (privileges && !(privileges.write && privileges.read)) {
      const can = privileges.read ? 'may read the team registry but not write it' : 'may not read the team registry';
      const reason = `the Elasticsearch user ${can} (missing ${privileges.missing.join(', ')} on ${REGISTRY_INDICES.tenants} and ${REGISTRY_INDICES.audit})`;
      const since = current.state === 'read-only' ? current.since : this.now().toISOString();
      return this.setHealth({ state: 'read-only', since, reason, missing: privileges.missing });
    }
    return this.setHealth({
      state: 'ok',
      since: current.state === 'ok' ? current.since : this.now().toISOString(),
    });
  }

  private async privileges(): Promise<RegistryPrivileges | null> {
    const t = this.now().getTime();
    if (this.privilegeAnswer && t - this.privilegeAnswer.at < PRIVILEGES_TTL_MS) return this.privilegeAnswer.value;
    const value = await this.deps.backend.privileges();
    this.privilegeAnswer = { at: t, value };
    return value;
  }

  private setHealth(health: RegistryHealth): RegistryHealth {
    const current = this.deps.cache.state(this.scope).health;
    if (JSON.stringify(current) !== JSON.stringify(health)) this.deps.cache.setState(this.scope, { health });
    return health;
  }

  private markUnreachable(err: unknown): RegistryHealth {
    const current = this.health();
    return this.setHealth({
      state: 'unreachable',
      since: current.state === 'unreachable' ? current.since : this.now().toISOString(),
      error: oneLine(toConsoleError(err).message, 300),
    });
  }

  /** The documents of the last sync (call `sync` first for a fresh list). */
  cached(): Stored<RegistryTenantDoc>[] {
    return this.deps.cache.all(this.scope);
  }

  /** One tenant's document as the last sync left it (no request: for every keystroke of a preview). */
  cachedOne(tenant: string): Stored<RegistryTenantDoc> | null {
    return this.deps.cache.get(this.scope, tenant);
  }

  /** One tenant's document as the registry has it now (realtime); the cache when unreachable. */
  async read(tenant: string, options: { cachedWhenDown?: boolean } = {}): Promise<Stored<RegistryTenantDoc> | null> {
    const id = tenantDocId(this.scope, tenant);
    try {
      const v = await this.deps.backend.get(id);
      return v ? { id, ...v } : null;
    } catch (err) {
      this.markUnreachable(err);
      if (options.cachedWhenDown) return this.deps.cache.get(this.scope, tenant);
      throw this.readOnlyError('read', err);
    }
  }

  /** Several tenants' documents as the registry has them now (realtime), by tenant. */
  async readMany(tenants: readonly string[]): Promise<Map<string, Stored<RegistryTenantDoc>>> {
    const found = await this.deps.backend.mget(tenants.map((t) => tenantDocId(this.scope, t)));
    const out = new Map<string, Stored<RegistryTenantDoc>>();
    for (const [id, v] of found) out.set(v.doc.tenant, { id, ...v });
    return out;
  }

  /**
   * Refuse a change the registry cannot take, before anything is done: unreachable now, the user
   * may not write, or the indices do not exist and may not be made. Makes the indices on first use.
   */
  async requireWritable(): Promise<void> {
    try {
      // One small request every time: a change is refused up front when the registry does not answer
      // now, whatever the last sync saw.
      const exists = await this.deps.backend.exists();
      if (this.health().state === 'unreachable') await this.sync();
      const privileges = await this.privileges();
      if (privileges && !(privileges.write && privileges.read)) {
        await this.writeHealth();
        throw this.readOnlyError('write');
      }
      if (!this.ensured) {
        if (privileges && !privileges.create && !exists) {
          throw new ConsoleError(
            'registry-read-only',
            `The team registry does not exist on ${this.instanceId} yet and this Elasticsearch user may not create it (missing create_index on ${REGISTRY_INDICES.tenants} and ${REGISTRY_INDICES.audit}): changes are refused until an operator with that right connects once.`,
            { instanceId: this.instanceId },
          );
        }
        const replicas = (await this.deps.dataNodes()) <= 1 ? 0 : this.deps.instance.footprint.replicas;
        await this.deps.backend.ensure({ replicas });
        this.ensured = true;
      }
    } catch (err) {
      if (err instanceof ConsoleError && err.code === 'registry-read-only') throw err;
      this.markUnreachable(err);
      throw this.readOnlyError('write', err);
    }
  }

  /** The refusal an operator reads when the registry cannot take (or give) what was asked. */
  readOnlyError(what: 'read' | 'write', cause?: unknown): ConsoleError {
    const health = this.health();
    const synced = this.syncedAt();
    const last = synced ? ` The last-known record (in sync at ${synced}) is shown read-only.` : '';
    const why =
      health.state === 'read-only'
        ? health.reason
        : health.state === 'unreachable'
          ? `it is unreachable since ${health.since} (${health.error})`
          : cause !== undefined
            ? oneLine(toConsoleError(cause).message, 300)
            : 'it did not answer';
    return new ConsoleError(
      'registry-read-only',
      `The team registry on ${this.instanceId} cannot be ${what === 'read' ? 'read' : 'changed'}: ${why}; nothing was changed and nothing is queued.${last}`,
      { instanceId: this.instanceId, ...(cause !== undefined ? { cause } : {}) },
    );
  }

  /**
   * Claim a tenant name: a create-only write of its document (or a write conditional on the
   * tombstone of a deleted one). Of two consoles claiming at once exactly one wins; the other is
   * told who has the name.
   */
  async claim(doc: RegistryTenantDoc): Promise<Stored<RegistryTenantDoc>> {
    const id = tenantDocId(this.scope, doc.tenant);
    // Searchable at once: every console's reconcile must see a claim a crash left.
    const options = { refresh: true };
    try {
      return { id, doc, version: await this.deps.backend.create(id, doc, options) };
    } catch (err) {
      if (!(err instanceof RegistryConflict)) throw err;
      const current = err.current;
      if (current?.doc.phase === 'deleted') {
        try {
          return { id, doc, version: await this.deps.backend.replace(id, doc, current.version, options) };
        } catch (again) {
          if (!(again instanceof RegistryConflict)) throw again;
          throw this.nameTaken(doc.tenant, again.current?.doc ?? null);
        }
      }
      throw this.nameTaken(doc.tenant, current?.doc ?? null);
    }
  }

  private nameTaken(tenant: string, holder: RegistryTenantDoc | null): ConsoleError {
    const by = holder ? `${describeOperator(holder.createdBy)} at ${holder.record.createdAt}` : 'another console';
    const still = holder?.phase === 'creating' ? ' (the create is still under way)' : '';
    return new ConsoleError('tenant-collision', `${tenant} was created by ${by}${still}.`, {
      instanceId: this.instanceId,
      tenant,
    });
  }

  /** Write `doc` if the document is still at `from`'s version; RegistryConflict otherwise. */
  async write(
    from: Stored<RegistryTenantDoc>,
    doc: RegistryTenantDoc,
    options: { refresh?: boolean } = {},
  ): Promise<Stored<RegistryTenantDoc>> {
    const version = await this.deps.backend.replace(from.id, doc, from.version, options);
    return { id: from.id, doc, version };
  }

  /** Several conditional writes in one request (verification results); 'conflict' per lost one. */
  async writeMany(
    items: readonly { from: Stored<RegistryTenantDoc>; doc: RegistryTenantDoc }[],
  ): Promise<(Stored<RegistryTenantDoc> | 'conflict')[]> {
    const versions = await this.deps.backend.bulkReplace(
      items.map((i) => ({ id: i.from.id, doc: i.doc, expected: i.from.version })),
    );
    return versions.map((v, i) => (v === 'conflict' ? v : { id: items[i]!.from.id, doc: items[i]!.doc, version: v }));
  }

  /** Remove a claim that never became a tenant (an undone create), if it is still at its version. */
  async unclaim(from: Stored<RegistryTenantDoc>): Promise<void> {
    await this.deps.backend.remove(from.id, from.version, { refresh: true });
    this.deps.cache.merge(this.scope, [], {}, { gone: [from.id] });
  }

  /** Remember what this console wrote, so the next list needs no read for it. */
  remember(doc: Stored<RegistryTenantDoc>): void {
    this.deps.cache.merge(this.scope, [doc], {});
  }

  // ------------------------------------------------------------------------------ audit

  /** Append an entry to the instance's chain. */
  async appendAudit(draft: AuditDraft): Promise<ChainedAuditEntry> {
    // The indices are made, strict, before the first entry: a write to a missing index would have
    // Elasticsearch make it with dynamic mappings, where no search by scope finds anything.
    if (!this.ensured) await this.requireWritable();
    const entry = await appendEntry(this.deps.backend, this.scope, draft, this.head);
    this.head = { seq: entry.seq, hash: entry.hash };
    this.deps.cache.setState(this.scope, { auditHead: { ...this.head, seenAt: this.now().toISOString() } });
    return entry;
  }

  /** The newest entries (newest first); remembers the head it saw for `verifyAudit`. */
  async recentAudit(limit: number, filter: AuditFilter = {}): Promise<ChainedAuditEntry[]> {
    const entries = await this.deps.backend.auditRecent(this.scope, limit, filter);
    const top = entries[0];
    const seen = this.deps.cache.state(this.scope).auditHead;
    const unfiltered = filter.since === undefined && filter.action === undefined && filter.tenant === undefined;
    if (top && unfiltered && (!seen || top.seq > seen.seq))
      this.deps.cache.setState(this.scope, {
        auditHead: { seq: top.seq, hash: top.hash, seenAt: this.now().toISOString() },
      });
    return entries;
  }

  /** Walk the chain: the first entry edited, deleted or reordered, if any. */
  async verifyAudit(): Promise<ChainReport> {
    const seen = this.deps.cache.state(this.scope).auditHead;
    return verifyChain(this.deps.backend, this.scope, seen ? { seq: seen.seq, hash: seen.hash } : null);
  }
}
