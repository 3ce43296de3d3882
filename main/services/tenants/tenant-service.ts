/**
 * Tenant lifecycle: preview, create, hand-over, rotate, revoke, delete, reconcile.
 *
 * Three places hold a tenant and must agree: the record (settings file, no secret), the token (OS
 * keychain, `token/<instanceId>/<tenant>`) and the TMS entry (the instance's Tenant Management
 * Service, which Tracardi asks at install time). Every multi-step change runs as a saga with a
 * journal entry in the settings file (saga-journal.ts), so a failure is undone on the spot and a
 * crash is finished (or undone) by `reconcile()` + `repair()`. The sagas: create-saga.ts (create)
 * and token-operations.ts (rotate, revoke, delete); reconcile.ts and journal-resolution.ts settle
 * what they leave behind.
 *
 * Tokens never reach the settings file, the audit log or an error message. The journal keeps, at
 * most, a SHA-256 of a new token (a one-way fingerprint of 256 random bits) to recognise the TMS
 * entry a crashed saga created.
 *
 * This class is the facade the shells use; the work is in the modules next to it.
 */
import {
  tenantRecordSchema,
  toTenantRow,
  type TenantRecord,
  type TenantRow,
  type VerificationResult,
} from '../../../shared/tenant';
import type { SettingsFile } from '../settings-store';
import type { AdoptInput } from '../../../shared/adoption';
import { adoptTenant } from './adopt';
import { createTenant } from './create-saga';
import { previewTenant } from './preview';
import { findDisagreements, repairFindings } from './reconcile';
import { journalOf, recordsOf, requireRecord } from './records';
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
import type {
  CreateInput,
  JournalEntry,
  PreviewInput,
  ReconcileReport,
  RepairReport,
  RevealedToken,
  TenantPreview,
  TenantServiceDeps,
} from './types';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The tenant lifecycle over records, keychain and TMS. */
export class TenantService {
  private readonly ctx: TenantContext;
  private readonly clipboard: TokenClipboard;
  /**
   * The parsed, sorted records (deep-frozen) and their list rows, for one settings object. The
   * store hands out the same frozen object until the file changes, so 10,000 records are parsed
   * once per file version, not once per list.
   */
  private cache: { settings: SettingsFile; records: readonly TenantRecord[]; rows?: readonly TenantRow[] } | null =
    null;

  constructor(deps: TenantServiceDeps) {
    this.ctx = new TenantContext(deps);
    this.clipboard = new TokenClipboard(this.ctx);
  }

  // ----------------------------------------------------------------------------- reading

  /** Tenant records, optionally of one instance, sorted by instance then tenant. */
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    return this.sorted().records.filter((r) => filter.instanceId === undefined || r.instanceId === filter.instanceId);
  }

  /** The list's rows: what the list shows and searches (see `toTenantRow`; `get` has the rest). */
  async rows(filter: { instanceId?: string } = {}): Promise<TenantRow[]> {
    const cache = this.sorted();
    cache.rows ??= cache.records.map(toTenantRow);
    return cache.rows.filter((r) => filter.instanceId === undefined || r.instanceId === filter.instanceId);
  }

  /** One record; not-found when the console does not know the tenant. */
  async get(instanceId: string, tenant: string): Promise<TenantRecord> {
    const settings = this.ctx.fresh();
    if (this.cache?.settings === settings) {
      const found = this.cache.records.find((r) => r.instanceId === instanceId && r.tenant === tenant);
      if (found) return found;
    }
    return requireRecord(settings, { instanceId, tenant });
  }

  /** Parsed records sorted by instance then tenant, cached per settings object (frozen: shared). */
  private sorted(): { settings: SettingsFile; records: readonly TenantRecord[]; rows?: readonly TenantRow[] } {
    const settings = this.ctx.fresh();
    if (this.cache?.settings === settings) return this.cache;
    const records = recordsOf(settings).sort(
      (a, b) => a.instanceId.localeCompare(b.instanceId) || a.tenant.localeCompare(b.tenant),
    );
    // Only a frozen settings object stays the same between calls; a store that hands out copies
    // gets no cache (and no freezing of what it handed out).
    if (Object.isFrozen(settings)) {
      for (const r of records) deepFreeze(r);
      this.cache = { settings, records };
      return this.cache;
    }
    return { settings, records };
  }

  /** Pending journal entries (interrupted or running sagas). */
  journal(): JournalEntry[] {
    return journalOf(this.ctx.fresh());
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
  async markHandedOver(instanceId: string, tenant: string): Promise<TenantRecord> {
    return markHandedOver(this.ctx, { instanceId, tenant });
  }

  /** A new token for a tenant not yet installed; state goes back to 'registered'. */
  async rotate(
    instanceId: string,
    tenant: string,
    options: { tokenLifetimeDays?: number } = {},
  ): Promise<TenantRecord> {
    return rotateToken(this.ctx, { instanceId, tenant }, options);
  }

  /** Kill the token everywhere (installed or not); the record becomes 'revoked'. */
  async revoke(instanceId: string, tenant: string): Promise<TenantRecord> {
    return revokeToken(this.ctx, { instanceId, tenant });
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
  }): Promise<{ deleted: string; forgotten?: true }> {
    return deleteTenant(this.ctx, { instanceId: input.instanceId, tenant: input.tenant }, Boolean(input.force));
  }

  /** Store a verification result on the record; status 'installed' moves the state to installed. */
  async recordVerification(result: VerificationResult | VerificationResult[]): Promise<TenantRecord[]> {
    const results = Array.isArray(result) ? result : [result];
    if (results.length === 0) return [];
    const updated: TenantRecord[] = [];
    // One settings write for a whole batch: a fleet verification must not rewrite the file per tenant.
    this.ctx.settings.update((draft) => {
      const byKey = new Map(results.map((r) => [`${r.instanceId}/${r.tenant}`, r]));
      draft.tenants = draft.tenants.map((raw) => {
        // Match on the raw keys first: only the batch's records are parsed (20,000 records, 100 a batch).
        const ref = raw as { instanceId?: unknown; tenant?: unknown };
        const v = byKey.get(`${String(ref?.instanceId)}/${String(ref?.tenant)}`);
        if (!v) return raw;
        const parsed = tenantRecordSchema.safeParse(raw);
        if (!parsed.success) return raw;
        const r = parsed.data;
        r.lastVerification = v;
        if (v.status === 'installed') {
          if (!r.installedAt) r.installedAt = v.checkedAt;
          if (r.state !== 'revoked') r.state = 'installed';
        }
        updated.push(r);
        return r;
      });
    });
    return updated;
  }

  // ----------------------------------------------------------------------------- reconcile

  /** Where records, keychain, TMS and journal disagree, each finding with a proposed repair. */
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
