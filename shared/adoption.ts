/**
 * The fleet that already exists: tenants found on an instance that the console holds no record of
 * (discovery), and what adopting one records. Pure types and rules shared by main, the CLI and the UI.
 */
import type { IndexContext } from './version-profiles';
import { VERSION_PROFILES } from './version-profiles';
import type { Instance, TracardiVersion } from './instance';
import type { VerificationResult } from './tenant';

/**
 * The one tenant a single-tenant instance serves: its TENANT_NAME, else the version's default
 * (first 5 hex digits of md5(db_version)); null for a multi-tenant instance.
 */
export function servedTenant(
  instance: Pick<Instance, 'tenancy' | 'singleTenantName' | 'tracardiVersion'>,
): string | null {
  if (instance.tenancy !== 'single-tenant') return null;
  return instance.singleTenantName ?? VERSION_PROFILES[instance.tracardiVersion].defaultTenant;
}

/** What the Elasticsearch names of one tenant of one version profile add up to. */
export interface FootprintEvidence {
  version: TracardiVersion;
  /** Contexts with at least one index: staging, production, static (0.8.2's shared one). */
  contexts: IndexContext[];
  indices: number;
  aliases: number;
  templates: number;
  /** Primary shards of its indices. */
  primaries: number;
  /** Store size of its indices, replicas included (what it takes on disk). */
  sizeBytes: number;
  /** Creation date of its oldest index (ISO), null when Elasticsearch did not say. */
  oldestIndexCreated: string | null;
}

/** Whether the TMS knows the tenant. It has no listing (only GET /tenant/{name}): it confirms, it cannot list. */
export type TmsPresence =
  | { outcome: 'registered'; expire: string | null }
  | { outcome: 'absent' }
  /** Single-tenant instance: it has no TMS. */
  | { outcome: 'no-tms' }
  | { outcome: 'could-not-tell'; error: string };

/** A tenant present on an instance without a record in the console. */
export interface FoundTenant {
  instanceId: string;
  tenant: string;
  /** The footprint per version profile its names fit (usually one; two after an upgrade). */
  footprints: FootprintEvidence[];
  /**
   * What verification would say of it now (the verify service's own evaluation; its domains are not
   * known, so DNS is not checked). Null when no footprint is of the instance's version (then Tracardi
   * cannot be asked about it).
   */
  verification: VerificationResult | null;
  tms: TmsPresence;
  /** Why it cannot be adopted as is (e.g. not the tenant a single-tenant instance serves); absent when it can. */
  notAdoptable?: string;
}

/** A name that looks like Tracardi's (it has `.tracardi-`) but fits no version profile: listed, never guessed. */
export interface UnrecognisedName {
  name: string;
  kind: 'index' | 'alias' | 'template';
  why: string;
}

export interface DiscoveryReport {
  instanceId: string;
  tenancy: Instance['tenancy'];
  checkedAt: string;
  /** Tenants on the instance without a record, by name. */
  found: FoundTenant[];
  /** Tenants on the instance the console already has records of (not listed again). */
  recorded: string[];
  unrecognised: UnrecognisedName[];
  /** What could not be checked, and what the report cannot tell (e.g. the TMS cannot list). */
  notes: string[];
  /** Elasticsearch requests the discovery sent (fixed per instance, whatever the number of tenants). */
  esRequests: number;
}

/** The adopt call's input (the token only ever goes to the keychain). */
export interface AdoptInput {
  instanceId: string;
  tenant: string;
  /** The tenant's API domain; its derived name must be `tenant` (multi-tenant). */
  domain?: string;
  guiDomain?: string;
  email?: string;
  /** The existing installation token (multi-tenant: checked against the TMS; single-tenant: INSTALLATION_TOKEN). */
  token?: string;
}

/** The API domain the console proposes for a found tenant: `<tenant>.<suffix>`, which derives the tenant back. */
export function proposedDomain(instance: Pick<Instance, 'tenantDomainSuffix'>, tenant: string): string {
  return `${tenant}.${instance.tenantDomainSuffix}`;
}
