/**
 * The tenant lifecycle's public types and constants, and the schema of the saga journal kept in the
 * settings file.
 */
import { z } from 'zod';
import type { FoundTenant } from '../../../shared/tenants/adoption';
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { Instance } from '../../../shared/instances/instance';
import { tenantKeySchema, tenantRecordSchema } from '../../../shared/tenants/tenant';
import type { AuditLog } from '../audit-log';
import type { Resolver } from '../dns';
import type { SecretStore } from '../keychain';
import type { OperatorStamp } from '../../../shared/team/operator';
import type { ChangeDraft } from '../../../shared/watch/watch-detect';
import type { InstanceRegistry } from '../registry';
import type { SettingsStore } from '../settings-store';
import type { TmsClientFactory } from '../tms-client';
import type { VersionProbe } from '../identity';

/** The workstation clipboard (Electron provides it; the CLI has none). */
export interface Clipboard {
  writeText(text: string): void | Promise<void>;
  readText(): string | Promise<string>;
  clear(): void | Promise<void>;
}

export interface TenantInstanceSource {
  get(id: string): Promise<{ instance: Instance }>;
  list(): Promise<{ instance: Instance }[]>;
}

export interface CapacitySource {
  snapshot(instanceId: string): Promise<CapacityOutcome>;
}

/** What adoption asks discovery: one tenant as it is on the instance now (null: not on it). */
export interface AdoptionDiscovery {
  discoverTenant(instance: Instance, tenant: string): Promise<FoundTenant | null>;
}

export interface TenantServiceDeps {
  /** Preferences (the clipboard clear time) and the records of consoles from before the registry. */
  settings: SettingsStore;
  /** Each instance's team registry: where records live (main/services/registry). */
  registry: { of(instanceId: string): Promise<InstanceRegistry> };
  /** Who is at this console: the stamp every change and audit entry carries. */
  stamp: () => OperatorStamp;
  /** The keychain this console holds tokens in (`<os user>@<host>/<service>`). */
  keychainId: string;
  /** Where another operator's changes, seen by a sync, are reported (the Changes feed). */
  teamChanges?: (drafts: ChangeDraft[]) => void;
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
  /** Discovery, for adopt (it checks the tenant is on the instance and reads its evidence). */
  discovery?: AdoptionDiscovery;
  /** Which Tracardi an instance reports: create and preview refuse another profile's version (none: not checked). */
  versions?: VersionProbe;
}

export const CREATE_STEPS = ['journal', 'keychain', 'tms', 'record'] as const;
export type CreateStep = (typeof CREATE_STEPS)[number];

export const MIN_OVERRIDE_REASON = 10;
export const TOKEN_BYTES = 32;

export interface PreviewInput {
  instanceId: string;
  domain: string;
  guiDomain?: string;
  /** Records only: no TMS, Elasticsearch or DNS call (for every keystroke). */
  quick?: boolean;
  /** A domain outside the instance's tenant domain suffix, on purpose (its DNS points at the instance). */
  outsideSuffix?: boolean;
}

/** The contract's shapes: the service returns exactly what the UI receives. */
export type { RevealedToken, TenantPreview } from '../../../shared/contract/contract';

export interface CreateInput {
  instanceId: string;
  domain: string;
  guiDomain?: string;
  email: string;
  tokenLifetimeDays: number;
  capacityOverrideReason?: string;
  /** A domain outside the instance's tenant domain suffix, on purpose (its DNS points at the instance). */
  outsideSuffix?: boolean;
}

export const FINDING_KINDS = [
  'record-without-token',
  'orphan-token',
  'missing-in-tms',
  'token-mismatch',
  'tms-only',
  'pending-journal',
  'superseded-token',
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

// Journal entries of consoles from before the team registry, in settings.journal (a passthrough array
// the settings store keeps as is): published to the registry as the tenant's pending change (move-in.ts).
export const journalEntrySchema = z.object({
  id: z.string(),
  op: z.enum(['create', 'rotate', 'revoke', 'delete']),
  ...tenantKeySchema.shape,
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

export type { TenantKey } from '../../../shared/tenants/tenant';
