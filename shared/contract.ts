/**
 * The one contract between the UI and the core: call name → argument schema → result type.
 * The preload, main's IPC handlers, the browser shell's HTTP transport and the renderer's client
 * are all derived from this map; nothing re-declares it.
 */
import { z } from 'zod';
import type { ConsoleErrorData } from './errors';
import { instanceIdSchema, SECRET_KINDS, type Instance, type SecretPresence } from './instance';
import type { CapacityOutcome } from './capacity';
import type { TenantRecord, TenantRow, VerificationResult } from './tenant';

/** Declares a call: its argument schema now, its result type through the phantom `result`. */
function call<A extends z.ZodType>(args: A) {
  return {
    returns<R>(): { args: A; result: R } {
      return { args, result: undefined as unknown as R };
    },
  };
}

const none = z.object({}).strict();
const byInstance = z.object({ id: instanceIdSchema }).strict();
const secretsInput = z.partialRecord(z.enum(SECRET_KINDS), z.string().min(1, 'an empty secret is not stored'));

/** What the UI sees of an instance: its settings, which secrets exist (never their values). */
export interface InstanceView {
  instance: Instance;
  /** Null when the keychain could not be asked: `keychainProblem` says why. */
  secrets: SecretPresence | null;
  /** The keychain is locked, missing or failing: the instance is listed, its secrets are unknown. */
  keychainProblem?: ConsoleErrorData;
  /** True when the operator turned TLS verification off for this instance: shown, never hidden. */
  tlsVerifyOff: boolean;
}

export interface ConnectionCheck {
  target: 'tracardi' | 'tms' | 'elasticsearch';
  ok: boolean;
  /** What was found (e.g. "Tracardi 0.9.0", "Elasticsearch 8.19.21, green") or why it failed. */
  detail: string;
  error?: ConsoleErrorData;
}

export interface TenantPreview {
  instanceId: string;
  /** Derived tenant name, or null when the domain is refused (then `error` says why). */
  tenant: string | null;
  apiDomain: string | null;
  apiUrl: string | null;
  guiDomain: string | null;
  guiUrl: string | null;
  warnings: string[];
  error: string | null;
  /** Where the same tenant name is already known: records, tms, elasticsearch. */
  collisions: { where: 'records' | 'tms' | 'elasticsearch'; detail: string }[];
  /** Capacity admission for one more tenant; null when not checked (quick preview). */
  capacity: { ok: boolean; room: number | null; binding: 'shards' | 'disk' | null; message: string } | null;
}

export interface RevealedToken {
  instanceId: string;
  tenant: string;
  token: string;
  apiUrl: string;
  guiUrl: string;
  expiresAt: string | null;
}

export interface ReconcileFinding {
  id: string;
  kind: string;
  instanceId: string;
  tenant: string;
  detail: string;
  repair: string;
}

export interface AuditEntry {
  time: string;
  user: string;
  action: string;
  instanceId?: string;
  tenant?: string;
  outcome: 'ok' | 'refused' | 'failed';
  detail?: string;
}

export interface VerifyJob {
  jobId: string;
  total: number;
  done: number;
  finished: boolean;
  results: VerificationResult[];
  error?: ConsoleErrorData;
}

export interface AppStatus {
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  settingsPath: string;
  readOnly: boolean;
  problems: string[];
  /** The shell can write the workstation clipboard itself (Electron); otherwise the page copies. */
  clipboard: boolean;
  clipboardClearSeconds: number;
  theme: 'system' | 'light' | 'dark';
}

/** The fleet report's formats. */
export const REPORT_FORMATS = ['csv', 'json'] as const;

/** The fleet report as a file the UI downloads (never a token in it). */
export interface FleetReportFile {
  fileName: string;
  contentType: string;
  /** Tenants in the report. */
  count: number;
  content: string;
}

const tenantRef = z
  .object({ instanceId: instanceIdSchema, tenant: z.string().regex(/^[a-z0-9]{3,40}$/, 'not a tenant name') })
  .strict();
const verifyScope = z.union([
  z.object({ fleet: z.literal(true) }).strict(),
  z.object({ instanceId: instanceIdSchema }).strict(),
  z.object({ selection: z.array(tenantRef).min(1).max(20_000) }).strict(),
]);

export const contract = {
  'app.status': call(none).returns<AppStatus>(),
  'preferences.set': call(
    z
      .object({
        clipboardClearSeconds: z.number().int().min(5).max(600).optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
      })
      .strict(),
  ).returns<{ clipboardClearSeconds: number; theme: 'system' | 'light' | 'dark' }>(),
  'capacity.snapshot': call(byInstance).returns<CapacityOutcome>(),
  /** Slim rows (last verification without its evidence); `tenants.get` has the full record. */
  'tenants.list': call(z.object({ instanceId: instanceIdSchema.optional() }).strict()).returns<TenantRow[]>(),
  /** One full record, with its last verification's evidence (an expanded row). */
  'tenants.get': call(tenantRef).returns<TenantRecord>(),
  'tenants.preview': call(
    z.object({ instanceId: instanceIdSchema, domain: z.string().max(300), quick: z.boolean().default(false) }).strict(),
  ).returns<TenantPreview>(),
  'tenants.create': call(
    z
      .object({
        instanceId: instanceIdSchema,
        domain: z.string().min(1, 'the tenant API domain is required').max(300),
        guiDomain: z.string().max(300).optional(),
        email: z.email('a valid contact e-mail is required'),
        tokenLifetimeDays: z
          .number()
          .int()
          .min(1, 'a token lives at least 1 day')
          .max(365, 'a token lives at most 365 days'),
        capacityOverrideReason: z.string().max(500).optional(),
      })
      .strict(),
  ).returns<TenantRecord>(),
  'tenants.revealToken': call(tenantRef).returns<RevealedToken>(),
  'tenants.copyToken': call(tenantRef).returns<{ clearsInSeconds: number }>(),
  'tenants.exportHandoff': call(tenantRef.extend({ path: z.string().min(1).optional() }).strict()).returns<{
    path: string;
  }>(),
  'tenants.markHandedOver': call(tenantRef).returns<TenantRecord>(),
  'tenants.rotate': call(tenantRef).returns<TenantRecord>(),
  'tenants.revoke': call(tenantRef).returns<TenantRecord>(),
  'tenants.delete': call(tenantRef.extend({ force: z.boolean().default(false) }).strict()).returns<{
    deleted: string;
  }>(),
  /** Every tenant's status, instance, token state, last verification and evidence, as CSV or JSON. */
  'tenants.report': call(
    z.object({ format: z.enum(REPORT_FORMATS), instanceId: instanceIdSchema.optional() }).strict(),
  ).returns<FleetReportFile>(),
  'tenants.reconcile': call(none).returns<ReconcileFinding[]>(),
  'tenants.repair': call(
    z.object({ findingIds: z.union([z.literal('all'), z.array(z.string()).min(1)]) }).strict(),
  ).returns<ReconcileFinding[]>(),
  'verify.start': call(
    z.object({ scope: verifyScope, concurrency: z.number().int().min(1).max(64).optional() }).strict(),
  ).returns<{ jobId: string; total: number }>(),
  'verify.poll': call(
    z.object({ jobId: z.string().uuid(), since: z.number().int().min(0).default(0) }).strict(),
  ).returns<VerifyJob>(),
  'audit.list': call(
    z
      .object({
        action: z.string().optional(),
        instanceId: instanceIdSchema.optional(),
        tenant: z.string().optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ).returns<AuditEntry[]>(),
  'instances.list': call(none).returns<InstanceView[]>(),
  'instances.get': call(byInstance).returns<InstanceView>(),
  'instances.add': call(
    z.object({ instance: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) }).strict(),
  ).returns<InstanceView>(),
  'instances.update': call(
    z
      .object({ id: instanceIdSchema, patch: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) })
      .strict(),
  ).returns<InstanceView>(),
  'instances.remove': call(z.object({ id: instanceIdSchema, force: z.boolean().default(false) }).strict()).returns<{
    removed: string;
  }>(),
  'instances.testConnection': call(
    z.object({ instance: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) }).strict(),
  ).returns<ConnectionCheck[]>(),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallArgs<N extends CallName> = z.input<Contract[N]['args']>;
export type ParsedArgs<N extends CallName> = z.output<Contract[N]['args']>;
export type CallResult<N extends CallName> = Contract[N]['result'];

/** Every call's answer on the wire: a value or an operator-facing error, never a stack. */
export type CallResponse<R = unknown> = { ok: true; value: R } | { ok: false; error: ConsoleErrorData };

/** The typed API a shell offers the renderer. */
export type ConsoleApi = { [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>> };

/** The names, for the preload: it exposes these and nothing else. */
export const CALL_NAMES = Object.keys(contract) as CallName[];

/** True for a string that names a call (own keys only: `__proto__` and friends are not calls). */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Turn a zod failure into one line an operator can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
