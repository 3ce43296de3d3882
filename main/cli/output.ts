/**
 * How tenantctl talks: results on stdout (a table or `--json`), warnings and errors on stderr, one
 * line per error, exit 2 for bad input and 1 for any other failure. A stack only with
 * TENANTCTL_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { ConsoleError, oneLine as oneLineText, toConsoleError, type ErrorCode } from '../../shared/errors/errors';
import { escapeForTerminal } from '../../shared/text/text-safety';
import { withCliRemedy } from './remedies';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** Error codes that mean the operator's input was wrong (exit 2). */
const BAD_INPUT_CODES: readonly ErrorCode[] = ['validation'];

export interface OutputStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const defaultStreams: OutputStreams = { stdout: process.stdout, stderr: process.stderr };

/**
 * Every value tenantctl prints goes through this (printLines, tables, fields, warnings, errors):
 * a name or URL read from a settings file another writer filled, or an error quoting input, must
 * not move the cursor, recolour the terminal or forge a line. JSON output escapes on its own.
 */
export const escapeValue = escapeForTerminal;

function oneLine(text: string): string {
  return escapeValue(oneLineText(text));
}

// JSON.stringify escapes C0 controls but not C1 controls or the bidi overrides.
const JSON_UNESCAPED = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Pretty JSON on stdout, for scripts. */
export function printJson(value: unknown, streams: OutputStreams = defaultStreams): void {
  const text = JSON.stringify(value, null, 2).replace(
    JSON_UNESCAPED,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  streams.stdout.write(`${text}\n`);
}

/** Plain lines on stdout; each is one line (a newline inside one is printed as `\n`). */
export function printLines(lines: string[], streams: OutputStreams = defaultStreams): void {
  if (lines.length > 0) streams.stdout.write(`${lines.map(escapeValue).join('\n')}\n`);
}

/** A left-aligned table with a header row (cells escaped before they are measured). */
export function formatTable(headers: string[], unsafeRows: string[][]): string[] {
  const rows = unsafeRows.map((r) => r.map(escapeValue));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `key  value` lines, keys aligned. */
export function formatFields(fields: [string, string][]): string[] {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${escapeValue(v)}`);
}

/** One warning line on stderr. */
export function warn(message: string, streams: OutputStreams = defaultStreams): void {
  streams.stderr.write(`warning: ${oneLine(message)}\n`);
}

/** Exit code for a failure: 2 for bad input (validation, usage), 1 otherwise. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  if (err instanceof ConsoleError) return BAD_INPUT_CODES.includes(err.code) ? EXIT_BAD_INPUT : EXIT_FAILURE;
  return EXIT_FAILURE;
}

/**
 * Report a failure: `tenantctl: <message> <remedy>` on stderr (one line); with `json`, also
 * `{"error":{code,message,remedy?,hint?}}` on stdout so scripts can branch on the code (and the
 * remedy). Returns the exit code.
 */
export function reportFailure(
  err: unknown,
  options: { json?: boolean; env?: NodeJS.ProcessEnv; streams?: OutputStreams } = {},
): number {
  const streams = options.streams ?? defaultStreams;
  const env = options.env ?? process.env;
  const code = exitCodeFor(err);
  if (code === EXIT_OK) return code;
  let error: ConsoleError;
  if (err instanceof CommanderError) {
    error = new ConsoleError('validation', `${oneLine(err.message.replace(/^error:\s*/i, ''))} (see --help)`);
  } else {
    error = toConsoleError(err);
  }
  // The remedy in tenantctl's words: the flag or command, where the window would name its control.
  const text = withCliRemedy(error);
  streams.stderr.write(`tenantctl: ${oneLine(text)}\n`);
  if (env.TENANTCTL_DEBUG === '1') {
    const stack = err instanceof Error ? err.stack : undefined;
    if (stack) streams.stderr.write(`${stack}\n`);
    const cause = err instanceof Error ? err.cause : undefined;
    if (cause instanceof Error && cause.stack) streams.stderr.write(`caused by: ${cause.stack}\n`);
  }
  if (options.json)
    printJson({ error: { ...error.toJSON(), ...(error.remedy ? { hint: oneLine(text) } : {}) } }, streams);
  return code;
}
