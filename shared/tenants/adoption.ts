/**
 * The fleet that already exists: tenants found on an instance that the console holds no record of
 * (discovery), and what adopting one records. Pure types and rules shared by main, the CLI and the UI.
 */
import { z } from 'zod';
import { VERSION_PROFILES } from '../instances/version-profiles';
import { TENANCY_MODES, TRACARDI_VERSIONS, type Instance } from '../instances/instance';
import { describeOperator, operatorStampSchema } from '../team/operator';
import { tenantKeySchema, verificationResultSchema } from './tenant';

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

/** What the Elasticsearch names of one tenant of one version profile add up to (whole numbers). */
export const footprintEvidenceSchema = z.object({
  version: z.enum(TRACARDI_VERSIONS),
  /** Contexts with at least one index: staging, production, static (0.8.2's shared one). */
  contexts: z.array(z.enum(['staging', 'production', 'static'])),
  indices: z.number().int().nonnegative(),
  aliases: z.number().int().nonnegative(),
  templates: z.number().int().nonnegative(),
  /** Primary shards of its indices. */
  primaries: z.number().int().nonnegative(),
  /** Store size of its indices, replicas included (what it takes on disk). */
  sizeBytes: z.number().int().nonnegative(),
  /** Creation date of its oldest index (ISO), null when Elasticsearch did not say. */
  oldestIndexCreated: z.string().nullable(),
});
export type FootprintEvidence = z.infer<typeof footprintEvidenceSchema>;

/**
 * Whether the TMS knows the tenant. It has no listing (only GET /tenant/{name}): it confirms, it
 * cannot list. `no-tms`: a single-tenant instance has none.
 */
export const tmsPresenceSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('registered'), expire: z.string().nullable() }),
  z.object({ outcome: z.literal('absent') }),
  z.object({ outcome: z.literal('no-tms') }),
  z.object({ outcome: z.literal('could-not-tell'), error: z.string() }),
]);
export type TmsPresence = z.infer<typeof tmsPresenceSchema>;

/** A tenant present on an instance without a record in the console. */
export const foundTenantSchema = tenantKeySchema.extend({
  /** The footprint per version profile its names fit (usually one; two after an upgrade). */
  footprints: z.array(footprintEvidenceSchema),
  /**
   * What verification would say of it now (the verify service's own evaluation; its domains are not
   * known, so DNS is not checked). Null when no footprint is of the instance's version (then Tracardi
   * cannot be asked about it).
   */
  verification: verificationResultSchema.nullable(),
  tms: tmsPresenceSchema,
  /** Why it cannot be adopted as is (e.g. not the tenant a single-tenant instance serves); absent when it can. */
  notAdoptable: z.string().optional(),
  /**
   * The team registry's tombstone when the console deleted this tenant (a delete keeps its
   * Elasticsearch data): who, when, and the API domain it had. Absent for a tenant never recorded.
   */
  deleted: z.object({ at: z.string(), by: operatorStampSchema, apiDomain: z.string() }).optional(),
});
export type FoundTenant = z.infer<typeof foundTenantSchema>;
export type DeletedTenant = NonNullable<FoundTenant['deleted']>;

/** A name that looks like Tracardi's (it has `.tracardi-`) but fits no version profile: listed, never guessed. */
export const unrecognisedNameSchema = z.object({
  name: z.string(),
  kind: z.enum(['index', 'alias', 'template']),
  why: z.string(),
});
export type UnrecognisedName = z.infer<typeof unrecognisedNameSchema>;

export const discoveryReportSchema = z.object({
  instanceId: z.string(),
  tenancy: z.enum(TENANCY_MODES),
  checkedAt: z.string(),
  /** Tenants on the instance without a record, by name. */
  found: z.array(foundTenantSchema),
  /** Tenants on the instance the console already has records of (not listed again). */
  recorded: z.array(z.string()),
  unrecognised: z.array(unrecognisedNameSchema),
  /** What could not be checked, and what the report cannot tell (e.g. the TMS cannot list). */
  notes: z.array(z.string()),
  /** Elasticsearch requests the discovery sent (fixed per instance, whatever the number of tenants). */
  esRequests: z.number(),
});
export type DiscoveryReport = z.infer<typeof discoveryReportSchema>;

/**
 * Why a deleted tenant is found again, in the words of the CLI and the Found screen: "deleted by Ann
 * on ws-1 at <when> (it was company-x.example.com); a delete keeps the Elasticsearch data: adopting
 * records it again". `when`: the time as the surface writes times.
 */
export function deletedText(d: DeletedTenant, when: string = d.at): string {
  return `deleted by ${describeOperator(d.by)} at ${when} (it was ${d.apiDomain}); a delete keeps the Elasticsearch data: adopting records it again`;
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
