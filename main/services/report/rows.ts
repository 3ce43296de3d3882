/**
 * The fleet report's rows: one per tenant record, built from an allow-list of the record's fields
 * (never a spread of it), so nothing the record or its verification may carry later, least of all
 * a token, reaches the report unless a line here names it.
 */
import type { Environment } from '../../../shared/instances/instance';
import type { TenantRecord, TenantState, VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';
import { factsOf, tokenState as sharedTokenState } from '../../../shared/tenants/token-actions';

/**
 * What the installation token is now, from the record and the keychain (never its value):
 *   valid    in the keychain, not expired, not used
 *   expired  past its expiry, never used
 *   spent    used for the install (Tracardi takes it once)
 *   revoked  revoked by the operator
 *   missing  the record expects one in this keychain but it holds none (reconcile repairs it)
 *   elsewhere  another operator's keychain holds it (`tokenHeldBy` names them)
 *   unknown  the keychain could not be asked
 */
export type TokenState = 'valid' | 'expired' | 'spent' | 'revoked' | 'missing' | 'elsewhere' | 'unknown';

/** The last verification's evidence, each part in one line. */
export interface ReportEvidence {
  summary: string;
  dnsApi: string;
  dnsGui: string;
  install: string;
  elasticsearch: string;
}

export interface FleetReportRow {
  instanceId: string;
  instanceName: string;
  environment: Environment | null;
  tenant: string;
  apiDomain: string;
  guiDomain: string;
  email: string;
  /** The record's lifecycle state. */
  status: TenantState;
  tokenState: TokenState;
  /** Who holds the current token (the team registry's record), or null. */
  tokenHeldBy: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
  handedOverAt: string | null;
  installedAt: string | null;
  /** When the tenant was last verified, and what that found; null before the first verification. */
  lastVerifiedAt: string | null;
  verifiedStatus: VerifyStatus | null;
  evidence: ReportEvidence | null;
}

export interface InstanceFacts {
  name: string;
  environment: Environment;
}

/**
 * `tokensInKeychain`: the accounts (`token/<instance>/<tenant>`) the keychain holds, or null when it
 * could not be asked.
 */
export function reportRow(
  record: TenantRecord,
  instance: InstanceFacts | undefined,
  tokensInKeychain: ReadonlySet<string> | null,
  now: Date,
  keychainId?: string,
): FleetReportRow {
  const verification = asVerification(record.lastVerification);
  return {
    instanceId: record.instanceId,
    instanceName: instance?.name ?? record.instanceId,
    environment: instance?.environment ?? null,
    tenant: record.tenant,
    apiDomain: record.apiDomain,
    guiDomain: record.guiDomain,
    email: record.email,
    status: record.state,
    tokenState: tokenState(record, tokensInKeychain, now, keychainId),
    tokenHeldBy: record.tokenHolder && record.state !== 'revoked' ? record.tokenHolder.name : null,
    tokenExpiresAt: record.tokenExpiresAt,
    createdAt: record.createdAt,
    handedOverAt: record.handedOverAt ?? null,
    installedAt: record.installedAt ?? null,
    lastVerifiedAt: verification?.checkedAt ?? null,
    verifiedStatus: verification?.status ?? null,
    evidence: verification ? evidenceOf(verification) : null,
  };
}

/** The shared rule's state (shared/tenants/token-actions.ts); the report says 'missing' for one adopted without it. */
function tokenState(
  record: TenantRecord,
  tokens: ReadonlySet<string> | null,
  now: Date,
  keychainId: string | undefined,
): TokenState {
  const inKeychain = tokens === null ? null : tokens.has(`token/${record.instanceId}/${record.tenant}`);
  const state = sharedTokenState(factsOf(record, { singleTenant: false, inKeychain, keychain: keychainId }), now);
  return state === 'not-known' ? 'missing' : state;
}

/** The stored verification when it has the shape verify writes (older or hand-edited files may not). */
function asVerification(value: unknown): VerificationResult | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<VerificationResult>;
  return typeof v.status === 'string' && typeof v.checkedAt === 'string' ? (v as VerificationResult) : null;
}

function evidenceOf(v: VerificationResult): ReportEvidence {
  const e = v.evidence as Partial<VerificationResult['evidence']> | undefined;
  const dns = (d: VerificationResult['evidence']['dns']['api'] | undefined): string => {
    if (!d) return '';
    const got = d.addresses?.length ? d.addresses.join(' ') : 'no address';
    const expected = d.expected?.length ? ` (expected ${d.expected.join(' ')})` : '';
    return d.outcome === 'not-checked' ? 'not checked' : `${d.outcome}: ${got}${d.outcome === 'ok' ? '' : expected}`;
  };
  const install = e?.install;
  const es = e?.es;
  return {
    summary: typeof v.summary === 'string' ? v.summary : '',
    dnsApi: dns(e?.dns?.api),
    dnsGui: dns(e?.dns?.gui),
    install: install
      ? `${install.outcome}${install.httpStatus !== undefined ? ` (HTTP ${install.httpStatus})` : ''}`
      : '',
    elasticsearch: es
      ? `${es.outcome}: ${es.indicesFound}/${es.indicesExpected} indices, ${es.aliasesFound}/${es.aliasesExpected} aliases, ${es.templatesFound}/${es.templatesExpected} templates`
      : '',
  };
}
