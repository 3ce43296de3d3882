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
  'wrong-instance', // the instance's API URL is answered by another Tracardi (its identity differs)
  'drift', // was installed, but lost indices/aliases/templates
  'unreachable', // could not tell: DNS failure, timeout, 5xx, connection refused
  'expired', // not installed and the token expired
  'unknown-to-instance', // the instance's install endpoint says it does not know the tenant
  'revoked', // token revoked, not installed
] as const;
export type VerifyStatus = (typeof VERIFY_STATUSES)[number];

/** How much the console knows of an adopted tenant's installation token (see `adopted` below). */
export const ADOPTED_TOKEN_STATES = ['unknown', 'supplied', 'checked', 'issued'] as const;
export type AdoptedTokenState = (typeof ADOPTED_TOKEN_STATES)[number];

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
  /**
   * Set when the record was adopted (the tenant existed on the instance before the console knew it).
   * `token`: unknown (the console holds none), supplied (given by the operator, nothing could check
   * it), checked (it matched the TMS's install_token), issued (the console rotated it since).
   */
  adopted: z.object({ at: z.string(), by: z.string(), token: z.enum(ADOPTED_TOKEN_STATES) }).optional(),
});
export type TenantRecord = z.infer<typeof tenantRecordSchema>;

/** A verification result without its evidence or summary: what a list row shows. */
export type VerificationSummary = Pick<VerificationResult, 'status' | 'checkedAt'>;

/**
 * What `tenants.list` returns per tenant: what the list shows and searches (tenant, instance,
 * domains, e-mail, record state, last verification status and time), about half the bytes of a
 * record. The rest (URLs, dates, warnings, evidence) comes with `tenants.get` when a row is expanded.
 */
export type TenantRow = Pick<TenantRecord, 'instanceId' | 'tenant' | 'apiDomain' | 'guiDomain' | 'email' | 'state'> & {
  lastVerification?: VerificationSummary;
  /** Adopted, not created by the console. */
  adopted?: true;
};

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

export interface DnsEvidence {
  domain: string;
  addresses: string[];
  expected: string[];
  /** ok: resolves to the expected addresses; misrouted: resolves elsewhere; failed: no answer. */
  outcome: 'ok' | 'misrouted' | 'failed' | 'not-checked';
  /** Name of the other instance the domain points at, when it is one the console knows. */
  pointsAtInstance?: string;
  error?: string;
}

export interface InstallEvidence {
  outcome: 'installed' | 'not-installed' | 'unknown-tenant' | 'could-not-tell';
  httpStatus?: number;
  schemaOk?: boolean | null;
  adminOk?: boolean | null;
  formOk?: boolean | null;
  warnings?: string[];
  error?: string;
  durationMs?: number;
}

export interface EsEvidence {
  outcome: 'complete' | 'partial' | 'none' | 'could-not-tell';
  indicesExpected: number;
  indicesFound: number;
  aliasesExpected: number;
  aliasesFound: number;
  templatesExpected: number;
  templatesFound: number;
  /** Up to 20 names of missing artefacts, for the operator. */
  missing: string[];
  error?: string;
}

/** Who the console expects to answer on the instance's API URL (from its configuration). */
export interface ExpectedIdentity {
  /** The configured version family, e.g. `0.9.x`, and its db_version. */
  version: string;
  dbVersion: string;
  tenancy: 'multi-tenant' | 'single-tenant';
  /** Single-tenant: the one tenant it serves (TENANT_NAME or the version default). */
  name?: string;
  /** Multi-tenant 0.9: the tenant its `tenant` field must name for this tenant's Host. */
  tenant?: string;
}

/** Who answered `GET /info/version/details` (fields a version lacks are null). */
export interface AnsweredIdentity {
  name: string | null;
  tenant: string | null;
  version: string | null;
  dbVersion: string | null;
  multiTenant: boolean | null;
}

/**
 * The identity check: the instance's API URL must be answered by the Tracardi the console has
 * configured. `mismatch` is the `wrong-instance` verdict.
 */
export interface IdentityEvidence {
  outcome: 'match' | 'mismatch' | 'could-not-tell';
  expected: ExpectedIdentity;
  answered?: AnsweredIdentity;
  /** One line per difference between expected and answered. */
  mismatches: string[];
  /** Host sent with the request: the tenant's API domain, or null for a plain request to the API URL. */
  host: string | null;
  /** True when one answer served every tenant of the instance in the run (its answer ignores the Host). */
  perInstance: boolean;
  /** Single-tenant: set when this record names another tenant than the one the instance serves. */
  servesOnly?: string;
  error?: string;
}

export interface TokenEvidence {
  expiresAt: string | null;
  expired: boolean;
  inKeychain: boolean;
}

export interface VerificationResult {
  instanceId: string;
  tenant: string;
  status: VerifyStatus;
  /** One line that says why this status. */
  summary: string;
  checkedAt: string;
  evidence: {
    dns: { api: DnsEvidence; gui: DnsEvidence };
    install: InstallEvidence;
    es: EsEvidence;
    token: TokenEvidence;
    /** Absent on results stored before the identity check existed. */
    identity?: IdentityEvidence;
  };
}
