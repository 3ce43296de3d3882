/**
 * The console's fixed word lists. No zod here: a screen that only shows or filters by them (the
 * Tenants list, the first screen of a cold start) loads no schema code; tenant.ts and instance.ts
 * build their schemas from these lists and re-export them.
 */

export const ENVIRONMENTS = ['production', 'staging', 'development', 'test'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

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
