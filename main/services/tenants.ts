/**
 * Tenant lifecycle: preview, create, hand-over, rotate, revoke, delete, reconcile.
 *
 * Three places hold a tenant and must agree: the record (settings file, no secret), the token (OS
 * keychain, `token/<instanceId>/<tenant>`) and the TMS entry (the instance's Tenant Management
 * Service, which Tracardi asks at install time). Every multi-step change runs as a saga with a
 * journal entry in the settings file, so a failure is undone on the spot and a crash is finished
 * (or undone) by `reconcile()` + `repair()`:
 *
 *   create:  journal → keychain set → TMS POST → record written + journal removed (one update)
 *   rotate:  journal → TMS POST (new token) → keychain set → record updated + journal removed
 *   revoke:  journal → TMS token replaced by an unknown one → keychain delete → record 'revoked'
 *   delete:  journal → TMS DELETE → keychain delete → record removed + journal removed
 *
 * Tokens never reach the settings file, the audit log or an error message. The journal keeps, at
 * most, a SHA-256 of a new token (a one-way fingerprint of 256 random bits) to recognise the TMS
 * entry a crashed saga created.
 *
 * Test hook: with TENANT_CONSOLE_TEST_CRASH_AFTER=<step> (journal | keychain | tms | record) the
 * create saga SIGKILLs its own process right after that step, so tests can prove that reconcile
 * finishes the job. Inert unless the variable is set (or `crashAfter` is passed).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, basename, join } from 'node:path';
import { z } from 'zod';
import { admitOneMore } from '../../shared/capacity-model';
import type { CapacityOutcome } from '../../shared/capacity';
import { ConsoleError, toConsoleError, type ErrorCode } from '../../shared/errors';
import type { Instance } from '../../shared/instance';
import { tenantRecordSchema, type TenantRecord, type VerificationResult } from '../../shared/tenant';
import { completeTenantDomain, deriveTenantName } from '../../shared/tenant-name';
import type { AuditAction, AuditLog, AuditOutcome } from './audit-log';
import type { Resolver } from './dns';
import { accountFor, parseAccount, type SecretStore } from './keychain';
import type { SettingsFile, SettingsStore } from './settings-store';
import type { TmsClient, TmsClientFactory, TmsTenant } from './tms-client';

// ---------------------------------------------------------------------------------------------
// Types

/** The workstation clipboard (Electron provides it; the CLI has none). */
export interface Clipboard {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
  clear(): void | Promise<void>;
}

export interface TenantInstanceSource {
  get(id: string): Promise<{ instance: Instance }>;
}

export interface CapacitySource {
  snapshot(instanceId: string): Promise<CapacityOutcome>;
}

export interface TenantServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  instances: TenantInstanceSource;
  capacity: CapacitySource;
  tms: TmsClientFactory;
  audit: AuditLog;
  clock?: () => Date;
  /** CSPRNG bytes; default crypto.randomBytes. */
  random?: (size: number) => Uint8Array;
  /** Used by a full preview to warn when the API domain does not resolve yet. */
  dns?: Resolver;
  clipboard?: Clipboard;
  /** Test hook (see the file comment); default process.env.TENANT_CONSOLE_TEST_CRASH_AFTER. */
  crashAfter?: string;
}

export const CREATE_STEPS = ['journal', 'keychain', 'tms', 'record'] as const;
export type CreateStep = (typeof CREATE_STEPS)[number];
export const CRASH_AFTER_ENV = 'TENANT_CONSOLE_TEST_CRASH_AFTER';

export const MIN_OVERRIDE_REASON = 10;
export const TOKEN_BYTES = 32;

export interface PreviewInput {
  instanceId: string;
  domain: string;
  guiDomain?: string;
  /** Records only: no TMS, Elasticsearch or DNS call (for every keystroke). */
  quick?: boolean;
}

export interface TenantPreview {
  instanceId: string;
  tenant: string | null;
  apiDomain: string | null;
  apiUrl: string | null;
  guiDomain: string | null;
  guiUrl: string | null;
  warnings: string[];
  error: string | null;
  collisions: { where: 'records' | 'tms' | 'elasticsearch'; detail: string }[];
  capacity: { ok: boolean; room: number | null; binding: 'shards' | 'disk' | null; message: string } | null;
}

export interface CreateInput {
  instanceId: string;
  domain: string;
  guiDomain?: string;
  email: string;
  tokenLifetimeDays: number;
  capacityOverrideReason?: string;
}

export interface RevealedToken {
  instanceId: string;
  tenant: string;
  token: string;
  apiUrl: string;
  guiUrl: string;
  expiresAt: string | null;
}

export const FINDING_KINDS = [
  'record-without-token',
  'orphan-token',
  'missing-in-tms',
  'token-mismatch',
  'tms-only',
  'pending-journal',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface ReconcileFinding {
  /** Stable for the same disagreement: `<kind>:<instanceId>:<tenant>[:<journal id>]`. */
  id: string;
  kind: FindingKind;
  instanceId: string;
  tenant: string;
  detail: string;
  /** What `repair` will do, in words. */
  repair: string;
  /** False when the repair needs the operator (then `repair` says what to do). */
  repairable: boolean;
}

export interface ReconcileReport {
  checkedAt: string;
  findings: ReconcileFinding[];
  /** Per instance: what could not be checked (TMS down, no TMS listing). */
  notes: string[];
}

export interface RepairOutcome {
  id: string;
  ok: boolean;
  detail: string;
}

export interface RepairReport {
  applied: RepairOutcome[];
  /** A fresh reconcile after the repairs. */
  after: ReconcileReport;
}

// Journal entries live in settings.journal (a passthrough array the settings store keeps as is).
const journalEntrySchema = z.object({
  id: z.string(),
  op: z.enum(['create', 'rotate', 'revoke', 'delete']),
  instanceId: z.string(),
  tenant: z.string(),
  startedAt: z.string(),
  /** Last step completed. */
  step: z.string(),
  pid: z.number().int(),
  host: z.string(),
  /** create: the `id` sent to the TMS, and the record to write when done. */
  tmsId: z.string().optional(),
  record: tenantRecordSchema.optional(),
  /** create/rotate: SHA-256 (hex) of the new token, to recognise the TMS entry it produced. */
  tokenSha256: z.string().optional(),
  /** Set when the process running the saga gave up and left the entry for reconcile. */
  endedAt: z.string().optional(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

type TenantKey = { instanceId: string; tenant: string };

const REFUSAL_CODES: readonly ErrorCode[] = [
  'validation',
  'not-found',
  'conflict',
  'tenant-collision',
  'capacity-exceeded',
  'invalid-state',
  'settings-read-only',
];

// A crashed process may not be told apart from a live one with a recycled pid: past this age a
// journal entry is treated as abandoned whatever its pid.
const JOURNAL_STALE_MS = 60 * 60 * 1000;
// Journal entries from another host cannot be probed; give them this long.
const FOREIGN_JOURNAL_GRACE_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Helpers

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `{label}`, `{tenant}`, `{suffix}` replaced. */
export function fillGuiPattern(pattern: string, values: { label: string; tenant: string; suffix: string }): string {
  return pattern
    .replaceAll('{label}', values.label)
    .replaceAll('{tenant}', values.tenant)
    .replaceAll('{suffix}', values.suffix);
}

function hostToAscii(host: string): string | null {
  try {
    const u = new URL(`http://${host.trim()}/`);
    return u.hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** The tenant API URL: the instance API URL's scheme and port, the tenant's host. */
function tenantApiUrl(instance: Instance, apiDomain: string): string {
  const u = new URL(instance.apiUrl);
  return `${u.protocol}//${apiDomain}${u.port ? `:${u.port}` : ''}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Run `fn` over items, at most `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Service

/** The tenant lifecycle over records, keychain and TMS. */
export class TenantService {
  private readonly settings: SettingsStore;
  private readonly secrets: SecretStore;
  private readonly instances: TenantInstanceSource;
  private readonly capacity: CapacitySource;
  private readonly tms: TmsClientFactory;
  private readonly audit: AuditLog;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Uint8Array;
  private readonly dns: Resolver | undefined;
  private readonly clipboard: Clipboard | undefined;
  private readonly crashAfter: string | undefined;
  /** Journal ids of sagas running in this process. */
  private readonly active = new Set<string>();
  private clipboardTimer: NodeJS.Timeout | undefined;

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
    const hook = deps.crashAfter ?? process.env[CRASH_AFTER_ENV];
    this.crashAfter = hook?.trim() ? hook.trim() : undefined;
  }

  // ----------------------------------------------------------------------------- reading

  /** Tenant records, optionally of one instance, sorted by instance then tenant. */
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    return this.records(this.fresh())
      .filter((r) => filter.instanceId === undefined || r.instanceId === filter.instanceId)
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId) || a.tenant.localeCompare(b.tenant));
  }

  /** One record; not-found when the console does not know the tenant. */
  async get(instanceId: string, tenant: string): Promise<TenantRecord> {
    return this.find(this.fresh(), { instanceId, tenant });
  }

  /** Pending journal entries (interrupted or running sagas). */
  journal(): JournalEntry[] {
    return this.journalOf(this.fresh());
  }

  // ----------------------------------------------------------------------------- preview

  /**
   * What a create would do with this domain: the tenant name, URLs, warnings, collisions and
   * capacity. `quick` checks the console's records only (cheap enough for every keystroke).
   */
  async preview(input: PreviewInput): Promise<TenantPreview> {
    const { instance } = await this.instances.get(input.instanceId);
    const plan = this.plan(instance, input.domain, input.guiDomain);
    const out: TenantPreview = {
      instanceId: instance.id,
      tenant: plan.ok ? plan.tenant : null,
      apiDomain: plan.ok ? plan.apiDomain : null,
      apiUrl: plan.ok ? plan.apiUrl : null,
      guiDomain: plan.ok ? plan.guiDomain : null,
      guiUrl: plan.ok ? plan.guiUrl : null,
      warnings: plan.ok ? plan.warnings : [],
      error: plan.ok ? null : plan.error,
      collisions: [],
      capacity: null,
    };
    if (!plan.ok) return out;
    out.collisions.push(...this.recordCollisions(this.fresh(), instance.id, plan.tenant, plan.apiDomain));
    if (input.quick) return out;

    const [tms, cap, dns] = await Promise.all([
      this.tmsCollision(instance.id, plan.tenant).catch((err: unknown) => ({ error: toConsoleError(err).message })),
      this.capacity.snapshot(instance.id),
      this.dns
        ? this.dns.resolve(plan.apiDomain).then(
            () => null,
            () => `${plan.apiDomain} does not resolve yet: add its DNS record before handing the tenant over.`,
          )
        : Promise.resolve(null),
    ]);
    if ('error' in tms) out.warnings.push(`The TMS could not be checked: ${tms.error}`);
    else if (tms.collision) out.collisions.push(tms.collision);
    if (cap.ok) {
      const es = cap.snapshot.tenants.find((t) => t.tenant === plan.tenant);
      if (es)
        out.collisions.push({ where: 'elasticsearch', detail: esCollisionDetail(instance.id, es.tenant, es.indices) });
      const admission = admitOneMore(cap.snapshot.room);
      out.capacity = {
        ok: admission.ok,
        room: cap.snapshot.room.room,
        binding: cap.snapshot.room.binding,
        message: admission.ok
          ? `Room for ${cap.snapshot.room.room} more tenant(s); ${cap.snapshot.room.binding} bind.`
          : admission.message,
      };
    } else {
      out.capacity = {
        ok: false,
        room: null,
        binding: null,
        message: `Capacity could not be checked: ${cap.error.message}`,
      };
    }
    if (dns) out.warnings.push(dns);
    return out;
  }

  // ----------------------------------------------------------------------------- create

  /**
   * Create a tenant, all or nothing: token in the keychain, entry in the TMS, record in the
   * settings. Refuses collisions and, unless an override reason is given, a full instance.
   */
  async create(input: CreateInput): Promise<TenantRecord> {
    const key = { instanceId: input.instanceId, tenant: '' };
    return this.audited('create', key, async () => {
      this.settings.assertWritable();
      const { instance } = await this.instances.get(input.instanceId);
      const email = input.email.trim();
      if (!z.email().safeParse(email).success)
        throw new ConsoleError('validation', 'A valid contact e-mail is required.');
      if (!Number.isInteger(input.tokenLifetimeDays) || input.tokenLifetimeDays < 1 || input.tokenLifetimeDays > 365) {
        throw new ConsoleError('validation', 'The token lifetime is a whole number of days from 1 to 365.');
      }
      const reason = input.capacityOverrideReason?.trim() ?? '';
      if (input.capacityOverrideReason !== undefined && reason.length < MIN_OVERRIDE_REASON) {
        throw new ConsoleError(
          'validation',
          `A capacity override needs a written reason of at least ${MIN_OVERRIDE_REASON} characters.`,
        );
      }
      const plan = this.plan(instance, input.domain, input.guiDomain);
      if (!plan.ok) throw new ConsoleError('validation', plan.error, { instanceId: instance.id });
      key.tenant = plan.tenant;
      const tenant = plan.tenant;

      // An interrupted create of the same tenant is finished (undone) first, so a retry succeeds.
      for (const entry of this.journalOf(this.fresh())) {
        if (entry.instanceId === instance.id && entry.tenant === tenant) await this.resolveJournal(entry);
      }

      const collisions = this.recordCollisions(this.fresh(), instance.id, tenant, plan.apiDomain);
      if (collisions.length)
        throw new ConsoleError('tenant-collision', collisions[0]!.detail, { instanceId: instance.id, tenant });
      const tms = await this.tms(instance.id);
      const inTms = await tms.getTenant(tenant);
      if (inTms) {
        throw new ConsoleError(
          'tenant-collision',
          `The TMS of instance ${instance.id} already has a tenant named ${tenant}, unknown to this console (see tenants reconcile).`,
          {
            instanceId: instance.id,
            tenant,
          },
        );
      }

      const cap = await this.capacity.snapshot(instance.id);
      let override: TenantRecord['capacityOverride'];
      if (cap.ok) {
        const es = cap.snapshot.tenants.find((t) => t.tenant === tenant);
        if (es)
          throw new ConsoleError('tenant-collision', esCollisionDetail(instance.id, tenant, es.indices), {
            instanceId: instance.id,
            tenant,
          });
        const admission = admitOneMore(cap.snapshot.room);
        if (!admission.ok) {
          if (!reason) {
            throw new ConsoleError(
              'capacity-exceeded',
              `Instance ${instance.id}: ${admission.message} Give a capacity override reason to create it anyway.`,
              {
                instanceId: instance.id,
                tenant,
              },
            );
          }
          override = { reason, at: this.now(), by: this.audit.userName() };
          await this.audit.record({
            action: 'override',
            instanceId: instance.id,
            tenant,
            outcome: 'ok',
            detail: `capacity override (${admission.reason} binding: ${admission.message}); reason: ${reason}`,
          });
        }
      } else if (!reason) {
        throw new ConsoleError(
          cap.error.code,
          `Capacity of instance ${instance.id} could not be checked (${cap.error.message}); give a capacity override reason to create the tenant anyway.`,
          {
            instanceId: instance.id,
            tenant,
          },
        );
      } else {
        override = { reason, at: this.now(), by: this.audit.userName() };
        await this.audit.record({
          action: 'override',
          instanceId: instance.id,
          tenant,
          outcome: 'ok',
          detail: `capacity not checked (${cap.error.message}); reason: ${reason}`,
        });
      }

      const created = this.clock();
      const record: TenantRecord = tenantRecordSchema.parse({
        instanceId: instance.id,
        tenant,
        apiDomain: plan.apiDomain,
        apiUrl: plan.apiUrl,
        guiDomain: plan.guiDomain,
        guiUrl: plan.guiUrl,
        email,
        createdAt: created.toISOString(),
        tokenExpiresAt: addDays(created, input.tokenLifetimeDays).toISOString(),
        state: 'registered',
        warnings: plan.warnings,
        ...(override ? { capacityOverride: override } : {}),
      });
      return this.runCreate(tms, record);
    });
  }

  private async runCreate(tms: TmsClient, record: TenantRecord): Promise<TenantRecord> {
    const token = this.newToken();
    const key = { instanceId: record.instanceId, tenant: record.tenant };
    const account = accountFor.token(key.instanceId, key.tenant);
    const entry: JournalEntry = {
      id: randomUUID(),
      op: 'create',
      instanceId: key.instanceId,
      tenant: key.tenant,
      startedAt: this.now(),
      step: 'journal',
      pid: process.pid,
      host: hostname(),
      tmsId: randomUUID(),
      record,
      tokenSha256: sha256(token),
    };

    // (1) journal, refused if another record or saga holds the name (checked inside the update).
    this.settings.update((draft) => {
      const clash = this.recordCollisions(draft, key.instanceId, key.tenant, record.apiDomain);
      if (clash.length) throw new ConsoleError('tenant-collision', clash[0]!.detail, key);
      draft.journal.push(entry);
    });
    this.active.add(entry.id);
    this.crashHook('journal');
    let done: 'none' | 'keychain' | 'tms' = 'none';
    try {
      // (2) keychain
      await this.secrets.set(account, token);
      done = 'keychain';
      this.setJournalStep(entry.id, 'keychain');
      this.crashHook('keychain');
      // (3) TMS
      await tms.postTenant({
        id: entry.tmsId!,
        name: key.tenant,
        installToken: token,
        email: record.email,
        created: record.createdAt,
        expire: record.tokenExpiresAt,
      });
      done = 'tms';
      this.setJournalStep(entry.id, 'tms');
      this.crashHook('tms');
      // (4) record + journal removal, one write
      this.settings.update((draft) => {
        draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== entry.id);
        draft.tenants.push(record);
      });
      this.crashHook('record');
      return record;
    } catch (err) {
      const e = toConsoleError(err);
      // No answer to the POST: the TMS may still store the tenant later, so the journal stays.
      const uncertain = done === 'keychain' && e.code === 'tms-unreachable';
      const undo = await this.undoCreate(
        tms,
        entry,
        token,
        done === 'none' ? 'none' : done === 'keychain' ? 'tms-attempted' : 'tms-done',
        uncertain,
      );
      const message = `${oneLine(e.message)}${undo ? ` ${undo}` : ' Nothing was created.'}`;
      throw new ConsoleError(e.code, message, { ...key, cause: err });
    } finally {
      this.active.delete(entry.id);
    }
  }

  /**
   * Compensate a failed create. Returns a note when something could not be undone (the journal
   * entry then stays for reconcile), or '' when everything was undone and the entry removed.
   */
  private async undoCreate(
    tms: TmsClient,
    entry: JournalEntry,
    token: string,
    stage: 'none' | 'tms-attempted' | 'tms-done',
    uncertain = false,
  ): Promise<string> {
    const problems: string[] = [];
    if (stage !== 'none') {
      try {
        // A failed or timed-out POST may still have stored the tenant: ask before deciding.
        const found = await tms.getTenant(entry.tenant);
        if (found && (found.installToken === token || (found.id !== null && found.id === entry.tmsId))) {
          await tms.deleteTenant(entry.tenant);
        }
      } catch (err) {
        problems.push(`the TMS entry could not be checked or removed (${toConsoleError(err).code})`);
      }
    }
    // Even a failed keychain set may have stored the token: always delete.
    try {
      await this.secrets.delete(accountFor.token(entry.instanceId, entry.tenant));
    } catch (err) {
      problems.push(`the keychain token could not be removed (${toConsoleError(err).code})`);
    }
    if (problems.length) {
      this.endJournal(entry.id, 'undo-incomplete');
      return `Partly undone: ${problems.join('; ')}; run "tenantctl tenants reconcile --repair" to finish.`;
    }
    if (uncertain) {
      this.endJournal(entry.id, 'tms-uncertain');
      return 'The keychain token was removed; the TMS gave no answer and may still store the tenant, so the operation stays pending: "tenantctl tenants reconcile --repair" (or a retry) settles it.';
    }
    try {
      this.settings.update((draft) => {
        draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== entry.id);
      });
    } catch {
      return 'Everything was undone, but the journal entry could not be removed; reconcile will clear it.';
    }
    return '';
  }

  // ----------------------------------------------------------------------------- tokens

  /** The installation token and where to use it (audited as 'reveal'). */
  async revealToken(instanceId: string, tenant: string): Promise<RevealedToken> {
    return this.audited('reveal', { instanceId, tenant }, async () => {
      const { record, token } = await this.tokenOf({ instanceId, tenant });
      return {
        instanceId,
        tenant,
        token,
        apiUrl: record.apiUrl,
        guiUrl: record.guiUrl,
        expiresAt: record.tokenExpiresAt,
      };
    });
  }

  /** The hand-over sheet (Markdown, holds the token; audited as 'reveal'). */
  async handoffSheet(instanceId: string, tenant: string): Promise<string> {
    return this.audited(
      'reveal',
      { instanceId, tenant },
      async () => {
        const { record, token } = await this.tokenOf({ instanceId, tenant });
        return renderHandoffSheet(record, token);
      },
      () => 'hand-over sheet',
    );
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
    return this.audited(
      'export',
      { instanceId, tenant },
      async () => {
        const { record, token } = await this.tokenOf({ instanceId, tenant });
        const sheet = renderHandoffSheet(record, token);
        if (!options.overwrite) {
          try {
            await writeFile(filePath, sheet, { mode: 0o600, flag: 'wx' });
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
              throw new ConsoleError('conflict', `${filePath} exists; choose another file or allow overwriting it.`, {
                instanceId,
                tenant,
              });
            }
            throw new ConsoleError(
              'validation',
              `Cannot write ${filePath} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
              { instanceId, tenant },
            );
          }
          await chmod(filePath, 0o600);
        } else {
          const tmp = join(dirname(filePath), `.${basename(filePath)}.${process.pid}.${randomUUID()}.tmp`);
          try {
            await writeFile(tmp, sheet, { mode: 0o600, flag: 'wx' });
            await chmod(tmp, 0o600);
            await rename(tmp, filePath);
          } catch (err) {
            await rm(tmp, { force: true });
            throw new ConsoleError(
              'validation',
              `Cannot write ${filePath} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
              { instanceId, tenant },
            );
          }
        }
        return { path: filePath };
      },
      (r) => `hand-over sheet written to ${r.path}`,
    );
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
    return this.audited(
      'copy',
      { instanceId, tenant },
      async () => {
        const clipboard = this.clipboard;
        if (!clipboard)
          throw new ConsoleError(
            'validation',
            'This shell has no clipboard: reveal the token or export the hand-over sheet instead.',
          );
        const { token } = await this.tokenOf({ instanceId, tenant });
        const seconds = options.clearAfterSeconds ?? this.fresh().preferences.clipboardClearSeconds;
        await clipboard.writeText(token);
        if (this.clipboardTimer) clearTimeout(this.clipboardTimer);
        this.clipboardTimer = undefined;
        if (seconds > 0) {
          this.clipboardTimer = setTimeout(() => {
            this.clipboardTimer = undefined;
            void (async () => {
              try {
                if ((await clipboard.readText()) === token) await clipboard.clear();
              } catch {
                // the clipboard went away (shell closing): nothing left to clear
              }
            })();
          }, seconds * 1000);
          this.clipboardTimer.unref?.();
        }
        return { clearsInSeconds: seconds };
      },
      (r) =>
        r.clearsInSeconds > 0 ? `clipboard clears in ${r.clearsInSeconds} s` : 'clipboard not cleared automatically',
    );
  }

  /** The operator handed the token over: state 'handed-over'. */
  async markHandedOver(instanceId: string, tenant: string): Promise<TenantRecord> {
    return this.audited('hand-over', { instanceId, tenant }, async () => {
      const record = this.find(this.fresh(), { instanceId, tenant });
      if (record.state === 'revoked' || record.state === 'installed') {
        throw new ConsoleError(
          'invalid-state',
          `Tenant ${tenant} on ${instanceId} is ${record.state}: there is no token to hand over.`,
          { instanceId, tenant },
        );
      }
      return this.updateRecord({ instanceId, tenant }, (r) => {
        r.state = 'handed-over';
        r.handedOverAt = this.now();
      });
    });
  }

  /**
   * A new token for a tenant not yet installed: TMS first (so the old token dies at once), then the
   * keychain. State goes back to 'registered' (the new token has not been handed over).
   */
  async rotate(
    instanceId: string,
    tenant: string,
    options: { tokenLifetimeDays?: number } = {},
  ): Promise<TenantRecord> {
    return this.audited('rotate', { instanceId, tenant }, async () => {
      this.settings.assertWritable();
      const record = this.find(this.fresh(), { instanceId, tenant });
      if (record.state === 'installed' || record.installedAt) {
        throw new ConsoleError(
          'invalid-state',
          `Tenant ${tenant} on ${instanceId} is installed: its installation token is spent and is not rotated (revoke it instead).`,
          { instanceId, tenant },
        );
      }
      if (record.state === 'revoked') {
        throw new ConsoleError(
          'invalid-state',
          `Tenant ${tenant} on ${instanceId} is revoked; delete it and create it again to issue a new token.`,
          { instanceId, tenant },
        );
      }
      this.refuseBusy(this.fresh(), { instanceId, tenant });
      const tms = await this.tms(instanceId);
      const token = this.newToken();
      const now = this.clock();
      const lifetimeMs = record.tokenExpiresAt
        ? new Date(record.tokenExpiresAt).getTime() - new Date(record.rotatedAt ?? record.createdAt).getTime()
        : null;
      const expiresAt =
        options.tokenLifetimeDays !== undefined
          ? addDays(now, options.tokenLifetimeDays).toISOString()
          : lifetimeMs !== null && lifetimeMs > 0
            ? new Date(now.getTime() + lifetimeMs).toISOString()
            : record.tokenExpiresAt;
      const entry = this.startJournal('rotate', { instanceId, tenant }, { tokenSha256: sha256(token) });
      try {
        const previous = await this.secrets.get(accountFor.token(instanceId, tenant));
        try {
          await tms.upsertTenant({
            id: randomUUID(),
            name: tenant,
            installToken: token,
            email: record.email,
            created: record.createdAt,
            expire: expiresAt,
          });
        } catch (err) {
          // Unknown whether the TMS took it: put the previous token back where possible.
          if (previous)
            await tms
              .upsertTenant({
                id: randomUUID(),
                name: tenant,
                installToken: previous,
                email: record.email,
                created: record.createdAt,
                expire: record.tokenExpiresAt,
              })
              .catch(() => undefined);
          throw err;
        }
        this.setJournalStep(entry.id, 'tms');
        try {
          await this.secrets.set(accountFor.token(instanceId, tenant), token);
        } catch (err) {
          if (previous) {
            await tms.upsertTenant({
              id: randomUUID(),
              name: tenant,
              installToken: previous,
              email: record.email,
              created: record.createdAt,
              expire: record.tokenExpiresAt,
            });
          }
          throw err;
        }
        this.setJournalStep(entry.id, 'keychain');
        return this.updateRecord(
          { instanceId, tenant },
          (r) => {
            r.rotatedAt = now.toISOString();
            r.tokenExpiresAt = expiresAt;
            r.state = 'registered';
            delete r.handedOverAt;
          },
          entry.id,
        );
      } catch (err) {
        await this.dropJournalIfConsistent(tms, entry);
        throw err;
      } finally {
        this.active.delete(entry.id);
      }
    });
  }

  /**
   * Kill the token everywhere (allowed at any time, installed or not): the TMS entry gets a new
   * random token nobody holds (never an empty one, which some Tracardi paths treat as "no check"),
   * the keychain entry is deleted, the record becomes 'revoked'.
   */
  async revoke(instanceId: string, tenant: string): Promise<TenantRecord> {
    return this.audited('revoke', { instanceId, tenant }, async () => {
      this.settings.assertWritable();
      const record = this.find(this.fresh(), { instanceId, tenant });
      this.refuseBusy(this.fresh(), { instanceId, tenant });
      const entry = this.startJournal('revoke', { instanceId, tenant });
      try {
        return await this.finishRevoke(record, entry.id);
      } catch (err) {
        // The TMS may have half-changed (a DELETE+POST replacement): the intent stays, so a later
        // repair finishes the revocation instead of putting the old token back.
        this.endJournal(entry.id);
        throw pendingError(err, 'revocation', { instanceId, tenant });
      } finally {
        this.active.delete(entry.id);
      }
    });
  }

  /**
   * Remove the tenant from the TMS, the keychain and the records. An installed tenant is refused
   * unless `force`. A TMS without DELETE refuses with tms-unsupported and nothing changes: the
   * operator removes the entry by hand, and the next delete finds it gone and completes.
   */
  async delete(input: { instanceId: string; tenant: string; force?: boolean }): Promise<{ deleted: string }> {
    const { instanceId, tenant } = input;
    return this.audited(
      'delete',
      { instanceId, tenant },
      async () => {
        this.settings.assertWritable();
        const record = this.find(this.fresh(), { instanceId, tenant });
        if ((record.state === 'installed' || record.installedAt) && !input.force) {
          throw new ConsoleError(
            'invalid-state',
            `Tenant ${tenant} on ${instanceId} is installed: deleting it removes the console's knowledge of a live tenant; use --force to delete anyway.`,
            {
              instanceId,
              tenant,
            },
          );
        }
        this.refuseBusy(this.fresh(), { instanceId, tenant });
        const entry = this.startJournal(
          'delete',
          { instanceId, tenant },
          input.force ? { step: 'journal-forced' } : {},
        );
        try {
          return await this.finishDelete(record, entry.id);
        } finally {
          this.active.delete(entry.id);
        }
      },
      () => 'deleted from the TMS, the keychain and the records',
    );
  }

  /** Store a verification result on the record; status 'installed' moves the state to installed. */
  async recordVerification(result: VerificationResult | VerificationResult[]): Promise<TenantRecord[]> {
    const results = Array.isArray(result) ? result : [result];
    if (results.length === 0) return [];
    const updated: TenantRecord[] = [];
    // One settings write for a whole batch: a fleet verification must not rewrite the file per tenant.
    this.settings.update((draft) => {
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
    return this.audited(
      'reconcile',
      { instanceId: '', tenant: '' },
      () => this.findDisagreements(),
      (r) => `${r.findings.length} finding(s)${r.notes.length ? `; ${r.notes.length} note(s)` : ''}`,
    );
  }

  /** Apply the repairs of the given findings (or every repairable one): the one-click repair. */
  async repair(findingIds: string[] | 'all'): Promise<RepairReport> {
    const report = await this.findDisagreements();
    const wanted =
      findingIds === 'all'
        ? report.findings.filter((f) => f.repairable)
        : report.findings.filter((f) => findingIds.includes(f.id));
    const applied: RepairOutcome[] = [];
    if (findingIds !== 'all') {
      for (const id of findingIds) {
        if (!report.findings.some((f) => f.id === id))
          applied.push({ id, ok: true, detail: 'no longer found: nothing to repair' });
      }
    }
    // Journal entries first: they explain (and settle) the other findings of the same tenant.
    wanted.sort((a, b) => Number(b.kind === 'pending-journal') - Number(a.kind === 'pending-journal'));
    const settled = new Set<string>();
    for (const f of wanted) {
      const key = `${f.instanceId}/${f.tenant}`;
      if (f.kind !== 'pending-journal' && settled.has(key)) {
        applied.push({ id: f.id, ok: true, detail: 'settled by the journal repair of the same tenant' });
        continue;
      }
      let outcome: RepairOutcome;
      try {
        if (!f.repairable) throw new ConsoleError('invalid-state', `Not repaired automatically: ${f.repair}`);
        const detail = await this.applyRepair(f);
        outcome = { id: f.id, ok: true, detail };
        if (f.kind === 'pending-journal') settled.add(key);
      } catch (err) {
        outcome = { id: f.id, ok: false, detail: oneLine(toConsoleError(err).message) };
      }
      applied.push(outcome);
      await this.audit.record({
        action: 'repair',
        instanceId: f.instanceId,
        tenant: f.tenant,
        outcome: outcome.ok ? 'ok' : 'failed',
        detail: `${f.kind}: ${outcome.detail}`,
      });
    }
    return { applied, after: await this.findDisagreements() };
  }

  private async findDisagreements(): Promise<ReconcileReport> {
    const settings = this.fresh();
    const records = this.records(settings);
    const journal = this.journalOf(settings);
    const accounts = (await this.secrets.list('token/'))
      .map(parseAccount)
      .filter((a): a is { type: 'token'; instanceId: string; tenant: string } => a?.type === 'token');
    const findings: ReconcileFinding[] = [];
    const notes: string[] = [];

    const instanceIds = new Set<string>([
      ...settings.instances.map((i) => i.id),
      ...records.map((r) => r.instanceId),
      ...journal.map((j) => j.instanceId),
      ...accounts.map((a) => a.instanceId),
    ]);
    const knownInstances = new Set(settings.instances.map((i) => i.id));

    for (const instanceId of [...instanceIds].sort()) {
      const recs = records.filter((r) => r.instanceId === instanceId);
      const jrn = journal.filter((j) => j.instanceId === instanceId);
      const accs = new Set(accounts.filter((a) => a.instanceId === instanceId).map((a) => a.tenant));
      const journaled = new Set(jrn.map((j) => j.tenant));
      const recorded = new Map(recs.map((r) => [r.tenant, r]));

      for (const j of jrn) {
        const live = this.journalLive(j);
        findings.push({
          id: `pending-journal:${instanceId}:${j.tenant}:${j.id}`,
          kind: 'pending-journal',
          instanceId,
          tenant: j.tenant,
          detail: `An interrupted ${j.op} of ${j.tenant} (started ${j.startedAt}, last step: ${j.step})${live ? ', still running in process ' + j.pid : ''}.`,
          repair: live ? `wait for process ${j.pid} to finish, then reconcile again` : journalRepairText(j),
          repairable: !live,
        });
      }

      // TMS view: one listing when the TMS has one, else one GET per name the console knows.
      let tms: TmsClient | null = null;
      let listing: Map<string, TmsTenant> | null = null;
      const tmsState = new Map<string, TmsTenant | null | 'unknown'>();
      if (knownInstances.has(instanceId)) {
        try {
          tms = await this.tms(instanceId);
          const listed = await tms.listTenants();
          if (listed) listing = new Map(listed.map((t) => [t.name, t]));
          else
            notes.push(
              `${instanceId}: this TMS has no tenant listing (GET /tenants), so entries only the TMS knows cannot be found.`,
            );
        } catch (err) {
          // Down, refusing the key, or failing: compare nothing rather than guess from errors.
          tms = null;
          notes.push(`${instanceId}: TMS not checked: ${oneLine(toConsoleError(err).message)}`);
        }
      } else {
        notes.push(`${instanceId}: no such instance in the settings; its TMS was not checked.`);
      }
      const names = [...new Set([...recorded.keys(), ...accs, ...journaled])].sort();
      if (tms) {
        const client = tms;
        await mapLimit(names, 8, async (name) => {
          if (listing) tmsState.set(name, listing.get(name) ?? null);
          else {
            try {
              tmsState.set(name, await client.getTenant(name));
            } catch {
              tmsState.set(name, 'unknown');
            }
          }
        });
        if ([...tmsState.values()].includes('unknown'))
          notes.push(`${instanceId}: some TMS entries could not be read; their TMS side was not compared.`);
      }

      for (const name of names) {
        if (journaled.has(name)) continue; // the journal finding covers this tenant
        const record = recorded.get(name);
        const hasToken = accs.has(name);
        const inTms = tms && tmsState.has(name) ? tmsState.get(name)! : 'unknown';
        const base = { instanceId, tenant: name };
        if (!record) {
          if (hasToken) {
            let tmsNote = '';
            if (inTms !== 'unknown' && inTms !== null) {
              const token = await this.secrets.get(accountFor.token(instanceId, name));
              tmsNote =
                token !== null && inTms.installToken === token ? ' and the TMS entry holding that same token' : '';
            }
            findings.push({
              ...base,
              id: `orphan-token:${instanceId}:${name}`,
              kind: 'orphan-token',
              detail: `The keychain holds a token for ${name} on ${instanceId} but the console has no record of it.`,
              repair: `delete the keychain token${tmsNote}`,
              repairable: true,
            });
          }
          continue;
        }
        if (record.state === 'revoked') {
          if (hasToken) {
            findings.push({
              ...base,
              id: `orphan-token:${instanceId}:${name}`,
              kind: 'orphan-token',
              detail: `${name} on ${instanceId} is revoked but the keychain still holds a token for it.`,
              repair: 'delete the keychain token and replace the TMS token with an unknown one',
              repairable: true,
            });
          }
          continue;
        }
        if (!hasToken) {
          findings.push({
            ...base,
            id: `record-without-token:${instanceId}:${name}`,
            kind: 'record-without-token',
            detail: `${name} on ${instanceId} has a record but no token in the keychain${inTms === null ? ' and no TMS entry' : ''}.`,
            repair: 'issue a fresh token to the TMS and the keychain (it must be handed over again)',
            repairable: inTms !== 'unknown',
          });
          continue;
        }
        if (inTms === 'unknown') continue;
        if (inTms === null) {
          findings.push({
            ...base,
            id: `missing-in-tms:${instanceId}:${name}`,
            kind: 'missing-in-tms',
            detail: `${name} on ${instanceId} has a record and a token but the TMS does not know it (an install would be refused).`,
            repair: 'add the tenant to the TMS with the keychain token',
            repairable: true,
          });
          continue;
        }
        const token = await this.secrets.get(accountFor.token(instanceId, name));
        if (token !== null && inTms.installToken !== token) {
          findings.push({
            ...base,
            id: `token-mismatch:${instanceId}:${name}`,
            kind: 'token-mismatch',
            detail: `The TMS holds a different installation token for ${name} on ${instanceId} than the keychain (the handed-over token would be refused).`,
            repair: 'store the keychain token in the TMS (the console is the source of truth)',
            repairable: true,
          });
        }
      }

      if (listing) {
        for (const name of [...listing.keys()].sort()) {
          if (recorded.has(name) || journaled.has(name) || accs.has(name)) continue;
          findings.push({
            instanceId,
            tenant: name,
            id: `tms-only:${instanceId}:${name}`,
            kind: 'tms-only',
            detail: `The TMS of ${instanceId} has a tenant ${name} that this console does not know.`,
            repair:
              'not repaired automatically (another console or tool may own it): remove it on the TMS by hand, or leave it',
            repairable: false,
          });
        }
      }
    }
    return { checkedAt: this.now(), findings, notes };
  }

  private async applyRepair(f: ReconcileFinding): Promise<string> {
    const settings = this.fresh();
    const key = { instanceId: f.instanceId, tenant: f.tenant };
    const account = accountFor.token(key.instanceId, key.tenant);
    switch (f.kind) {
      case 'pending-journal': {
        const journalId = f.id.split(':')[3];
        const entry = this.journalOf(settings).find((j) => j.id === journalId);
        if (!entry) return 'journal entry already gone';
        return this.resolveJournal(entry);
      }
      case 'orphan-token': {
        const record = this.records(settings).find((r) => r.instanceId === key.instanceId && r.tenant === key.tenant);
        const token = await this.secrets.get(account);
        let tmsDone = '';
        if (settings.instances.some((i) => i.id === key.instanceId)) {
          const tms = await this.tms(key.instanceId);
          const inTms = await tms.getTenant(key.tenant);
          if (record?.state === 'revoked' && inTms) {
            await tms.upsertTenant({
              id: randomUUID(),
              name: key.tenant,
              installToken: this.newToken(),
              email: record.email,
              created: record.createdAt,
              expire: record.tokenExpiresAt,
            });
            tmsDone = '; TMS token replaced by an unknown one';
          } else if (!record && inTms && token !== null && inTms.installToken === token) {
            await tms.deleteTenant(key.tenant);
            tmsDone = '; TMS entry with the same token removed';
          }
        }
        await this.secrets.delete(account);
        return `keychain token deleted${tmsDone}`;
      }
      case 'record-without-token':
      case 'missing-in-tms':
      case 'token-mismatch': {
        const record = this.find(settings, key);
        const tms = await this.tms(key.instanceId);
        let token = await this.secrets.get(account);
        const fresh = token === null;
        token ??= this.newToken();
        await tms.upsertTenant({
          id: randomUUID(),
          name: key.tenant,
          installToken: token,
          email: record.email,
          created: record.createdAt,
          expire: record.tokenExpiresAt,
        });
        if (fresh) {
          await this.secrets.set(account, token);
          if (record.state === 'handed-over') {
            await this.updateRecord(key, (r) => {
              r.state = 'registered';
              r.rotatedAt = this.now();
              delete r.handedOverAt;
            });
          }
          return 'fresh token issued to the TMS and the keychain';
        }
        return 'keychain token stored in the TMS';
      }
      case 'tms-only':
        throw new ConsoleError('invalid-state', f.repair);
    }
  }

  /**
   * Settle an interrupted saga. create: undone (the operator never saw it succeed), unless the TMS
   * cannot delete, in which case it is completed so the TMS entry has a record. rotate: completed
   * when the keychain already holds the new token, else the keychain token goes back to the TMS.
   * revoke and delete: completed (the operator asked for the token to die).
   */
  private async resolveJournal(entry: JournalEntry): Promise<string> {
    if (this.journalLive(entry)) {
      throw new ConsoleError(
        'conflict',
        `A ${entry.op} of ${entry.tenant} on ${entry.instanceId} is still running (process ${entry.pid} on ${entry.host}); try again when it ends.`,
        {
          instanceId: entry.instanceId,
          tenant: entry.tenant,
        },
      );
    }
    const key = { instanceId: entry.instanceId, tenant: entry.tenant };
    const account = accountFor.token(key.instanceId, key.tenant);
    const settings = this.fresh();
    const record = this.records(settings).find((r) => r.instanceId === key.instanceId && r.tenant === key.tenant);
    const instanceKnown = settings.instances.some((i) => i.id === key.instanceId);
    let result: string;
    switch (entry.op) {
      case 'create': {
        if (record) {
          result = 'record already written: journal entry cleared';
          break;
        }
        const token = await this.secrets.get(account);
        const ours = (t: TmsTenant) =>
          (entry.tmsId !== undefined && t.id === entry.tmsId) ||
          (t.installToken !== null &&
            entry.tokenSha256 !== undefined &&
            sha256(t.installToken) === entry.tokenSha256) ||
          (token !== null && t.installToken === token);
        let tmsNote = 'no TMS entry';
        if (instanceKnown) {
          const tms = await this.tms(key.instanceId);
          const inTms = await tms.getTenant(key.tenant);
          if (inTms && ours(inTms)) {
            try {
              await tms.deleteTenant(key.tenant);
              tmsNote = 'TMS entry removed';
            } catch (err) {
              if (!(err instanceof ConsoleError) || err.code !== 'tms-unsupported' || !entry.record) throw err;
              // The TMS keeps what the saga posted: complete the create so the console knows it.
              let live = token;
              if (live === null || inTms.installToken !== live) {
                live = this.newToken();
                await tms.upsertTenant({
                  id: randomUUID(),
                  name: key.tenant,
                  installToken: live,
                  email: entry.record.email,
                  created: entry.record.createdAt,
                  expire: entry.record.tokenExpiresAt,
                });
                await this.secrets.set(account, live);
              }
              this.settings.update((draft) => {
                draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== entry.id);
                draft.tenants.push(entry.record);
              });
              return 'the TMS cannot delete: create completed instead (record written)';
            }
          } else if (inTms) {
            tmsNote = 'TMS entry left alone (not the one this create posted)';
          }
        } else {
          tmsNote = 'instance gone: TMS not checked';
        }
        await this.secrets.delete(account);
        this.dropJournal(entry.id);
        result = `create undone (${tmsNote}, keychain token removed)`;
        break;
      }
      case 'rotate': {
        if (!record) {
          this.dropJournal(entry.id);
          result = 'no record: journal entry cleared';
          break;
        }
        const token = await this.secrets.get(account);
        if (token !== null && entry.tokenSha256 !== undefined && sha256(token) === entry.tokenSha256) {
          const tms = await this.tms(key.instanceId);
          await tms.upsertTenant({
            id: randomUUID(),
            name: key.tenant,
            installToken: token,
            email: record.email,
            created: record.createdAt,
            expire: record.tokenExpiresAt,
          });
          await this.updateRecord(
            key,
            (r) => {
              r.rotatedAt = entry.startedAt;
              r.state = 'registered';
              delete r.handedOverAt;
            },
            entry.id,
          );
          result = 'rotation completed (the new token is in the keychain and the TMS)';
        } else if (token !== null) {
          const tms = await this.tms(key.instanceId);
          await tms.upsertTenant({
            id: randomUUID(),
            name: key.tenant,
            installToken: token,
            email: record.email,
            created: record.createdAt,
            expire: record.tokenExpiresAt,
          });
          this.dropJournal(entry.id);
          result = 'rotation undone (the previous token is back in the TMS); rotate again';
        } else {
          this.dropJournal(entry.id);
          result = 'journal entry cleared; the record has no token (see record-without-token)';
        }
        break;
      }
      case 'revoke': {
        if (!record) {
          await this.secrets.delete(account);
          this.dropJournal(entry.id);
          result = 'no record: keychain token removed, journal entry cleared';
          break;
        }
        await this.finishRevoke(record, entry.id);
        result = 'revocation completed';
        break;
      }
      case 'delete': {
        if (!record) {
          await this.secrets.delete(account);
          this.dropJournal(entry.id);
          result = 'record already gone: keychain token removed, journal entry cleared';
          break;
        }
        await this.finishDelete(record, entry.id);
        result = 'deletion completed';
        break;
      }
    }
    return result;
  }

  private async finishRevoke(record: TenantRecord, journalId: string): Promise<TenantRecord> {
    const key = { instanceId: record.instanceId, tenant: record.tenant };
    const tms = await this.tms(key.instanceId);
    if (await tms.getTenant(key.tenant)) {
      await tms.upsertTenant({
        id: randomUUID(),
        name: key.tenant,
        installToken: this.newToken(),
        email: record.email,
        created: record.createdAt,
        expire: record.tokenExpiresAt,
      });
    }
    this.setJournalStep(journalId, 'tms');
    await this.secrets.delete(accountFor.token(key.instanceId, key.tenant));
    this.setJournalStep(journalId, 'keychain');
    return this.updateRecord(
      key,
      (r) => {
        r.state = 'revoked';
        r.revokedAt = this.now();
      },
      journalId,
    );
  }

  private async finishDelete(record: TenantRecord, journalId: string): Promise<{ deleted: string }> {
    const key = { instanceId: record.instanceId, tenant: record.tenant };
    const tms = await this.tms(key.instanceId);
    try {
      await tms.deleteTenant(key.tenant);
    } catch (err) {
      if (err instanceof ConsoleError && err.code === 'tms-unsupported') {
        // Nothing changed: keep record and token; the operator removes the TMS entry by hand and
        // a later delete finds it gone and completes.
        this.dropJournal(journalId);
        throw err;
      }
      this.endJournal(journalId);
      throw pendingError(err, 'deletion', key);
    }
    this.setJournalStep(journalId, 'tms');
    try {
      await this.secrets.delete(accountFor.token(key.instanceId, key.tenant));
    } catch (err) {
      this.endJournal(journalId);
      throw pendingError(err, 'deletion', key);
    }
    this.setJournalStep(journalId, 'keychain');
    this.settings.update((draft) => {
      draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== journalId);
      draft.tenants = draft.tenants.filter((t) => {
        const r = t as { instanceId?: unknown; tenant?: unknown };
        return !(r.instanceId === key.instanceId && r.tenant === key.tenant);
      });
    });
    return { deleted: key.tenant };
  }

  // ----------------------------------------------------------------------------- internals

  /**
   * The settings as on disk now: another shell (CLI, a crashed process) may have written since
   * this one loaded them. Uses the store's `reload()` when it has one.
   */
  private fresh(): SettingsFile {
    const store = this.settings as SettingsStore & { reload?: () => SettingsFile };
    return store.reload ? store.reload() : this.settings.read();
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** 32 CSPRNG bytes, base64url: 43 characters. */
  private newToken(): string {
    const bytes = this.random(TOKEN_BYTES);
    if (bytes.length !== TOKEN_BYTES)
      throw new ConsoleError('internal', 'The random source returned the wrong number of bytes.');
    const token = Buffer.from(bytes).toString('base64url');
    this.audit.rememberSecret(token);
    return token;
  }

  private crashHook(step: CreateStep): void {
    if (this.crashAfter === step) process.kill(process.pid, 'SIGKILL');
  }

  private records(settings: SettingsFile): TenantRecord[] {
    const out: TenantRecord[] = [];
    for (const raw of settings.tenants) {
      const parsed = tenantRecordSchema.safeParse(raw);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  private journalOf(settings: SettingsFile): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (const raw of settings.journal) {
      const parsed = journalEntrySchema.safeParse(raw);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  private find(settings: SettingsFile, key: TenantKey): TenantRecord {
    const found = this.records(settings).find((r) => r.instanceId === key.instanceId && r.tenant === key.tenant);
    if (!found)
      throw new ConsoleError(
        'not-found',
        `No tenant ${key.tenant.slice(0, 60)} on instance ${key.instanceId.slice(0, 63)}.`,
        key,
      );
    return found;
  }

  private async tokenOf(key: TenantKey): Promise<{ record: TenantRecord; token: string }> {
    const record = this.find(this.fresh(), key);
    if (record.state === 'revoked')
      throw new ConsoleError(
        'invalid-state',
        `Tenant ${key.tenant} on ${key.instanceId} is revoked: it has no token.`,
        key,
      );
    const token = await this.secrets.get(accountFor.token(key.instanceId, key.tenant));
    if (token === null) {
      throw new ConsoleError(
        'not-found',
        `The keychain holds no token for ${key.tenant} on ${key.instanceId}; run "tenantctl tenants reconcile" to repair it.`,
        key,
      );
    }
    this.audit.rememberSecret(token);
    return { record, token };
  }

  private journalLive(entry: JournalEntry): boolean {
    if (this.active.has(entry.id)) return true;
    if (entry.endedAt !== undefined) return false;
    const age = this.clock().getTime() - new Date(entry.startedAt).getTime();
    if (!(age < JOURNAL_STALE_MS)) return false;
    if (entry.host !== hostname()) return age < FOREIGN_JOURNAL_GRACE_MS;
    if (entry.pid === process.pid) return false; // ours, and not in `active`: a saga that died with its promise
    return pidAlive(entry.pid);
  }

  /** Conflict when a saga is running for the tenant; an interrupted one must be reconciled first. */
  private refuseBusy(settings: SettingsFile, key: TenantKey): void {
    const pending = this.journalOf(settings).find((j) => j.instanceId === key.instanceId && j.tenant === key.tenant);
    if (!pending) return;
    const live = this.journalLive(pending);
    throw new ConsoleError(
      'conflict',
      live
        ? `A ${pending.op} of ${key.tenant} on ${key.instanceId} is in progress (process ${pending.pid}); try again when it ends.`
        : `An interrupted ${pending.op} of ${key.tenant} on ${key.instanceId} is pending: run "tenantctl tenants reconcile --repair" first.`,
      key,
    );
  }

  private startJournal(op: JournalEntry['op'], key: TenantKey, extra: Partial<JournalEntry> = {}): JournalEntry {
    const entry: JournalEntry = {
      id: randomUUID(),
      op,
      instanceId: key.instanceId,
      tenant: key.tenant,
      startedAt: this.now(),
      step: 'journal',
      pid: process.pid,
      host: hostname(),
      ...extra,
    };
    this.settings.update((draft) => {
      const clash = this.journalOf(draft).find((j) => j.instanceId === key.instanceId && j.tenant === key.tenant);
      if (clash)
        throw new ConsoleError(
          'conflict',
          `A ${clash.op} of ${key.tenant} on ${key.instanceId} is already pending.`,
          key,
        );
      draft.journal.push(entry);
    });
    this.active.add(entry.id);
    return entry;
  }

  private setJournalStep(id: string, step: string): void {
    this.settings.update((draft) => {
      for (const j of draft.journal) {
        if (typeof j === 'object' && j !== null && (j as { id?: unknown }).id === id)
          (j as { step: string }).step = step;
      }
    });
  }

  /** Leave the entry for reconcile, marked as no longer running (so no one waits for it). */
  private endJournal(id: string, step?: string): void {
    try {
      this.settings.update((draft) => {
        for (const j of draft.journal) {
          if (typeof j === 'object' && j !== null && (j as { id?: unknown }).id === id) {
            (j as { endedAt?: string }).endedAt = this.now();
            if (step) (j as { step: string }).step = step;
          }
        }
      });
    } catch {
      // the entry stays as it is; past its age or with its process gone it counts as ended anyway
    }
  }

  private dropJournal(id: string): void {
    this.settings.update((draft) => {
      draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== id);
    });
  }

  /** After a failed rotate: drop the journal entry when keychain and TMS agree again. */
  private async dropJournalIfConsistent(tms: TmsClient, entry: JournalEntry): Promise<void> {
    try {
      const token = await this.secrets.get(accountFor.token(entry.instanceId, entry.tenant));
      const inTms = await tms.getTenant(entry.tenant);
      if (token !== null && inTms && inTms.installToken === token) return this.dropJournal(entry.id);
    } catch {
      // could not tell: keep the entry for reconcile
    }
    this.endJournal(entry.id);
  }

  /** Change one record (and drop a journal entry) in one settings write. */
  private updateRecord(key: TenantKey, change: (r: TenantRecord) => void, dropJournalId?: string): TenantRecord {
    let out: TenantRecord | undefined;
    this.settings.update((draft) => {
      if (dropJournalId) draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== dropJournalId);
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

  private recordCollisions(
    settings: SettingsFile,
    instanceId: string,
    tenant: string,
    apiDomain: string,
  ): TenantPreview['collisions'] {
    const out: TenantPreview['collisions'] = [];
    const same = this.records(settings).find((r) => r.instanceId === instanceId && r.tenant === tenant);
    if (same) {
      out.push({
        where: 'records',
        detail:
          same.apiDomain === apiDomain
            ? `Tenant ${tenant} already exists on ${instanceId} (${same.apiDomain}, ${same.state}).`
            : `${apiDomain} derives the tenant ${tenant}, which ${same.apiDomain} already uses on ${instanceId}: one instance has one tenant per name.`,
      });
    }
    const pending = this.journalOf(settings).find((j) => j.instanceId === instanceId && j.tenant === tenant);
    if (pending && !same) {
      out.push({
        where: 'records',
        detail: this.journalLive(pending)
          ? `A ${pending.op} of tenant ${tenant} on ${instanceId} is in progress.`
          : `An interrupted ${pending.op} of tenant ${tenant} on ${instanceId} is pending (tenants reconcile settles it).`,
      });
    }
    return out;
  }

  private async tmsCollision(
    instanceId: string,
    tenant: string,
  ): Promise<{ collision: TenantPreview['collisions'][number] | null }> {
    const tms = await this.tms(instanceId);
    const found = await tms.getTenant(tenant);
    return {
      collision: found
        ? { where: 'tms', detail: `The TMS of ${instanceId} already has a tenant named ${tenant}.` }
        : null,
    };
  }

  /** Derive the tenant and its URLs from what the operator typed. */
  private plan(
    instance: Instance,
    domainInput: string,
    guiDomainInput: string | undefined,
  ):
    | {
        ok: true;
        tenant: string;
        apiDomain: string;
        apiUrl: string;
        guiDomain: string;
        guiUrl: string;
        warnings: string[];
      }
    | { ok: false; error: string } {
    const completed = completeTenantDomain(domainInput, instance.tenantDomainSuffix);
    const derived = deriveTenantName(completed);
    if (!derived.ok) return { ok: false, error: derived.error.message };
    const apiDomain = derived.asciiHost;
    const warnings = derived.warnings.map((w) => w.message);
    const suffix = instance.tenantDomainSuffix;
    if (!apiDomain.endsWith(`.${suffix}`))
      warnings.push(
        `${apiDomain} is not under this instance's tenant domain suffix ${suffix}: make sure its DNS points at ${instance.id}.`,
      );
    const label = apiDomain.split('.')[0]!;
    const domainSuffix = apiDomain.slice(label.length + 1);
    let guiUrl: string;
    let guiDomain: string;
    const filled = fillGuiPattern(instance.guiUrlPattern, { label, tenant: derived.tenant, suffix: domainSuffix });
    let patternUrl: URL | null = null;
    try {
      patternUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) ? filled : `https://${filled}`);
    } catch {
      patternUrl = null;
    }
    if (guiDomainInput?.trim()) {
      const ascii = hostToAscii(
        completeTenantDomain(
          guiDomainInput
            .trim()
            .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
            .replace(/\/.*$/, ''),
          suffix,
        ),
      );
      if (!ascii || !ascii.includes('.'))
        return { ok: false, error: `"${guiDomainInput.slice(0, 80)}" is not a valid GUI domain.` };
      guiDomain = ascii;
      guiUrl = `${patternUrl?.protocol ?? 'https:'}//${guiDomain}`;
    } else {
      if (!patternUrl)
        return {
          ok: false,
          error: `The GUI URL pattern of ${instance.id} ("${instance.guiUrlPattern}") does not give a valid URL.`,
        };
      guiDomain = patternUrl.hostname;
      guiUrl = filled.replace(/\/+$/, '');
    }
    return {
      ok: true,
      tenant: derived.tenant,
      apiDomain,
      apiUrl: tenantApiUrl(instance, apiDomain),
      guiDomain,
      guiUrl,
      warnings,
    };
  }

  /** Run an operator action and audit it: ok, refused (bad input, state) or failed. */
  private async audited<T>(
    action: AuditAction,
    key: TenantKey,
    fn: () => Promise<T>,
    describe?: (result: T) => string,
  ): Promise<T> {
    try {
      const result = await fn();
      await this.audit.record({
        action,
        ...this.auditKey(key),
        outcome: 'ok',
        ...(describe ? { detail: describe(result) } : {}),
      });
      return result;
    } catch (err) {
      const e = toConsoleError(err);
      const outcome: AuditOutcome = REFUSAL_CODES.includes(e.code) ? 'refused' : 'failed';
      await this.audit
        .record({ action, ...this.auditKey(key), outcome, detail: `${e.code}: ${oneLine(e.message)}` })
        .catch(() => undefined);
      throw err;
    }
  }

  private auditKey(key: TenantKey): { instanceId?: string; tenant?: string } {
    const out: { instanceId?: string; tenant?: string } = {};
    if (key.instanceId) out.instanceId = key.instanceId;
    if (key.tenant) out.tenant = key.tenant;
    return out;
  }
}

/** The error, with a note that the operation stays pending for reconcile. */
function pendingError(err: unknown, what: string, key: TenantKey): ConsoleError {
  const e = toConsoleError(err);
  return new ConsoleError(
    e.code,
    `${oneLine(e.message)} The ${what} stays pending: "tenantctl tenants reconcile --repair" finishes it.`,
    { ...key, cause: err },
  );
}

function esCollisionDetail(instanceId: string, tenant: string, indices: number): string {
  return `Elasticsearch of ${instanceId} already holds ${indices} index(es) of a tenant named ${tenant}: a new tenant of that name would adopt that data.`;
}

function journalRepairText(j: JournalEntry): string {
  switch (j.op) {
    case 'create':
      return 'undo the interrupted create (remove the TMS entry it posted and its keychain token); then create it again';
    case 'rotate':
      return 'complete the rotation if the keychain holds the new token, else put the keychain token back in the TMS';
    case 'revoke':
      return 'complete the revocation';
    case 'delete':
      return 'complete the deletion';
  }
}

/** The hand-over sheet: everything the tenant's administrator needs, and nothing else. */
export function renderHandoffSheet(record: TenantRecord, token: string): string {
  const expiry = record.tokenExpiresAt ? `${record.tokenExpiresAt} (UTC)` : 'does not expire';
  return [
    `# Tracardi tenant hand-over: ${record.tenant}`,
    '',
    'Keep this sheet secret: the installation token below lets anyone install this tenant.',
    '',
    `| | |`,
    `|---|---|`,
    `| Tenant | \`${record.tenant}\` |`,
    `| GUI URL | ${record.guiUrl} |`,
    `| API URL | ${record.apiUrl} |`,
    `| Installation token | \`${token}\` |`,
    `| Token expires | ${expiry} |`,
    '',
    '## Install the tenant',
    '',
    `1. Open the GUI URL: ${record.guiUrl}`,
    `   When it asks for the API, enter ${record.apiUrl}. The GUI shows "Installation required".`,
    '2. Paste the installation token into the "Installation token" field.',
    '3. Set the administrator e-mail and password ("Valid e-mail", "Password"), then press "Install".',
    '',
    `Contact: ${record.email}`,
    '',
  ].join('\n');
}
