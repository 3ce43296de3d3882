/**
 * What every part of the tenant lifecycle shares: the injected dependencies, the instance's team
 * registry (where records live), who is at this console and which keychain it holds, token issue
 * and lookup, one conditional write per record change, and the audit wrapper.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { servedTenant } from '../../../shared/tenants/adoption';
import { ConsoleError, isRefusal, oneLine, toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { describeOperator, type OperatorStamp } from '../../../shared/team/operator';
import {
  decisiveDifferences,
  describeOtherChange,
  recordFromDoc,
  type RegistryTenantDoc,
} from '../../../shared/team/registry';
import type { PendingOp, TokenHolder } from '../../../shared/team/team';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { factsOf, whyNot, type TokenAction } from '../../../shared/tenants/token-actions';
import type { AuditAction, AuditLog, AuditOutcome } from '../audit-log';
import type { Resolver } from '../dns';
import type { VersionProbe } from '../identity';
import { accountFor, type SecretStore } from '../keychain';
import { RegistryConflict, type InstanceRegistry, type Stored } from '../registry';
import type { SettingsStore } from '../settings-store';
import type { TmsClientFactory, TmsTenantInput } from '../tms-client';
import {
  type AdoptionDiscovery,
  TOKEN_BYTES,
  type CapacitySource,
  type Clipboard,
  type TenantInstanceSource,
  type TenantKey,
  type TenantServiceDeps,
} from './types';

/** SHA-256 in hex: a one-way fingerprint of a token for the pending change. */
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

/** The TMS entry giving `token` to the record's tenant: a fresh entry id and the record's expiry unless given. */
export function tmsEntryFor(
  record: Pick<TenantRecord, 'tenant' | 'email' | 'createdAt' | 'tokenExpiresAt'>,
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

// A crashed process may not be told apart from a live one with a recycled pid: past this age a
// pending change is treated as abandoned whatever its pid.
const PENDING_STALE_MS = 60 * 60 * 1000;
// Pending changes from another host cannot be probed; give them this long.
const FOREIGN_PENDING_GRACE_MS = 10 * 60 * 1000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  readonly discovery: AdoptionDiscovery | undefined;
  /** The keychain this console holds tokens in (`<os user>@<host>/<service>`). */
  readonly keychainId: string;
  /** Pending changes this process is running (their documents name this pid). */
  readonly active = new Set<string>();
  /**
   * Publish this console's records from before the registry to an instance's registry, if it has
   * any (move-in.ts; set by the tenant service, which holds both, so the two files stay apart).
   */
  publishLegacy: (instanceId: string, registry: InstanceRegistry) => Promise<void> = async () => undefined;
  private readonly registries: TenantServiceDeps['registry'];
  private readonly operator: () => OperatorStamp;
  readonly versions: VersionProbe | undefined;
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
    this.discovery = deps.discovery;
    this.registries = deps.registry;
    this.operator = deps.stamp;
    this.keychainId = deps.keychainId;
    this.versions = deps.versions;
  }

  /** The clock's time, ISO 8601. */
  now(): string {
    return this.clock().toISOString();
  }

  /** Who is at this console (the stamp every change carries). */
  stamp(): OperatorStamp {
    return this.operator();
  }

  /** The instance's team registry. */
  registry(instanceId: string): Promise<InstanceRegistry> {
    return this.registries.of(instanceId);
  }

  /** This console as a token holder, from now. */
  holder(): TokenHolder {
    return { ...this.stamp(), keychain: this.keychainId, since: this.now() };
  }

  /** True when this console's keychain holds the record's token (or nobody is named: an older record). */
  holdsToken(record: Pick<TenantRecord, 'tokenHolder'> | RegistryTenantDoc): boolean {
    const holder = 'record' in record ? record.holder : record.tokenHolder;
    return !holder || holder.keychain === this.keychainId;
  }

  /** A pending change run by this process. */
  pendingOp(op: PendingOp['op'], extra: Partial<PendingOp> = {}): PendingOp {
    return {
      op,
      step: 'journal',
      startedAt: this.now(),
      by: this.stamp(),
      pid: process.pid,
      host: hostname(),
      keychain: this.keychainId,
      ...extra,
    };
  }

  /** Whether the process behind a pending change may still be at it (then nobody else touches the tenant). */
  isLive(pending: PendingOp): boolean {
    if (pending.endedAt !== undefined) return false;
    if (pending.host === hostname() && pending.pid === process.pid)
      return this.active.has(`${pending.startedAt}/${pending.op}`);
    const age = this.clock().getTime() - new Date(pending.startedAt).getTime();
    if (!(age < PENDING_STALE_MS)) return false;
    if (pending.host !== hostname()) return age < FOREIGN_PENDING_GRACE_MS;
    return pidAlive(pending.pid);
  }

  /** Mark a pending change as run by this process (isLive answers true for it until `settled`). */
  running(pending: PendingOp): void {
    this.active.add(`${pending.startedAt}/${pending.op}`);
  }
  settled(pending: PendingOp): void {
    this.active.delete(`${pending.startedAt}/${pending.op}`);
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

  /** The tenant's document as the registry has it now; not-found when the team has no such tenant. */
  async current(key: TenantKey): Promise<{ registry: InstanceRegistry; stored: Stored<RegistryTenantDoc> }> {
    const registry = await this.registry(key.instanceId);
    // Records this console kept before the registry are published before anything acts on them.
    await this.publishLegacy(key.instanceId, registry).catch(() => undefined);
    const stored = await registry.read(key.tenant);
    if (!stored || stored.doc.phase !== 'active')
      throw new ConsoleError(
        'not-found',
        stored?.doc.phase === 'deleted'
          ? `Tenant ${key.tenant.slice(0, 60)} on ${key.instanceId} was deleted by ${describeOperator(stored.doc.deleted?.by ?? stored.doc.updatedBy)} at ${stored.doc.deleted?.at ?? stored.doc.updatedAt}.`
          : `No tenant ${key.tenant.slice(0, 60)} on instance ${key.instanceId.slice(0, 63)}.`,
        key,
      );
    return { registry, stored };
  }

  /** The record a document stands for, in this console's words (its instance id). */
  record(instanceId: string, stored: Stored<RegistryTenantDoc>): TenantRecord {
    return recordFromDoc(instanceId, stored.doc);
  }

  /**
   * Refuse when the operator acted on a version of the record that another operator has changed
   * since, in a field that matters (a new verification result does not).
   */
  checkExpected(key: TenantKey, stored: Stored<RegistryTenantDoc>, expected: string | undefined): void {
    if (expected === undefined || expected === String(stored.doc.rev)) return;
    throw new ConsoleError(
      'conflict',
      `${key.tenant} changed since you opened it: ${describeOtherChange(stored.doc, [])}. Look at it again before you act.`,
      key,
    );
  }

  /**
   * Write one change to a tenant's document, conditional on the version read. On a conflict the
   * document is read again and the operator told what the other operator changed; nothing is retried.
   */
  async change(
    registry: InstanceRegistry,
    from: Stored<RegistryTenantDoc>,
    what: string,
    edit: (doc: RegistryTenantDoc) => void,
    options: { refresh?: boolean; step?: boolean } = {},
  ): Promise<Stored<RegistryTenantDoc>> {
    const doc = structuredClone(from.doc);
    edit(doc);
    // A step inside a change already announced (the saga's progress) is not a new decision.
    if (!options.step) {
      doc.updatedBy = this.stamp();
      doc.updatedAt = this.now();
      doc.change = what;
      doc.rev = from.doc.rev + 1;
    }
    try {
      const written = await registry.write(from, doc, options);
      registry.remember(written);
      return written;
    } catch (err) {
      if (!(err instanceof RegistryConflict)) throw err;
      const now = err.current;
      const key = { instanceId: registry.instanceId, tenant: from.doc.tenant };
      throw new ConsoleError(
        'conflict',
        now
          ? `${from.doc.tenant} was changed by another operator while this console worked on it: ${describeOtherChange(now.doc, decisiveDifferences(from.doc, now.doc))}. Nothing more was changed here; look at it again.`
          : `${from.doc.tenant} was removed from the team registry while this console worked on it.`,
        key,
      );
    }
  }

  /**
   * The record and its keychain token for `action`; refused where shared/tenants/token-actions.ts says so
   * (revoked, spent by the install, expired, adopted without it, held by another operator) or when
   * the token is missing.
   */
  async tokenOf(
    key: TenantKey,
    action: 'reveal' | 'copy' | 'export' = 'reveal',
  ): Promise<{ record: TenantRecord; token: string }> {
    const { stored } = await this.current(key);
    const record = this.record(key.instanceId, stored);
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

  /**
   * Refuse `action` where the shared token rule does not offer it (the window offers the same); a
   * token another operator holds points at a rotate, which issues one this console holds.
   */
  refuseTokenAction(action: TokenAction, record: TenantRecord): void {
    const facts = factsOf(record, { singleTenant: false, inKeychain: null, keychain: this.keychainId });
    const why = whyNot(action, facts, this.clock());
    if (!why) return;
    const key = { instanceId: record.instanceId, tenant: record.tenant };
    throw new ConsoleError(
      'invalid-state',
      `Tenant ${record.tenant} on ${record.instanceId} ${why}.`,
      facts.heldBy ? { ...key, remedy: 'rotate-token' } : key,
    );
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

  /** Refuse while a change is under way on the tenant (or left by a crash: it needs a repair first). */
  refuseBusy(key: TenantKey, doc: RegistryTenantDoc): void {
    const pending = doc.pending;
    if (!pending) return;
    const live = this.isLive(pending);
    throw new ConsoleError(
      'conflict',
      live
        ? `A ${pending.op} of ${key.tenant} on ${key.instanceId} by ${describeOperator(pending.by)} is in progress; try again when it ends.`
        : `An interrupted ${pending.op} of ${key.tenant} on ${key.instanceId} (by ${describeOperator(pending.by)}) is pending: it needs a repair first.`,
      live ? key : { ...key, remedy: 'reconcile-repair' },
    );
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
