/**
 * The one contract between the UI and the core: call name → argument schema → result schema, both
 * zod, the types inferred from them. The preload, main's IPC handlers, the browser shell's HTTP
 * transport and the renderer's client are all derived from this map; nothing re-declares it.
 *
 * Only calls the renderer makes belong here (`RENDERER_CALLS`): the CLI calls the services itself,
 * so a call no screen uses would be reachable from a page and tested by nobody.
 */
import { z } from 'zod';
import { capacityOutcomeSchema } from '../capacity/capacity';
import { MAX_PLACEMENT_COUNT, placementReportSchema } from '../capacity/placement-shapes';
import { HISTORY_RANGES } from '../capacity/capacity-history';
import { headroomRowSchema, historyViewSchema } from '../capacity/capacity-forecast';
import { MAX_CHART_POINTS, MIN_CHART_POINTS } from '../capacity/history-chart-series';
import type { ConsoleErrorData } from '../errors/errors';
import { discoveryReportSchema } from '../tenants/adoption';
import type { RendererCall } from './call-names';
import { ENVIRONMENTS, instanceIdSchema, SECRET_KINDS, TRACARDI_VERSIONS } from '../instances/instance';
import { isoTimeSchema } from '../text/iso-time';
import { versionTextSchema } from '../team/registry';
import { ruledText, safeText } from '../text/safe-text';
import { contactEmailProblem, overrideReasonProblem, secretLengthProblem, tokenProblem } from '../text/input-rules';
import { installSchemaWords } from '../text/schema-words';
import { tenantRecordSchema, tenantRowSchema } from '../tenants/tenant';
import { versionCheckSchema } from '../instances/version-check';
import {
  appStatusSchema,
  auditEntrySchema,
  chainReportSchema,
  connectionCheckSchema,
  moveInReportSchema,
  registryStatusSchema,
  fleetReportFileSchema,
  handoffExportSchema,
  instanceInputSchema,
  instancePatchSchema,
  instanceSummarySchema,
  instanceViewSchema,
  preferencesViewSchema,
  reconcileFindingSchema,
  REPORT_FORMATS,
  revealedTokenSchema,
  tenantDetailsSchema,
  tenantPreviewSchema,
  THEME_CHOICES,
  verifyJobSchema,
} from './contract-shapes';
import { indexListingArgsSchema, indexListingSchema } from '../instances/index-listing';
import { keychainStatusSchema } from '../instances/keychain-status';
import { NOTIFICATION_CHOICES } from '../watch/notification-choice';
import { operatorInputSchema, operatorViewSchema } from '../team/operator';
import { watchAcknowledgeArgsSchema, watchAcksSchema } from '../watch/watch-acks';
import { WATCH_FEED_LIMIT, watchChangesSchema, watchStatusSchema } from '../watch/watch';
import { MAX_WATCH_INTERVAL_MINUTES, MIN_WATCH_INTERVAL_MINUTES } from '../watch/watch-intervals';

export * from './contract-shapes';

// zod's own messages ("Too big: …") never reach an operator: every parse words them (schema-words.ts).
installSchemaWords();

/** One call: what it takes and what it answers. */
function call<A extends z.ZodType, R extends z.ZodType>(args: A, result: R): { args: A; result: R } {
  return { args, result };
}

const none = z.object({}).strict();
const byInstance = z.object({ id: instanceIdSchema }).strict();
const secretsInput = z.partialRecord(
  z.enum(SECRET_KINDS),
  ruledText((v) => (v.length === 0 ? 'an empty secret is not stored' : secretLengthProblem('the secret', v))),
);

const tenantRef = z
  .object({ instanceId: instanceIdSchema, tenant: z.string().regex(/^[a-z0-9]{3,40}$/, 'not a tenant name') })
  .strict();
/** One tenant on one instance. */
export type TenantRef = z.infer<typeof tenantRef>;
/**
 * An action on a tenant with the version of the record the operator saw: refused when another
 * operator changed what matters since (the record is shown again), never applied to a record the
 * operator did not see.
 */
const tenantAction = tenantRef.extend({ expectedVersion: versionTextSchema.optional() }).strict();
const verifyScope = z.union([
  z.object({ fleet: z.literal(true) }).strict(),
  z.object({ instanceId: instanceIdSchema }).strict(),
  z.object({ selection: z.array(tenantRef).min(1).max(20_000) }).strict(),
]);

export const contract = {
  'app.status': call(none, appStatusSchema),
  'preferences.set': call(
    z
      .object({
        clipboardClearSeconds: z.number().int().min(5).max(600).optional(),
        theme: z.enum(THEME_CHOICES).optional(),
      })
      .strict(),
    preferencesViewSchema,
  ),
  /** The operator's name and e-mail (null: back to the default), kept in the settings file. */
  'operator.set': call(operatorInputSchema, operatorViewSchema),
  /** Whether the keychain answers now, and its service name (never a secret). */
  'app.keychain': call(none, keychainStatusSchema),
  'capacity.snapshot': call(byInstance, capacityOutcomeSchema),
  /** Where the next tenant(s) go: one ranking per version (or the one asked), refusals with reasons. */
  'capacity.place': call(
    z
      .object({
        version: z.enum(TRACARDI_VERSIONS).optional(),
        /** The environment the tenant is for (default production): only its instances are ranked. */
        environment: z.enum(ENVIRONMENTS).optional(),
        count: z
          .number()
          .int('the number of tenants is a whole number')
          .min(1, 'place at least 1 tenant')
          .max(MAX_PLACEMENT_COUNT, `place at most ${MAX_PLACEMENT_COUNT} tenants at once`)
          .default(1),
      })
      .strict(),
    z.array(placementReportSchema),
  ),
  /**
   * An instance's capacity history over a range (chart series, thinned to `points`: the plot's width
   * in pixels), growth from its cluster, forecast.
   */
  'capacity.history': call(
    z
      .object({
        id: instanceIdSchema,
        range: z.enum(HISTORY_RANGES).default('90d'),
        points: z.number().int().min(MIN_CHART_POINTS).max(MAX_CHART_POINTS).optional(),
      })
      .strict(),
    historyViewSchema,
  ),
  /** Every instance's last recorded figures against its limits, with its forecast (fleet overview). */
  'capacity.headroom': call(none, z.array(headroomRowSchema)),
  /** Slim rows (last verification without its evidence); `tenants.get` has the full record. */
  'tenants.list': call(z.object({ instanceId: instanceIdSchema.optional() }).strict(), z.array(tenantRowSchema)),
  /** The list's first rows and how many there are: what the first screen draws while the rest loads. */
  'tenants.head': call(
    z.object({ limit: z.number().int().min(1).max(1000) }).strict(),
    z.object({ rows: z.array(tenantRowSchema), total: z.number().int().nonnegative() }),
  ),
  /** One full record, with its last verification's evidence and whether this keychain holds its token (an expanded row). */
  'tenants.get': call(tenantRef, tenantDetailsSchema),
  'tenants.preview': call(
    z
      .object({
        instanceId: instanceIdSchema,
        domain: z.string().max(300),
        quick: z.boolean().default(false),
        /** A domain outside the instance's tenant domain suffix, on purpose (its DNS points at it). */
        outsideSuffix: z.boolean().optional(),
      })
      .strict(),
    tenantPreviewSchema,
  ),
  'tenants.create': call(
    z
      .object({
        instanceId: instanceIdSchema,
        domain: z.string().min(1, 'the tenant API domain is required').max(300),
        guiDomain: z.string().max(300).optional(),
        email: ruledText((v) => contactEmailProblem(v.trim(), true)),
        tokenLifetimeDays: z
          .number()
          .int()
          .min(1, 'a token lives at least 1 day')
          .max(365, 'a token lives at most 365 days'),
        capacityOverrideReason: ruledText((v) => overrideReasonProblem(v.trim())).optional(),
        outsideSuffix: z.boolean().optional(),
      })
      .strict(),
    tenantRecordSchema,
  ),
  'tenants.revealToken': call(tenantRef, revealedTokenSchema),
  'tenants.copyToken': call(tenantRef, z.object({ clearsInSeconds: z.number() })),
  'tenants.exportHandoff': call(tenantRef, handoffExportSchema),
  'tenants.markHandedOver': call(tenantAction, tenantRecordSchema),
  'tenants.rotate': call(tenantAction, tenantRecordSchema),
  'tenants.revoke': call(tenantAction, tenantRecordSchema),
  'tenants.delete': call(
    tenantAction.extend({ force: z.boolean().default(false) }).strict(),
    z.object({
      deleted: z.string(),
      /** Adopted (or single-tenant): only the record and keychain token went; TMS entry and data stay. */
      forgotten: z.literal(true).optional(),
    }),
  ),
  /** Tenants on the instance without a record, with their evidence (read-only). */
  'tenants.discover': call(byInstance, discoveryReportSchema),
  /** A record for a tenant that exists on the instance; nothing on the instance changes. */
  'tenants.adopt': call(
    tenantRef
      .extend({
        domain: safeText('the API domain').max(300).optional(),
        guiDomain: safeText('the GUI domain').max(300).optional(),
        email: ruledText((v) => contactEmailProblem(v.trim(), false)).optional(),
        /** The existing installation token: to the keychain only. */
        token: ruledText(tokenProblem).optional(),
      })
      .strict(),
    tenantRecordSchema,
  ),
  /** Local records from before the team registry: what was published, and the conflicts to choose on. */
  'tenants.moveIns': call(none, z.array(moveInReportSchema)),
  /** The operator's choice for a move-in conflict: keep the team's record, or write the local one over it. */
  'tenants.resolveMoveIn': call(
    tenantRef.extend({ keep: z.enum(['team', 'local']) }).strict(),
    z.object({ record: tenantRecordSchema.nullable() }),
  ),
  /**
   * Each instance's team registry: reachable, writable, since when; when this console last synced.
   * `sync`: bring every registry's cache up to date first (the window's read-only banner polls this
   * way, so a registry that went away or came back shows without a list refresh).
   */
  'registry.status': call(z.object({ sync: z.boolean().optional() }).strict(), z.array(registryStatusSchema)),
  /** Walk each instance's audit chain: the first entry edited, deleted or reordered. */
  'audit.verify': call(z.object({ instanceId: instanceIdSchema.optional() }).strict(), z.array(chainReportSchema)),
  /** Every tenant's status, instance, token state, last verification and evidence, as CSV or JSON. */
  'tenants.report': call(
    z.object({ format: z.enum(REPORT_FORMATS), instanceId: instanceIdSchema.optional() }).strict(),
    fleetReportFileSchema,
  ),
  /** Applies every automatic repair (the Run repair control); answers what is left for the operator. */
  'tenants.repair': call(
    z.object({ findingIds: z.union([z.literal('all'), z.array(z.string()).min(1)]) }).strict(),
    z.array(reconcileFindingSchema),
  ),
  'verify.start': call(
    z.object({ scope: verifyScope, concurrency: z.number().int().min(1).max(64).optional() }).strict(),
    z.object({ jobId: z.string(), total: z.number() }),
  ),
  'verify.poll': call(
    z.object({ jobId: z.string().uuid(), since: z.number().int().min(0).default(0) }).strict(),
    verifyJobSchema,
  ),
  'audit.list': call(
    z
      .object({
        action: z.string().optional(),
        instanceId: instanceIdSchema.optional(),
        tenant: z.string().optional(),
        outcome: auditEntrySchema.shape.outcome.optional(),
        /** Entries at or after this time. */
        since: isoTimeSchema.optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    z.array(auditEntrySchema),
  ),
  /** From the settings only: what every screen shows, and what the first screen waits for. */
  'instances.summaries': call(none, z.array(instanceSummarySchema)),
  /** The watch's schedule and the last round's outcome. */
  'watch.status': call(none, watchStatusSchema),
  /** Changes feed entries after the cursor `since` (0: the whole feed), oldest first. */
  'watch.changes': call(
    z
      .object({
        since: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(WATCH_FEED_LIMIT).default(WATCH_FEED_LIMIT),
      })
      .strict(),
    watchChangesSchema,
  ),
  /** Interval and pause/resume, stored in the settings file. */
  'watch.configure': call(
    z
      .object({
        intervalMinutes: z.number().int().min(MIN_WATCH_INTERVAL_MINUTES).max(MAX_WATCH_INTERVAL_MINUTES).optional(),
        paused: z.boolean().optional(),
        notifications: z.enum(NOTIFICATION_CHOICES).optional(),
      })
      .strict(),
    watchStatusSchema,
  ),
  /** Which feed entries the operator acknowledged (marked seen). */
  'watch.acknowledged': call(none, watchAcksSchema),
  /** Mark feed entries seen, by id or every one up to an id; kept in the data folder. */
  'watch.acknowledge': call(watchAcknowledgeArgsSchema, watchAcksSchema),
  /** One round now (paused or not); answers after it, with the status. */
  'watch.runNow': call(none, watchStatusSchema),
  /** With each instance's secret presence: asks the keychain. */
  'instances.list': call(none, z.array(instanceViewSchema)),
  'instances.add': call(
    z.object({ instance: instanceInputSchema, secrets: secretsInput.default({}) }).strict(),
    instanceViewSchema,
  ),
  'instances.update': call(
    z.object({ id: instanceIdSchema, patch: instancePatchSchema, secrets: secretsInput.default({}) }).strict(),
    instanceViewSchema,
  ),
  'instances.remove': call(
    z.object({ id: instanceIdSchema, force: z.boolean().default(false) }).strict(),
    z.object({ removed: z.string() }),
  ),
  'instances.testConnection': call(
    z.object({ instance: instanceInputSchema, secrets: secretsInput.default({}) }).strict(),
    z.array(connectionCheckSchema),
  ),
  /** Which Tracardi the saved instance reports against its version profile (one GET /info/version/details). */
  'instances.versionCheck': call(byInstance, versionCheckSchema),
  /** The connection test of a saved instance, with its stored settings and keychain secrets. */
  'instances.test': call(byInstance, z.array(connectionCheckSchema)),
  /** An instance's indices for a tenant or a pattern, with aliases and templates (read-only, bounded). */
  'instances.indices': call(indexListingArgsSchema, indexListingSchema),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallArgs<N extends CallName> = z.input<Contract[N]['args']>;
export type ParsedArgs<N extends CallName> = z.output<Contract[N]['args']>;
export type CallResult<N extends CallName> = z.output<Contract[N]['result']>;

/** Every call's answer on the wire: a value or an operator-facing error, never a stack. */
export type CallResponse<R = unknown> = { ok: true; value: R } | { ok: false; error: ConsoleErrorData };

/** The typed API a shell offers the renderer. */
export type ConsoleApi = { [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>> };

export { RENDERER_CALLS } from './call-names';

/** Compile-time proof that RENDERER_CALLS (call-names.ts) and the call map name the same calls. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callListMatchesContract: SameKeys<RendererCall, CallName> = true;
void callListMatchesContract;

/** True for a string that names a call (own keys only: `__proto__` and friends are not calls). */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export { describeIssues } from '../errors/errors';
