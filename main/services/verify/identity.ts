/**
 * The identity check, pure: who the console expects on an instance's API URL, how to ask (one
 * request per instance or one per tenant), and whether the `GET /info/version/details` answer is
 * that instance. A mismatch is the `wrong-instance` verdict, never drift: a wrong DNS record or a
 * load balancer on the wrong pool makes another Tracardi answer for the tenant.
 *
 * What real Tracardi tells (tracardi/domain/version.py, app/api/info_endpoint.py):
 * - `name` is the instance's global name (TENANT_NAME, else md5(db_version)[:5]) on every version
 *   and tenancy; on a single-tenant instance it is also the one tenant it serves;
 * - `version`, `db_version` name the release and its index prefix;
 * - from 0.9 only: `multi-tenant` and `tenant` (the tenant derived from the request's Host).
 * `instance` is a uuid drawn at process start, so it identifies nothing across restarts.
 */
import type { Instance } from '../../../shared/instances/instance';
import type { AnsweredIdentity, ExpectedIdentity, IdentityEvidence } from '../../../shared/tenants/tenant';
import { versionProfile } from '../../../shared/instances/version-profiles';

/** What the details endpoint answered, or why it did not. */
export type IdentityAnswer = AnsweredIdentity | { error: string };

/** How a run asks an instance who it is. */
export interface IdentityPlan {
  /** One request for the whole instance (the answer ignores the Host) or one per tenant. */
  perInstance: boolean;
  /** Send the tenant's API domain as Host (false: a plain request to the API URL). */
  tenantHost: boolean;
}

/**
 * Single-tenant: one plain request per instance (it ignores the Host). Multi-tenant 0.8.x: one per
 * instance (it has no per-tenant identity), sent with a tenant's Host since a Host without three
 * labels (an IP API URL) is refused by a multi-tenant Tracardi. Multi-tenant 0.9: one per tenant,
 * since its `tenant` field follows the Host.
 */
export function identityPlan(instance: Pick<Instance, 'tenancy' | 'tracardiVersion'>): IdentityPlan {
  if (instance.tenancy === 'single-tenant') return { perInstance: true, tenantHost: false };
  if (instance.tracardiVersion === '0.8.x') return { perInstance: true, tenantHost: true };
  return { perInstance: false, tenantHost: true };
}

/** The one tenant a single-tenant instance serves: its TENANT_NAME, else the version's default. */
export function servedTenant(instance: Pick<Instance, 'singleTenantName' | 'tracardiVersion'>): string {
  return instance.singleTenantName ?? versionProfile(instance.tracardiVersion).defaultTenant;
}

/** Who the console expects to answer for `tenant` on this instance. */
export function expectedIdentity(
  instance: Pick<Instance, 'tenancy' | 'tracardiVersion' | 'singleTenantName'>,
  tenant: string,
): ExpectedIdentity {
  const profile = versionProfile(instance.tracardiVersion);
  const base = { version: profile.version, dbVersion: profile.dbVersion, tenancy: instance.tenancy };
  if (instance.tenancy === 'single-tenant') return { ...base, name: servedTenant(instance) };
  // A multi-tenant instance's `name` is its TENANT_NAME, which the console does not know: not compared.
  return instance.tracardiVersion === '0.9.x' ? { ...base, tenant } : base;
}

/**
 * The instance keeps its configuration in one MySQL database (0.9's profile), which does not exist
 * before its first install: how its GET /install answers are read (InstallReading).
 */
export function keepsMysql(instance: Pick<Instance, 'tracardiVersion'>): boolean {
  return versionProfile(instance.tracardiVersion).configurationStore === 'mysql';
}

/** The version family of a version string (`0.8.2` -> `0.8.x`), or null for one the console does not know. */
export function versionFamily(version: string): string | null {
  const m = /^(\d+)\.(\d+)(?:\.|$)/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}.x` : null;
}

/** Compares an answer with the expectation: every difference is one line of `mismatches`. */
export function evaluateIdentity(
  expected: ExpectedIdentity,
  answer: IdentityAnswer,
  meta: { host: string | null; perInstance: boolean; recordTenant: string },
): IdentityEvidence {
  const base = { expected, host: meta.host, perInstance: meta.perInstance };
  const servesOnly =
    expected.tenancy === 'single-tenant' && expected.name !== undefined && expected.name !== meta.recordTenant
      ? { servesOnly: expected.name }
      : {};
  if ('error' in answer)
    return { ...base, ...servesOnly, outcome: 'could-not-tell', mismatches: [], error: answer.error };
  if (answer.version === null && answer.dbVersion === null && answer.name === null) {
    return {
      ...base,
      ...servesOnly,
      outcome: 'could-not-tell',
      answered: answer,
      mismatches: [],
      error: 'the answer names no Tracardi version or instance',
    };
  }
  const mismatches: string[] = [];
  if (answer.dbVersion !== null && answer.dbVersion !== expected.dbVersion)
    mismatches.push(`db_version ${answer.dbVersion} (expected ${expected.dbVersion})`);
  const family = answer.version === null ? null : versionFamily(answer.version);
  if (family !== null && family !== expected.version)
    mismatches.push(`version ${answer.version} (expected ${expected.version})`);
  if (expected.tenancy === 'single-tenant') {
    if (answer.multiTenant === true) mismatches.push('is multi-tenant (expected single-tenant)');
    if (answer.name !== null && answer.name !== expected.name)
      mismatches.push(`serves tenant "${answer.name}" (expected "${expected.name}")`);
  } else {
    if (answer.multiTenant === false)
      mismatches.push(
        `is single-tenant, serving only "${answer.name ?? answer.tenant ?? '?'}" (expected multi-tenant)`,
      );
    else if (expected.tenant !== undefined && answer.tenant !== null && answer.tenant !== expected.tenant)
      mismatches.push(`answers as tenant "${answer.tenant}" (expected "${expected.tenant}")`);
  }
  return {
    ...base,
    ...servesOnly,
    outcome: mismatches.length > 0 ? 'mismatch' : 'match',
    answered: answer,
    mismatches,
  };
}

/** `name "ffe49", version 0.8.2, db_version 0820` (and 0.9's tenant): who answered, for summaries. */
export function describeAnswered(a: AnsweredIdentity): string {
  const parts = [
    `name "${a.name ?? '?'}"`,
    ...(a.tenant !== null && a.tenant !== a.name ? [`tenant "${a.tenant}"`] : []),
    `version ${a.version ?? '?'}`,
    `db_version ${a.dbVersion ?? '?'}`,
    ...(a.multiTenant !== null ? [a.multiTenant ? 'multi-tenant' : 'single-tenant'] : []),
  ];
  return parts.join(', ');
}
