/**
 * The shapes the contract's calls take and return, as zod schemas (types inferred from them):
 * the instance as a UI sends it, and every result the UI receives that is not a domain type of its
 * own (tenant records, capacity snapshots and verification results live in tenant.ts and
 * capacity.ts). `contract.ts` puts them together into the call map.
 */
import { operatorStampSchema, operatorViewSchema } from '../team/operator';
import { registryHealthSchema } from '../team/registry';
import { z } from 'zod';
import { consoleErrorDataSchema } from '../errors/error-data';
import { isoTimeSchema } from '../text/iso-time';
import {
  esConnectionSchema,
  instanceFieldsSchema,
  instanceSchema,
  requireTmsUrl,
  SECRET_KINDS,
  TENANCY_MODES,
  tlsSchema,
  TRACARDI_VERSIONS,
  type InstancePatch,
} from '../instances/instance';
import { tenantKeySchema, tenantRecordSchema, verificationResultSchema } from '../tenants/tenant';
import { VERSION_CHECK_OUTCOMES } from '../instances/version-check';

/**
 * The instance as a UI sends it: the settings schema, except that TLS takes the CA as PEM text
 * (`caPem`), never a file path: main reads no file a caller names (only `tenantctl --ca-file`, the
 * operator's own process, sets `caFile`). Strict on `tls`, so a `caFile` is refused, not dropped.
 */
const uiTlsSchema = tlsSchema.omit({ caFile: true }).strict();
const instanceInputFieldsSchema = instanceFieldsSchema.extend({
  es: esConnectionSchema.extend({ tls: uiTlsSchema.default({ verify: true }) }),
});
export const instanceInputSchema = instanceInputFieldsSchema.superRefine(requireTmsUrl);

/**
 * The same fields, every one optional and WITHOUT defaults, nested objects too: a patch changes what
 * it names and nothing else (a default would silently reset a field the form does not show).
 */
function patchOf(schema: z.ZodObject, topLevel = true): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    let inner: z.ZodType = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    if (inner instanceof z.ZodObject) inner = patchOf(inner, false);
    // A top-level optional field may be sent as null: the update removes it (a single-tenant
    // instance drops its TMS URL, a tenant name is cleared); see mergePatch.
    shape[key] = topLevel && field instanceof z.ZodOptional ? inner.nullable() : inner.optional();
  }
  const patch = z.object(shape);
  return schema._zod.def.catchall instanceof z.ZodNever ? patch.strict() : patch;
}
/** What the UI may change: an `InstancePatch` that names no CA file. */
export type InstanceUiPatch = Omit<InstancePatch, 'es'> & {
  es?: Omit<NonNullable<InstancePatch['es']>, 'tls'> & {
    tls?: Omit<NonNullable<NonNullable<InstancePatch['es']>['tls']>, 'caFile'>;
  };
};
export const instancePatchSchema = patchOf(instanceInputFieldsSchema) as unknown as z.ZodType<InstanceUiPatch>;

export const secretPresenceSchema = z.record(z.enum(SECRET_KINDS), z.boolean());

export const INSTANCE_WARNING_CODES = [
  'tls-verify-off',
  'es-plaintext-credentials',
  'tms-plaintext',
  'es-secret-missing',
] as const;
export const instanceWarningSchema = z.object({ code: z.enum(INSTANCE_WARNING_CODES), message: z.string() });
export type InstanceWarning = z.infer<typeof instanceWarningSchema>;

/** What the UI sees of an instance: its settings, which secrets exist (never their values). */
/** An instance as the settings describe it: no keychain asked (what every screen needs). */
export const instanceSummarySchema = z.object({
  instance: instanceSchema,
  /** True when the operator turned TLS verification off for this instance: shown, never hidden. */
  tlsVerifyOff: z.boolean(),
  warnings: z.array(instanceWarningSchema),
});
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;

/** An instance with which of its secrets the keychain holds (the Instances screen and its form). */
export const instanceViewSchema = instanceSummarySchema.extend({
  /** Null when the keychain could not be asked: `keychainProblem` says why. */
  secrets: secretPresenceSchema.nullable(),
  /** The keychain is locked, missing or failing: the instance is listed, its secrets are unknown. */
  keychainProblem: consoleErrorDataSchema.optional(),
});
export type InstanceView = z.infer<typeof instanceViewSchema>;

/** What an instance says of its tenancy, where it tells (0.9's details, a 0.8.x version, a TMS that answers). */
export const detectedTenancySchema = z.object({
  mode: z.enum(TENANCY_MODES),
  /** Single-tenant: the tenant it names, when it names one. */
  tenantName: z.string().optional(),
  /** How it was told, in words. */
  how: z.string(),
});
export type DetectedTenancy = z.infer<typeof detectedTenancySchema>;

export const connectionCheckSchema = z.object({
  target: z.enum(['tracardi', 'tms', 'elasticsearch']),
  ok: z.boolean(),
  /** What was found (e.g. "Tracardi 0.9.0", "Elasticsearch 8.19.21, green") or why it failed. */
  detail: z.string(),
  error: consoleErrorDataSchema.optional(),
  tenancy: detectedTenancySchema.optional(),
  /** Tracardi: the version profile its answer fits, when that is not the one configured (the check failed). */
  versionProfile: z.enum(TRACARDI_VERSIONS).optional(),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

export const tenantPreviewSchema = z.object({
  instanceId: z.string(),
  /** Derived tenant name, or null when the domain is refused (then `error` says why). */
  tenant: z.string().nullable(),
  apiDomain: z.string().nullable(),
  apiUrl: z.string().nullable(),
  guiDomain: z.string().nullable(),
  guiUrl: z.string().nullable(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
  /** Where the same tenant name is already known: records, tms, elasticsearch. */
  collisions: z.array(z.object({ where: z.enum(['records', 'tms', 'elasticsearch']), detail: z.string() })),
  /** Capacity admission for one more tenant; null when not checked (quick preview). */
  capacity: z
    .object({
      ok: z.boolean(),
      room: z.number().nullable(),
      binding: z.enum(['shards', 'disk']).nullable(),
      message: z.string(),
    })
    .nullable(),
  /**
   * Which Tracardi the instance reports against its version profile (`mismatch`: a create is refused);
   * absent or null when not checked (quick preview).
   */
  version: z
    .object({ outcome: z.enum(VERSION_CHECK_OUTCOMES), message: z.string() })
    .nullable()
    .optional(),
});
export type TenantPreview = z.infer<typeof tenantPreviewSchema>;

/**
 * One tenant's full record and what this keychain says of its token (never the token): whether it
 * holds one, null when it could not be asked. The window offers the token actions from these
 * (shared/tenants/token-actions.ts).
 */
export const tenantDetailsSchema = tenantRecordSchema.extend({ tokenInKeychain: z.boolean().nullable() });
export type TenantDetails = z.infer<typeof tenantDetailsSchema>;

/** A token shown at the operator's request, with the record's URLs it goes with. */
export const revealedTokenSchema = tenantRecordSchema
  .pick({ instanceId: true, tenant: true, apiUrl: true, guiUrl: true })
  .extend({ token: z.string(), expiresAt: z.string().nullable() });
export type RevealedToken = z.infer<typeof revealedTokenSchema>;

/**
 * An exported hand-over sheet: written by main where the operator chose (Electron), or the sheet
 * itself for the page to download (browser shell: the operator's browser may be on another machine
 * than the server). The shell never logs or stores the content.
 */
export const handoffExportSchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal('file'), path: z.string() }),
  z.object({ saved: z.literal('download'), fileName: z.string(), content: z.string() }),
]);
export type HandoffExport = z.infer<typeof handoffExportSchema>;

/** One line of the audit log (audit-log.ts writes and reads these). */
export const auditEntrySchema = z.object({
  time: isoTimeSchema,
  user: z.string(),
  action: z.string(),
  instanceId: z.string().optional(),
  tenant: z.string().optional(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  detail: z.string().optional(),
  /** Present when the guard replaced a string that looked like a secret. */
  redacted: z.literal(true).optional(),
  /** Who, from which workstation (the name is also in `user`). Older lines have none. */
  operator: operatorStampSchema.optional(),
  /**
   * The entry's place in its instance's team audit chain; null: it could not be written there (the
   * registry was unreachable), so only this workstation's log has it. Absent on console-level entries.
   */
  team: z.number().int().min(1).nullable().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const verifyJobSchema = z.object({
  jobId: z.string(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  finished: z.boolean(),
  results: z.array(verificationResultSchema),
  error: consoleErrorDataSchema.optional(),
});
export type VerifyJob = z.infer<typeof verifyJobSchema>;

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export const preferencesViewSchema = z.object({
  clipboardClearSeconds: z.number(),
  theme: z.enum(THEME_CHOICES),
});

export const appStatusSchema = preferencesViewSchema.extend({
  shell: z.enum(['electron', 'browser', 'cli']),
  dataDir: z.string(),
  settingsPath: z.string(),
  readOnly: z.boolean(),
  problems: z.array(z.string()),
  /** The shell can write the workstation clipboard itself (Electron); otherwise the page copies. */
  clipboard: z.boolean(),
  /** Who is at this console: every change and audit entry carries this name and workstation. */
  operator: operatorViewSchema,
  /** The keychain this console holds tokens in: a record whose token holder names it is this console's. */
  keychain: z.string(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

/** One disagreement between records, keychain, TMS and journal, and what repair does about it. */
export const reconcileFindingSchema = z.object({
  /** Stable for the same disagreement: `<kind>:<instanceId>:<tenant>[:<journal id>]`. */
  id: z.string(),
  kind: z.string(),
  ...tenantKeySchema.shape,
  detail: z.string(),
  /** What `repair` will do, in words. */
  repair: z.string(),
  /** False when the repair needs the operator (then `repair` says what to do). */
  repairable: z.boolean(),
});

/** The fleet report's formats. */
export const REPORT_FORMATS = ['csv', 'json'] as const;

/** The fleet report as a file the UI downloads (never a token in it). */
export const fleetReportFileSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  /** Tenants in the report. */
  count: z.number(),
  content: z.string(),
});
export type FleetReportFile = z.infer<typeof fleetReportFileSchema>;

/** Per instance: where its team registry is, whether this console may change it, since when. */
export const registryStatusSchema = z.object({
  instanceId: z.string(),
  /** The scope the records live under (the instance's tenant domain suffix). */
  scope: z.string(),
  health: registryHealthSchema,
  /** When this console's cache last matched the registry (null: never). */
  syncedAt: isoTimeSchema.nullable(),
});
export type RegistryStatus = z.infer<typeof registryStatusSchema>;

/** Local records of a console from before the registry, published on first connect (tenants/move-in.ts). */
export const moveInReportSchema = z.object({
  published: z.array(tenantKeySchema),
  same: z.array(tenantKeySchema),
  conflicts: z.array(
    tenantKeySchema.extend({ local: tenantRecordSchema, team: tenantRecordSchema, differences: z.array(z.string()) }),
  ),
  waiting: z.array(z.object({ instanceId: z.string(), reason: z.string() })),
});
export type MoveInReportView = z.infer<typeof moveInReportSchema>;

/** An instance's audit chain walked from its first entry (`tenantctl audit verify`). */
export const chainReportSchema = z.object({
  instanceId: z.string(),
  entries: z.number().int().nonnegative(),
  /** Null when the chain is whole. */
  problem: z
    .object({ seq: z.number().int(), kind: z.enum(['edited', 'deleted', 'reordered']), detail: z.string() })
    .nullable(),
  /** Why the chain could not be read (then `entries` is 0 and `problem` null). */
  error: z.string().optional(),
});
export type ChainReportView = z.infer<typeof chainReportSchema>;
