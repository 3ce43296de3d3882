/**
 * The one error shape every layer reports to the operator: a stable code for programs and a
 * one-line message for people. Messages never contain a secret.
 */
import type { ZodError } from 'zod';
import type { ErrorCode, Remedy } from './error-codes';
import type { ConsoleErrorData } from './error-data';

export { ERROR_CODES, isRefusal, REMEDIES, type ErrorCode, type Remedy } from './error-codes';

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
