/**
 * The one error shape every layer reports to the operator: a stable code for programs and a
 * one-line message for people. Messages never contain a secret.
 */
import type { ZodError } from 'zod';
import type { ConsoleErrorData } from './error-data';

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

/** The wire form of a ConsoleError (its schema is in error-data.ts, which only the contract loads). */
export type { ConsoleErrorData } from './error-data';

/** An error whose message is fit to show an operator as is. */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly instanceId?: string;
  readonly tenant?: string;
  readonly remedy?: Remedy;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { instanceId?: string; tenant?: string; remedy?: Remedy; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'ConsoleError';
    this.code = code;
    if (extra.instanceId !== undefined) this.instanceId = extra.instanceId;
    if (extra.tenant !== undefined) this.tenant = extra.tenant;
    if (extra.remedy !== undefined) this.remedy = extra.remedy;
  }

  /** Plain data for IPC/HTTP/JSON output (never the cause, which may hold request details). */
  toJSON(): ConsoleErrorData {
    const data: ConsoleErrorData = { code: this.code, message: this.message };
    if (this.instanceId !== undefined) data.instanceId = this.instanceId;
    if (this.tenant !== undefined) data.tenant = this.tenant;
    if (this.remedy !== undefined) data.remedy = this.remedy;
    return data;
  }
}

/** Wrap anything thrown into a ConsoleError without leaking unknown error text verbatim. */
export function toConsoleError(value: unknown): ConsoleError {
  if (value instanceof ConsoleError) return value;
  const text = value instanceof Error ? value.message : String(value);
  return new ConsoleError('internal', `Unexpected error: ${text.split('\n')[0]}`, { cause: value });
}

/**
 * A zod failure as one line an operator can act on: up to five issues, each `where: what`. `where`
 * is the dotted path unless `nameOf` names it otherwise (the CLI names its flags, the window its
 * fields); `addendum` may add a shell's own words to an issue (tenantctl the flag a secret goes in).
 */
export function describeIssues(
  error: ZodError,
  nameOf: (path: readonly PropertyKey[]) => string = (path) => path.map(String).join('.'),
  addendum: (issue: ZodError['issues'][number]) => string = () => '',
): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const where = nameOf(i.path);
      const what = `${/received undefined$/.test(i.message) ? 'is required' : i.message}${addendum(i)}`;
      return where ? `${where}: ${what}` : what;
    })
    .join('; ');
}

/** Text (or an error's message) on one line, at most `max` characters: for messages and audit details. */
export function oneLine(value: unknown, max = Infinity): string {
  const text = value instanceof Error ? value.message : String(value);
  return text
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .slice(0, max);
}
