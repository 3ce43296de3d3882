/**
 * Tenant records (what the console remembers of a tenant, never its token) and the result of
 * verifying a tenant's install status.
 */
import { z } from 'zod';

/** Lifecycle states the console records from operator actions and verification. */
export const TENANT_STATES = ['registered', 'handed-over', 'installed', 'revoked'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/** One status per verified tenant, with the evidence behind it. */
export const VERIFY_STATUSES = [
  'registered', // known to the console and the TMS, token not handed over, not installed
  'handed-over', // token handed over, not installed yet
  'installed', // schema_ok && admin_ok, and every expected index/alias/template exists
  'partial', // some of the tenant's artefacts exist, install not complete
  'misrouted', // a tenant domain resolves to another instance (or not to this one)
  'drift', // was installed, but lost indices/aliases/templates
  'unreachable', // could not tell: DNS failure, timeout, 5xx, connection refused
  'expired', // not installed and the token expired
  'unknown-to-instance', // the instance's install endpoint says it does not know the tenant
  'revoked', // token revoked, not installed
] as const;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];

export const tenantRecordSchema = z.object({
  instanceId: z.string(),
  tenant: z.string(),
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
});
export type TenantRecord = z.infer<typeof tenantRecordSchema>;

/** The list row of a record (its last verification only when it has the expected shape). */
export function toTenantRow(record: TenantRecord): TenantRow {
  const { instanceId, tenant, apiDomain, guiDomain, email, state } = record;
  const row: TenantRow = { instanceId, tenant, apiDomain, guiDomain, email, state };
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

export const tokenEvidenceSchema = z.object({
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  inKeychain: z.boolean(),
});
export type TokenEvidence = z.infer<typeof tokenEvidenceSchema>;

export const verificationResultSchema = z.object({
  instanceId: z.string(),
  tenant: z.string(),
  status: z.enum(VERIFY_STATUSES),
  /** One line that says why this status. */
  summary: z.string(),
  checkedAt: z.string(),
  evidence: z.object({
    dns: z.object({ api: dnsEvidenceSchema, gui: dnsEvidenceSchema }),
    install: installEvidenceSchema,
    es: esEvidenceSchema,
    token: tokenEvidenceSchema,
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
  .extend({ lastVerification: verificationSummarySchema.optional() });
export type TenantRow = z.infer<typeof tenantRowSchema>;
