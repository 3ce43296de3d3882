/**
 * Tenant records (what the console remembers of a tenant, never its token) and the result of
 * verifying a tenant's install status.
 */
import { z } from 'zod';

// The word lists live in vocabulary.ts (zod-free, for screens that only show or filter by them).
export { TENANT_STATES, VERIFY_STATUSES, type TenantState, type VerifyStatus } from '../text/vocabulary';
import { TENANT_STATES, VERIFY_STATUSES } from '../text/vocabulary';
import { operatorStampSchema } from '../team/operator';
import { pendingOpSchema, tokenHolderSchema } from '../team/team';

/** How much the console knows of an adopted tenant's installation token (see `adopted` below). */
export const ADOPTED_TOKEN_STATES = ['unknown', 'supplied', 'checked', 'issued'] as const;
export type AdoptedTokenState = (typeof ADOPTED_TOKEN_STATES)[number];

/** Which tenant: its instance and its name (the key of a record, a verification, a token). */
export const tenantKeySchema = z.object({ instanceId: z.string(), tenant: z.string() });
export type TenantKey = z.infer<typeof tenantKeySchema>;

export const tenantRecordSchema = tenantKeySchema.extend({
  /** ASCII (punycode) API host, e.g. company-x.instance1.domain.com */
  apiDomain: z.string(),
  apiUrl: z.string(),
  guiDomain: z.string(),
  guiUrl: z.string(),
  email: z.string(),
  createdAt: z.string(),
  tokenExpiresAt: z.string().nullable(),
  state: z.enum(TENANT_STATES),
  handedOverAt: z.string().optional(),
  rotatedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  installedAt: z.string().optional(),
  /** Set when the operator overrode a capacity refusal: the written reason is kept. */
  capacityOverride: z.object({ reason: z.string(), at: z.string(), by: z.string() }).optional(),
  /** Derivation warnings at creation (e.g. digits a letters-only Tracardi would drop). */
  warnings: z.array(z.string()).default([]),
  lastVerification: z.unknown().optional(),
  /**
   * Set when the record was adopted (the tenant existed on the instance before the console knew it).
   * `token`: unknown (the console holds none), supplied (given by the operator, nothing could check
   * it), checked (it matched the TMS's install_token), issued (the console rotated it since).
   */
  adopted: z.object({ at: z.string(), by: z.string(), token: z.enum(ADOPTED_TOKEN_STATES) }).optional(),
  // From the team registry (shared/team/registry.ts): who created and last changed the record, what that
  // change was, who holds the token, a change under way, and the version an update is conditional on.
  createdBy: operatorStampSchema.optional(),
  updatedBy: operatorStampSchema.optional(),
  updatedAt: z.string().optional(),
  lastChange: z.string().optional(),
  tokenHolder: tokenHolderSchema.optional(),
  pendingOp: pendingOpSchema.optional(),
  version: z.string().optional(),
});
export type TenantRecord = z.infer<typeof tenantRecordSchema>;

/** The list row of a record (its last verification only when it has the expected shape). */
export function toTenantRow(record: TenantRecord): TenantRow {
  const { instanceId, tenant, apiDomain, guiDomain, email, state } = record;
  const row: TenantRow = { instanceId, tenant, apiDomain, guiDomain, email, state };
  if (record.adopted) row.adopted = true;
  const v = record.lastVerification as Partial<VerificationResult> | null | undefined;
  if (typeof v === 'object' && v !== null && typeof v.status === 'string' && typeof v.checkedAt === 'string')
    row.lastVerification = { status: v.status, checkedAt: v.checkedAt };
  return row;
}

export const dnsEvidenceSchema = z.object({
  domain: z.string(),
  addresses: z.array(z.string()),
  expected: z.array(z.string()),
  /** ok: resolves to the expected addresses; misrouted: resolves elsewhere; failed: no answer. */
  outcome: z.enum(['ok', 'misrouted', 'failed', 'not-checked']),
  /** Name of the other instance the domain points at, when it is one the console knows. */
  pointsAtInstance: z.string().optional(),
  error: z.string().optional(),
});
export type DnsEvidence = z.infer<typeof dnsEvidenceSchema>;

export const installEvidenceSchema = z.object({
  outcome: z.enum(['installed', 'not-installed', 'unknown-tenant', 'could-not-tell']),
  httpStatus: z.number().optional(),
  schemaOk: z.boolean().nullable().optional(),
  adminOk: z.boolean().nullable().optional(),
  formOk: z.boolean().nullable().optional(),
  warnings: z.array(z.string()).optional(),
  /**
   * Tracardi 0.9's MySQL database, where the answer tells: `not-created` before the instance's first
   * install (every field false, no warning), `unreachable` when GET /install fails with the driver's error.
   */
  database: z.enum(['not-created', 'unreachable']).optional(),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});
export type InstallEvidence = z.infer<typeof installEvidenceSchema>;

export const esEvidenceSchema = z.object({
  outcome: z.enum(['complete', 'partial', 'none', 'could-not-tell']),
  indicesExpected: z.number(),
  indicesFound: z.number(),
  aliasesExpected: z.number(),
  aliasesFound: z.number(),
  templatesExpected: z.number(),
  templatesFound: z.number(),
  /** Up to 20 names of missing artefacts, for the operator. */
  missing: z.array(z.string()),
  error: z.string().optional(),
});
export type EsEvidence = z.infer<typeof esEvidenceSchema>;

/** Who the console expects to answer on the instance's API URL (from its configuration). */
export const expectedIdentitySchema = z.object({
  /** The configured version family, e.g. `0.9.x`, and its db_version. */
  version: z.string(),
  dbVersion: z.string(),
  tenancy: z.enum(['multi-tenant', 'single-tenant']),
  /** Single-tenant: the one tenant it serves (TENANT_NAME or the version default). */
  name: z.string().optional(),
  /** Multi-tenant 0.9: the tenant its `tenant` field must name for this tenant's Host. */
  tenant: z.string().optional(),
});
export type ExpectedIdentity = z.infer<typeof expectedIdentitySchema>;

/** Who answered `GET /info/version/details` (fields a version lacks are null). */
export const answeredIdentitySchema = z.object({
  name: z.string().nullable(),
  tenant: z.string().nullable(),
  version: z.string().nullable(),
  dbVersion: z.string().nullable(),
  multiTenant: z.boolean().nullable(),
});
export type AnsweredIdentity = z.infer<typeof answeredIdentitySchema>;

/**
 * The identity check: the instance's API URL must be answered by the Tracardi the console has
 * configured. `mismatch` is the `wrong-instance` verdict.
 */
export const identityEvidenceSchema = z.object({
  outcome: z.enum(['match', 'mismatch', 'could-not-tell']),
  expected: expectedIdentitySchema,
  answered: answeredIdentitySchema.optional(),
  /** One line per difference between expected and answered. */
  mismatches: z.array(z.string()),
  /** Host sent with the request: the tenant's API domain, or null for a plain request to the API URL. */
  host: z.string().nullable(),
  /** True when one answer served every tenant of the instance in the run (its answer ignores the Host). */
  perInstance: z.boolean(),
  /** Single-tenant: set when this record names another tenant than the one the instance serves. */
  servesOnly: z.string().optional(),
  error: z.string().optional(),
});
export type IdentityEvidence = z.infer<typeof identityEvidenceSchema>;

export const tokenEvidenceSchema = z.object({
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  inKeychain: z.boolean(),
});
export type TokenEvidence = z.infer<typeof tokenEvidenceSchema>;

export const verificationResultSchema = tenantKeySchema.extend({
  status: z.enum(VERIFY_STATUSES),
  /** One line that says why this status. */
  summary: z.string(),
  checkedAt: z.string(),
  evidence: z.object({
    dns: z.object({ api: dnsEvidenceSchema, gui: dnsEvidenceSchema }),
    install: installEvidenceSchema,
    es: esEvidenceSchema,
    token: tokenEvidenceSchema,
    /** Absent on results stored before the identity check existed. */
    identity: identityEvidenceSchema.optional(),
  }),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

/** A verification result without its evidence or summary: what a list row shows. */
export const verificationSummarySchema = verificationResultSchema.pick({ status: true, checkedAt: true });
export type VerificationSummary = z.infer<typeof verificationSummarySchema>;

/**
 * What `tenants.list` returns per tenant: what the list shows and searches (tenant, instance,
 * domains, e-mail, record state, last verification status and time), about half the bytes of a
 * record. The rest (URLs, dates, warnings, evidence) comes with `tenants.get` when a row is expanded.
 */
export const tenantRowSchema = tenantRecordSchema
  .pick({ instanceId: true, tenant: true, apiDomain: true, guiDomain: true, email: true, state: true })
  .extend({
    lastVerification: verificationSummarySchema.optional(),
    /** Adopted, not created by the console. */
    adopted: z.literal(true).optional(),
  });
export type TenantRow = z.infer<typeof tenantRowSchema>;
