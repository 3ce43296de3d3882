/**
 * Tenant lifecycle: preview, create, adopt, hand-over, rotate, revoke, delete, reconcile.
 *
 * The record of every tenant lives in its instance's team registry (main/services/registry): one
 * truth every operator's console reads and writes, cached in the data folder for speed and for
 * reading while the registry is unreachable. Three places hold a tenant and must agree: its
 * document in the registry (never a token), the token in the keychain of the console that holds it
 * (`token/<instanceId>/<tenant>`) and the TMS entry. Every multi-step change runs as a saga whose
 * journal is the document's pending change, so a failure is undone on the spot and a crash is
 * finished (or undone) by any console's `reconcile()` + `repair()`. The sagas: create-saga.ts
 * (create) and token-operations.ts (rotate, revoke, delete); reconcile.ts and
 * journal-resolution.ts settle what they leave behind; move-in.ts publishes the records a console
 * kept locally before the registry.
 *
 * Tokens never reach the registry, the audit trail or an error message. A pending change keeps, at
 * most, a SHA-256 of a new token (a one-way fingerprint of 256 random bits) to recognise the TMS
 * entry a crashed saga created.
 *
 * This class is the facade the shells use; the work is in the modules next to it.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import { recordFromDoc, teamChangeDraft, type RegistryTenantDoc } from '../../../shared/team/registry';
import {
  toTenantRow,
  type TenantRecord,
  type TenantRow,
  type VerificationResult,
} from '../../../shared/tenants/tenant';
import type { AdoptInput, DeletedTenant } from '../../../shared/tenants/adoption';
import type { InstanceRegistry, Stored } from '../registry';
import { adoptTenant } from './adopt';
import { createTenant } from './create-saga';
import { previewTenant } from './preview';
import { findDisagreements, repairFindings } from './reconcile';
import { hasLegacy, moveIn, resolveMoveIn, waitingReport, type MoveInReport } from './move-in';
import { legacyRecordsOf, listedLegacyRecordsOf } from './records';
import { TenantContext } from './tenant-context';
import { TokenClipboard } from './token-clipboard';
import {
  deleteTenant,
  exportHandoff,
  handoffSheet,
  markHandedOver,
  revealToken,
  revokeToken,
  rotateToken,
} from './token-operations';
import type { ActionOptions } from './token-operations';
import type {
  CreateInput,
  PreviewInput,
  ReconcileReport,
  RepairReport,
  RevealedToken,
  TenantPreview,
  TenantServiceDeps,
} from './types';

/** What the list shows of one instance: its records and how fresh they are. */
export interface InstanceRecords {
  instanceId: string;
  records: TenantRecord[];
  /** The registry answered this time (false: the last-known record, read-only). */
  live: boolean;
}

/** The tenant lifecycle over the team registry, the keychain and the TMS. */
export class TenantService {
  private readonly ctx: TenantContext;
  private readonly clipboard: TokenClipboard;
  /** The records of each instance's cache, per cache state (a list of 10,000 maps them once). */
  private readonly mapped = new Map<
    string,
    { stamp: string; legacy: readonly TenantRecord[]; records: TenantRecord[]; rows?: TenantRow[] }
  >();
  /** Reports of the local records published (or not) on first connect, per instance. */
  private readonly moveIns = new Map<string, MoveInReport>();

  private readonly teamChanges: TenantServiceDeps['teamChanges'];

  constructor(deps: TenantServiceDeps) {
    this.ctx = new TenantContext(deps);
    const ctx = this.ctx;
    ctx.publishLegacy = async (instanceId, registry) => {
      if (hasLegacy(ctx, instanceId)) await moveIn(ctx, registry);
    };
    this.clipboard = new TokenClipboard(this.ctx);
    this.teamChanges = deps.teamChanges;
  }

  // ----------------------------------------------------------------------------- reading

  /**
   * Tenant records, optionally of one instance, sorted by instance then tenant: each instance's
   * registry synced first (every operator's tenants, within one call), its cache when unreachable.
   */
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    const per = await this.byInstance(filter);
    return per.flatMap((p) => p.records);
  }

  /**
   * The list's rows: what the list shows and searches (see `toTenantRow`; `get` has the rest).
   * `cachedOnly`: from the cache of the last sync, without asking any registry (the first screen
   * draws at once; the full list that follows syncs).
   */
  async rows(filter: { instanceId?: string; cachedOnly?: boolean } = {}): Promise<TenantRow[]> {
    const ids = await this.instanceIds(filter);
    const out: TenantRow[] = [];
    if (!filter.cachedOnly) await Promise.all(ids.map((id) => this.syncForList(id)));
    for (const id of ids) {
      const m = await this.mappedOf(id);
      m.rows ??= m.records.map(toTenantRow);
      out.push(...m.rows);
    }
    return out;
  }

  /** Per instance: its records and whether the registry answered. */
  async byInstance(filter: { instanceId?: string } = {}): Promise<InstanceRecords[]> {
    const ids = await this.instanceIds(filter);
    const live = await Promise.all(ids.map((id) => this.syncOne(id)));
    const out: InstanceRecords[] = [];
    for (const [i, id] of ids.entries())
      out.push({ instanceId: id, records: (await this.mappedOf(id)).records, live: live[i]! });
    return out;
  }

  private async instanceIds(filter: { instanceId?: string | undefined }): Promise<string[]> {
    if (filter.instanceId !== undefined) {
      await this.ctx.instances.get(filter.instanceId); // an unknown id is an error, not an empty list
      return [filter.instanceId];
    }
    return (await this.ctx.instances.list()).map((s) => s.instance.id).sort();
  }

  /**
   * The tenants the team deleted on one instance, from the registry's tombstones as the last sync
   * left them (discovery lists them as deleted, not as strangers: a delete keeps their data).
   */
  async deletedOf(instanceId: string): Promise<Map<string, DeletedTenant>> {
    const registry = await this.ctx.registry(instanceId);
    const out = new Map<string, DeletedTenant>();
    for (const { doc } of registry.cached()) {
      if (doc.phase !== 'deleted') continue;
      out.set(doc.tenant, {
        at: doc.deleted?.at ?? doc.updatedAt,
        by: doc.deleted?.by ?? doc.updatedBy,
        apiDomain: doc.record.apiDomain,
      });
    }
    return out;
  }

  /**
   * A steady sync of one instance's registry beside a screen's refresh (the Fleet's capacity
   * refresh): the team's changes reach the cache and the Changes feed. A sync that must read the
   * whole scope (the first, or the hourly full read) goes on without holding the screen: null at once.
   */
  async refreshRegistry(instanceId: string): Promise<boolean | null> {
    return this.syncUnlessSlow(instanceId, (registry) => registry.fullReadDue());
  }

  /**
   * The list's sync of one instance: waited for, unless the registry was unreachable at its last
   * sync. Then the list goes on from that instance's cache at once and the retry runs behind it: a
   * black-holed address holds a request for the instance's whole timeout (10 s by default), a
   * resolver that drops queries 5 s, and the list waited that long at every fetch while one instance
   * of a fleet was away. The read-only banner names it meanwhile; its poll retries, and the window
   * fetches the list again once the registry answers (renderer/lib/registry-back.ts).
   */
  private syncForList(instanceId: string): Promise<boolean | null> {
    return this.syncUnlessSlow(instanceId, (registry) => registry.health().state === 'unreachable');
  }

  /**
   * Sync one instance's registry: its answer, or null at once when `slow` says (before the sync
   * starts) that it would hold the caller; then the sync goes on behind it.
   */
  private async syncUnlessSlow(
    instanceId: string,
    slow: (registry: InstanceRegistry) => boolean,
  ): Promise<boolean | null> {
    const behind = slow(await this.ctx.registry(instanceId));
    const sync = this.syncOne(instanceId);
    if (!behind) return sync;
    sync.catch(() => undefined);
    return null;
  }

  /** Sync one instance's registry (and publish its local records on first connect); true if it answered. */
  private async syncOne(instanceId: string): Promise<boolean> {
    const registry = await this.ctx.registry(instanceId);
    const synced = await registry.sync();
    if (synced.changed.length > 0 && this.teamChanges) {
      const { instance } = await this.ctx.instances.get(instanceId);
      const me = this.ctx.stamp();
      const drafts = synced.changed.flatMap((c) => teamChangeDraft(instance, c.doc, c.before, me) ?? []);
      if (drafts.length) {
        try {
          this.teamChanges(drafts);
        } catch {
          // The feed could not be written: the record itself is in sync, the next change is reported.
        }
      }
    }
    // Local records the registry could not take are reported as waiting (the Tenants screen's notice).
    if (hasLegacy(this.ctx, instanceId)) {
      this.moveIns.set(
        instanceId,
        synced.ok
          ? await moveIn(this.ctx, registry).catch((err: unknown) => waitingReport(instanceId, err))
          : waitingReport(instanceId, registry.readOnlyError('write')),
      );
    }
    return synced.ok;
  }

  /** The cache's active records of one instance (plus local ones not yet published), mapped once per cache state. */
  private async mappedOf(instanceId: string): Promise<{ records: TenantRecord[]; rows?: TenantRow[] }> {
    const registry = await this.ctx.registry(instanceId);
    const docs = registry.cached();
    const legacy = listedLegacyRecordsOf(this.ctx.settings.read(), instanceId);
    const stamp = `${docs.length}:${docs.reduce((m, d) => Math.max(m, d.version.seqNo), -1)}:${docs.reduce((n, d) => n + d.version.seqNo, 0)}`;
    const had = this.mapped.get(instanceId);
    if (had && had.stamp === stamp && had.legacy === legacy) return had;
    const records = activeRecords(instanceId, docs);
    const known = new Set(records.map((r) => r.tenant));
    for (const r of legacy) if (!known.has(r.tenant)) records.push(r);
    records.sort((a, b) => a.tenant.localeCompare(b.tenant));
    const entry = { stamp, legacy, records };
    this.mapped.set(instanceId, entry);
    return entry;
  }

  /**
   * One full record, as the registry has it now (the cache's when the registry is unreachable);
   * not-found when the team has no such tenant.
   */
  async get(instanceId: string, tenant: string): Promise<TenantRecord> {
    const registry = await this.ctx.registry(instanceId);
    const stored = await registry.read(tenant, { cachedWhenDown: true });
    if (stored && stored.doc.phase === 'active') return this.ctx.record(instanceId, stored);
    const local = legacyRecordsOf(this.ctx.settings.read(), instanceId).find((r) => r.tenant === tenant);
    if (local) return local;
    throw new ConsoleError('not-found', `No tenant ${tenant.slice(0, 60)} on instance ${instanceId.slice(0, 63)}.`, {
      instanceId,
      tenant,
    });
  }

  /** The instance's registry (its health, its audit chain): for the shells' status and audit views. */
  registryOf(instanceId: string): Promise<InstanceRegistry> {
    return this.ctx.registry(instanceId);
  }

  /** The local records publishing met, per instance (conflicts wait for the operator's choice). */
  moveInReports(): MoveInReport[] {
    return [...this.moveIns.values()];
  }

  /** Publish the local records of every reachable instance now (tenantctl tenants move-in). */
  async moveInAll(): Promise<MoveInReport[]> {
    for (const id of await this.instanceIds({})) {
      const registry = await this.ctx.registry(id);
      if ((await registry.sync()).ok || hasLegacy(this.ctx, id)) this.moveIns.set(id, await moveIn(this.ctx, registry));
    }
    return this.moveInReports();
  }

  /** The operator's choice for a move-in conflict: keep the team's record, or write the local one over it. */
  async resolveMoveIn(instanceId: string, tenant: string, keep: 'team' | 'local'): Promise<TenantRecord | null> {
    const out = await resolveMoveIn(this.ctx, { instanceId, tenant }, keep);
    const report = this.moveIns.get(instanceId);
    if (report) report.conflicts = report.conflicts.filter((c) => c.tenant !== tenant);
    return out;
  }

  // ----------------------------------------------------------------------------- create

  /**
   * What a create would do with this domain: the tenant name, URLs, warnings, collisions and
   * capacity. `quick` checks the console's records only (cheap enough for every keystroke).
   */
  async preview(input: PreviewInput): Promise<TenantPreview> {
    return previewTenant(this.ctx, input);
  }

  /**
   * Create a tenant, all or nothing: token in the keychain, entry in the TMS, record in the
   * settings. Refuses collisions and, unless an override reason is given, a full instance.
   */
  async create(input: CreateInput): Promise<TenantRecord> {
    return createTenant(this.ctx, input);
  }

  /**
   * Give a tenant that already exists on the instance a record, changing nothing on the instance
   * (see adopt.ts). Refusals write nothing, not even to the audit log.
   */
  async adopt(input: AdoptInput): Promise<TenantRecord> {
    return adoptTenant(this.ctx, input);
  }

  // ----------------------------------------------------------------------------- tokens

  /** The installation token and where to use it (audited as 'reveal'). */
  async revealToken(instanceId: string, tenant: string): Promise<RevealedToken> {
    return revealToken(this.ctx, { instanceId, tenant });
  }

  /** The hand-over sheet (Markdown, holds the token; audited as 'reveal'). */
  async handoffSheet(instanceId: string, tenant: string): Promise<string> {
    return handoffSheet(this.ctx, { instanceId, tenant });
  }

  /**
   * Write the hand-over sheet to `filePath` with mode 0600. Refuses an existing file unless
   * `overwrite`; an overwrite goes through a 0600 temp file renamed over the target.
   */
  async exportHandoff(
    instanceId: string,
    tenant: string,
    filePath: string,
    options: { overwrite?: boolean } = {},
  ): Promise<{ path: string }> {
    return exportHandoff(this.ctx, { instanceId, tenant }, filePath, options);
  }

  /**
   * Put the token on the clipboard and clear it after `clearAfterSeconds` (default: the
   * preference, 30 s; 0 = never), but only if the clipboard still holds the token then.
   */
  async copyToken(
    instanceId: string,
    tenant: string,
    options: { clearAfterSeconds?: number } = {},
  ): Promise<{ clearsInSeconds: number }> {
    return this.clipboard.copy({ instanceId, tenant }, options);
  }

  /** A copied token's pending clipboard clear, done now (the Electron shell calls it before quitting). */
  clearCopiedToken(): Promise<boolean> {
    return this.clipboard.clearNow();
  }

  /** The operator handed the token over: state 'handed-over'. */
  async markHandedOver(instanceId: string, tenant: string, options: ActionOptions = {}): Promise<TenantRecord> {
    return markHandedOver(this.ctx, { instanceId, tenant }, options);
  }

  /** A new token for a tenant not yet installed; state goes back to 'registered'. */
  async rotate(
    instanceId: string,
    tenant: string,
    options: { tokenLifetimeDays?: number } & ActionOptions = {},
  ): Promise<TenantRecord> {
    return rotateToken(this.ctx, { instanceId, tenant }, options);
  }

  /** Kill the token everywhere (installed or not); the record becomes 'revoked'. */
  async revoke(instanceId: string, tenant: string, options: ActionOptions = {}): Promise<TenantRecord> {
    return revokeToken(this.ctx, { instanceId, tenant }, options);
  }

  /**
   * Remove the tenant from the TMS, the keychain and the records; an installed one only with `force`.
   * An adopted tenant (or one of a single-tenant instance) is only forgotten: record and keychain
   * token go, its TMS entry stays (`forgotten`). Elasticsearch data is never deleted.
   */
  async delete(input: {
    instanceId: string;
    tenant: string;
    force?: boolean;
    expectedVersion?: string;
  }): Promise<{ deleted: string; forgotten?: true }> {
    return deleteTenant(
      this.ctx,
      { instanceId: input.instanceId, tenant: input.tenant },
      Boolean(input.force),
      input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {},
    );
  }

  /**
   * Store verification results on the records (status 'installed' moves the state to installed):
   * one conditional bulk write per instance and batch. A document another console changed meanwhile
   * is read again and the result applied to it once more (a result is an observation, not a
   * decision); a tenant with a change under way, and an instance whose registry cannot take
   * writes, are left as they are (the results are still returned to whoever verified).
   */
  async recordVerification(result: VerificationResult | VerificationResult[]): Promise<TenantRecord[]> {
    const results = Array.isArray(result) ? result : [result];
    const byInstance = new Map<string, VerificationResult[]>();
    for (const r of results) byInstance.set(r.instanceId, [...(byInstance.get(r.instanceId) ?? []), r]);
    const updated: TenantRecord[] = [];
    for (const [instanceId, batch] of byInstance) {
      try {
        updated.push(...(await this.recordBatch(instanceId, batch)));
      } catch {
        // The registry did not take them: the verification stands; its record waits for the next run.
      }
    }
    return updated;
  }

  private async recordBatch(instanceId: string, batch: VerificationResult[]): Promise<TenantRecord[]> {
    const registry = await this.ctx.registry(instanceId);
    await registry.requireWritable();
    const out: TenantRecord[] = [];
    let todo = batch;
    for (let attempt = 0; attempt < 2 && todo.length > 0; attempt++) {
      const current = await registry.readMany(todo.map((v) => v.tenant));
      const items: { from: Stored<RegistryTenantDoc>; doc: RegistryTenantDoc; v: VerificationResult }[] = [];
      for (const v of todo) {
        const from = current.get(v.tenant);
        if (!from || from.doc.phase !== 'active' || (from.doc.pending && this.ctx.isLive(from.doc.pending))) continue;
        const doc = structuredClone(from.doc);
        doc.record.lastVerification = v;
        if (v.status === 'installed') {
          if (!doc.record.installedAt) doc.record.installedAt = v.checkedAt;
          if (doc.record.state !== 'revoked') doc.record.state = 'installed';
        }
        // An observation, not a decision: the record's revision and its last change stay.
        doc.verifiedBy = this.ctx.stamp();
        items.push({ from, doc, v });
      }
      const written = await registry.writeMany(items);
      const again: VerificationResult[] = [];
      written.forEach((w, i) => {
        if (w === 'conflict') again.push(items[i]!.v);
        else {
          registry.remember(w);
          out.push(this.ctx.record(instanceId, w));
        }
      });
      todo = again;
    }
    return out;
  }

  // ----------------------------------------------------------------------------- reconcile

  /** Where registry, keychain, TMS and pending changes disagree, each finding with a proposed repair. */
  async reconcile(): Promise<ReconcileReport> {
    return this.ctx.audited(
      'reconcile',
      { instanceId: '', tenant: '' },
      () => findDisagreements(this.ctx),
      (r) => `${r.findings.length} finding(s)${r.notes.length ? `; ${r.notes.length} note(s)` : ''}`,
    );
  }

  /** Apply the repairs of the given findings (or every repairable one): the one-click repair. */
  async repair(findingIds: string[] | 'all'): Promise<RepairReport> {
    return repairFindings(this.ctx, findingIds);
  }
}

/** A document's record when it is an active tenant. */
function activeRecords(instanceId: string, docs: readonly Stored<RegistryTenantDoc>[]): TenantRecord[] {
  const out: TenantRecord[] = [];
  for (const d of docs) if (d.doc.phase === 'active') out.push(recordFromDoc(instanceId, d.doc));
  return out;
}
