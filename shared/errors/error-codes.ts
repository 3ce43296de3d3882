/**
 * The error codes and remedies every layer speaks, zod-free and import-free: errors.ts (the error
 * class) and error-data.ts (its wire schema) both take them from here.
 */

export const ERROR_CODES = [
  // input
  'validation',
  'not-found',
  'conflict',
  // settings
  'settings-corrupt',
  'settings-read-only',
  'settings-write-failed',
  // keychain
  'keychain-unavailable',
  'keychain-locked',
  'keychain-failed',
  // Elasticsearch
  'es-refused',
  'es-dns',
  'es-timeout',
  'es-unauthorized',
  'es-forbidden',
  'es-tls',
  'es-not-elasticsearch',
  'es-unsupported-version',
  'es-error',
  // Tracardi / TMS
  'tms-unreachable',
  'tms-unauthorized',
  'tms-error',
  'tms-unsupported',
  'tracardi-unreachable',
  'tracardi-error',
  /** The instance reports another Tracardi version than its version profile. */
  'version-mismatch',
  // tenants
  'capacity-exceeded',
  'tenant-collision',
  'invalid-state',
  // the team registry (the instance's Elasticsearch) cannot take changes: unreachable, or no right to write
  'registry-read-only',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes of a refusal: the console said no to the input or the state, and the operator can act on
 * it (fix the domain, free capacity, restore the settings file). Audited and reported as
 * `refused`; every other code is a `failed` operation.
 */
const REFUSAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'validation',
  'not-found',
  'conflict',
  'tenant-collision',
  'capacity-exceeded',
  'invalid-state',
  'settings-read-only',
  'registry-read-only',
  'version-mismatch',
]);

export function isRefusal(code: ErrorCode): boolean {
  return REFUSAL_CODES.has(code);
}

/**
 * What the operator can do about an error, as a code. The message says what is wrong in words true
 * in every shell; the remedy is worded by the shell that shows it, with its own controls (tenantctl
 * names its flag or command, the window its checkbox, field or button), so the window never tells
 * the operator to "use --force".
 */
export const REMEDIES = [
  /** Delete an installed tenant anyway. */
  'force-delete-tenant',
  /** Remove an instance that still has tenant records (they and their tokens go with it). */
  'force-remove-instance',
  /** Create past a capacity refusal, with a written reason. */
  'capacity-override',
  /** Compare records, keychain and TMS to see what disagrees. */
  'reconcile',
  /** Finish (or undo) an interrupted operation. */
  'reconcile-repair',
  /** The tenant exists on the instance already: take it under management instead of creating it. */
  'adopt-tenant',
  /** Another operator holds the token: rotate to issue a new one this console holds. */
  'rotate-token',
  /** The instance runs another Tracardi version than its profile: set the profile to the reported one. */
  'set-version-profile',
  /** See which tenants the instance holds that the console has no record of. */
  'discover-tenants',
  /** A single-tenant instance's TENANT_NAME is not the one in its settings: set it there first. */
  'set-single-tenant-name',
  /** A new tenant's domain is outside the instance's suffix: create it anyway, on purpose. */
  'allow-outside-suffix',
] as const;
export type Remedy = (typeof REMEDIES)[number];
