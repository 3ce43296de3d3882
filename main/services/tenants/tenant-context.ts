/**
 * What every part of the tenant lifecycle shares: the injected dependencies, the saga journal, the
 * settings as on disk now, token issue and lookup, one-write record updates and the audit wrapper.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { servedTenant } from '../../../shared/adoption';
import { ConsoleError, isRefusal, oneLine, toConsoleError } from '../../../shared/errors';
import type { Instance } from '../../../shared/instance';
import { tenantRecordSchema, type TenantRecord } from '../../../shared/tenant';
import { factsOf, whyNot, type TokenAction } from '../../../shared/token-actions';
import type { AuditAction, AuditLog, AuditOutcome } from '../audit-log';
import type { Resolver } from '../dns';
import { accountFor, type SecretStore } from '../keychain';
import type { SettingsFile, SettingsStore } from '../settings-store';
import type { TmsClientFactory, TmsTenantInput } from '../tms-client';
import { removeJournalEntry, requireRecord } from './records';
import { SagaJournal } from './saga-journal';
import {
  type AdoptionDiscovery,
  TOKEN_BYTES,
  type CapacitySource,
  type Clipboard,
  type TenantInstanceSource,
  type TenantKey,
  type TenantServiceDeps,
} from './types';

/** SHA-256 in hex: a one-way fingerprint of a token for the journal. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `date` plus whole days. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000);
}

/** The error, with a note that the operation stays pending for reconcile. */
export function pendingError(err: unknown, what: string, key: TenantKey): ConsoleError {
  const e = toConsoleError(err);
  return new ConsoleError(e.code, `${oneLine(e.message)} The ${what} stays pending until a repair finishes it.`, {
    ...key,
    remedy: 'reconcile-repair',
    cause: err,
  });
}

/**
 * The TMS entry giving `token` to the record's tenant: a fresh entry id and the record's expiry
 * unless given.
 */
export function tmsEntryFor(
  record: TenantRecord,
  token: string,
  options: { id?: string; expire?: string | null } = {},
): TmsTenantInput {
  return {
    id: options.id ?? randomUUID(),
    name: record.tenant,
    installToken: token,
    email: record.email,
    created: record.createdAt,
    expire: options.expire === undefined ? record.tokenExpiresAt : options.expire,
  };
}

/** The dependencies and shared steps of the tenant lifecycle (one per TenantService). */
export class TenantContext {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly instances: TenantInstanceSource;
  readonly capacity: CapacitySource;
  readonly tms: TmsClientFactory;
  readonly audit: AuditLog;
  readonly clock: () => Date;
  readonly dns: Resolver | undefined;
  readonly clipboard: Clipboard | undefined;
  readonly journal: SagaJournal;
  readonly discovery: AdoptionDiscovery | undefined;
  private readonly random: (size: number) => Uint8Array;

  constructor(deps: TenantServiceDeps) {
    this.settings = deps.settings;
    this.secrets = deps.secrets;
    this.instances = deps.instances;
    this.capacity = deps.capacity;
    this.tms = deps.tms;
    this.audit = deps.audit;
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? ((n) => randomBytes(n));
    this.dns = deps.dns;
    this.clipboard = deps.clipboard;
    this.journal = new SagaJournal(this.settings, this.clock);
    this.discovery = deps.discovery;
  }

  /**
   * The settings as on disk now: another shell (CLI, a crashed process) may have written since
   * this one loaded them. Uses the store's `reload()` when it has one.
   */
  fresh(): SettingsFile {
    const store = this.settings as SettingsStore & { reload?: () => SettingsFile };
    return store.reload ? store.reload() : this.settings.read();
  }

  /** The clock's time, ISO 8601. */
  now(): string {
    return this.clock().toISOString();
  }

  /** 32 CSPRNG bytes, base64url: 43 characters. The audit log learns it, to redact it. */
  newToken(): string {
    const bytes = this.random(TOKEN_BYTES);
    if (bytes.length !== TOKEN_BYTES)
      throw new ConsoleError('internal', 'The random source returned the wrong number of bytes.');
    const token = Buffer.from(bytes).toString('base64url');
    this.audit.rememberSecret(token);
    return token;
  }

  /**
   * The record and its keychain token for `action`; refused where shared/token-actions.ts says so
   * (revoked, spent by the install, expired, adopted without it) or when the token is missing.
   */
  async tokenOf(
    key: TenantKey,
    action: 'reveal' | 'copy' | 'export' = 'reveal',
  ): Promise<{ record: TenantRecord; token: string }> {
    const record = requireRecord(this.fresh(), key);
    this.refuseTokenAction(action, record);
    const token = await this.secrets.get(accountFor.token(key.instanceId, key.tenant));
    if (token === null) {
      throw new ConsoleError('not-found', `The keychain holds no token for ${key.tenant} on ${key.instanceId}.`, {
        ...key,
        remedy: 'reconcile',
      });
    }
    this.audit.rememberSecret(token);
    return { record, token };
  }

  /** Refuse `action` where the shared token rule does not offer it (the window offers the same). */
  refuseTokenAction(action: TokenAction, record: TenantRecord): void {
    const why = whyNot(action, factsOf(record, { singleTenant: false, inKeychain: null }), this.clock());
    if (why) throw new ConsoleError('invalid-state', `Tenant ${record.tenant} on ${record.instanceId} ${why}.`, record);
  }

  /**
   * Refuse what needs the TMS on a single-tenant instance: it has none, and its one token is its
   * INSTALLATION_TOKEN, set in its environment, which the console cannot change.
   */
  refuseSingleTenant(instance: Instance, what: string, key: Partial<TenantKey> = {}): void {
    if (instance.tenancy !== 'single-tenant') return;
    throw new ConsoleError(
      'invalid-state',
      `Instance ${instance.id} is single-tenant: ${what} (its one tenant is ${servedTenant(instance)}, its token the instance's INSTALLATION_TOKEN).`,
      { instanceId: instance.id, ...(key.tenant ? { tenant: key.tenant } : {}), remedy: 'adopt-tenant' },
    );
  }

  /** Change one record (and drop a journal entry) in one settings write. */
  updateRecord(key: TenantKey, change: (r: TenantRecord) => void, dropJournalId?: string): TenantRecord {
    let out: TenantRecord | undefined;
    this.settings.update((draft) => {
      if (dropJournalId) removeJournalEntry(draft, dropJournalId);
      draft.tenants = draft.tenants.map((raw) => {
        const parsed = tenantRecordSchema.safeParse(raw);
        if (!parsed.success || parsed.data.instanceId !== key.instanceId || parsed.data.tenant !== key.tenant)
          return raw;
        change(parsed.data);
        out = parsed.data;
        return parsed.data;
      });
    });
    if (!out) throw new ConsoleError('not-found', `No tenant ${key.tenant} on instance ${key.instanceId}.`, key);
    return out;
  }

  /** Run an operator action and audit it: ok, refused (bad input, state) or failed. */
  async audited<T>(
    action: AuditAction,
    key: TenantKey,
    fn: () => Promise<T>,
    describe?: (result: T) => string,
  ): Promise<T> {
    try {
      const result = await fn();
      await this.audit.record({
        action,
        ...auditKey(key),
        outcome: 'ok',
        ...(describe ? { detail: describe(result) } : {}),
      });
      return result;
    } catch (err) {
      const e = toConsoleError(err);
      const outcome: AuditOutcome = isRefusal(e.code) ? 'refused' : 'failed';
      await this.audit
        .record({ action, ...auditKey(key), outcome, detail: `${e.code}: ${oneLine(e.message)}` })
        .catch(() => undefined);
      throw err;
    }
  }
}

// An empty key part (a create before its name is derived, a fleet-wide reconcile) is left out.
function auditKey(key: TenantKey): { instanceId?: string; tenant?: string } {
  const out: { instanceId?: string; tenant?: string } = {};
  if (key.instanceId) out.instanceId = key.instanceId;
  if (key.tenant) out.tenant = key.tenant;
  return out;
}
