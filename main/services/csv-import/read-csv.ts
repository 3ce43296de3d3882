/**
 * Reading an operator's CSV file, safely: refused up front when it is too large, not UTF-8 (a
 * UTF-16 BOM, NUL bytes, invalid sequences) or not CSV (an unterminated or stray quote), with the
 * reason and the line; otherwise its rows, each with the line it starts on, parsed by csv-parse
 * (quoted fields, embedded newlines, a UTF-8 BOM, CRLF or LF, `#` comment lines, blank lines).
 */
import { readFile, stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse/sync';
import { ConsoleError } from '../../../shared/errors/errors';

/** Largest file read: 5 MiB, some 50,000 rows of a tenant import. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

export interface CsvSpec {
  /** Column names, in file order. */
  columns: readonly string[];
  /** How many leading columns a row must have; the others may be left out. */
  required: number;
  /** A first row whose first cell is this (any case) is a header and skipped. */
  header?: string;
}

export interface CsvRow {
  /** Line of the file the row starts on (1-based). */
  line: number;
  values: Record<string, string>;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvTable {
  rows: CsvRow[];
  /** Rows that do not have the spec's shape (too few or too many cells); not in `rows`. */
  problems: CsvProblem[];
}

function refuse(name: string, reason: string): ConsoleError {
  return new ConsoleError('validation', `${name} ${reason}; nothing was imported.`);
}

/** The file's text, or a refusal saying why it is not a UTF-8 text file. */
export function decodeCsvBytes(bytes: Uint8Array, name: string, maxBytes = MAX_CSV_BYTES): string {
  if (bytes.length > maxBytes) {
    throw refuse(
      name,
      `is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB, over the ${maxBytes / 1024 / 1024} MiB import limit: split it`,
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw refuse(name, 'is UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8 CSV');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw refuse(name, `contains a NUL byte (at byte ${nul}): a binary file, not CSV text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse(name, 'is not UTF-8 text: save it as UTF-8 CSV');
  }
}

/** The line a quote left open starts on: the first content line after the last complete record. */
function openingLine(lines: string[], afterLine: number): number {
  for (let i = afterLine; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line !== '' && !line.startsWith('#')) return i + 1;
  }
  return afterLine + 1;
}

/** Parse CSV text into rows of the spec's columns; a malformed file is refused whole. */
export function parseCsvText(text: string, spec: CsvSpec, name: string): CsvTable {
  // One line ending, so csv-parse's line numbers are the operator's (it counts CRLF unevenly).
  const normalized = text.replace(/\r\n?/g, '\n');
  let lastEnd = 0;
  const records: { record: string[]; endLine: number }[] = [];
  try {
    parse(normalized, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      // Collected here rather than returned, so the line of the last good record is known on an error.
      on_record: (record, context) => {
        lastEnd = context.lines;
        records.push({ record, endLine: context.lines });
        return null;
      },
    });
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      const line = openingLine(normalized.split('\n'), lastEnd);
      throw refuse(name, `is not valid CSV: the quote opened on line ${line} is never closed`);
    }
    const reason = e.message
      .replace(/^[^:]*:\s*/, '')
      .split('\n')[0]!
      .slice(0, 200);
    throw refuse(name, `is not valid CSV: line ${e.lines ?? lastEnd + 1}: ${reason}`);
  }

  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  records.forEach(({ record, endLine }, index) => {
    const inner = record.reduce((n, cell) => n + (cell.split('\n').length - 1), 0);
    const line = endLine - inner;
    const cells = record.map((c) => c.trim());
    if (index === 0 && spec.header !== undefined && cells[0]?.toLowerCase() === spec.header.toLowerCase()) return;
    if (cells.length < spec.required || cells.length > spec.columns.length) {
      problems.push({
        line,
        message: `expected ${spec.required === spec.columns.length ? spec.required : `${spec.required} to ${spec.columns.length}`} values (${spec.columns.join(',')}), got ${cells.length}`,
      });
      return;
    }
    const values: Record<string, string> = {};
    spec.columns.forEach((column, i) => (values[column] = cells[i] ?? ''));
    rows.push({ line, values });
  });
  return { rows, problems };
}

/** Read and parse a CSV file (see the module comment for what is refused up front). */
export async function readCsvFile(file: string, spec: CsvSpec, maxBytes = MAX_CSV_BYTES): Promise<CsvTable> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    throw new ConsoleError('validation', `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  // Checked before reading, so a huge file costs nothing.
  if (size > maxBytes) decodeCsvBytes(new Uint8Array(size), file, maxBytes);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ConsoleError('validation', `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  return parseCsvText(decodeCsvBytes(bytes, file, maxBytes), spec, file);
}
