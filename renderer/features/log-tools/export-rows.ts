/**
 * A screen's rows as a file: CSV (spreadsheet-safe, shared/text/csv.ts) or JSON, named after what and
 * when, downloaded by the page (the browser's downloads; Electron's save dialog). Pure but for the
 * download itself.
 */
import { csvLine } from '../../../shared/text/csv';

export type ExportFormat = 'csv' | 'json';

export interface ExportColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** `tracardi-<what>-2026-12-07T1405Z.<ext>`: UTC, as the fleet report's file is named. */
export function exportFileName(what: string, format: ExportFormat, now: Date = new Date()): string {
  // 2026-12-07T14:05:33.000Z -> 2026-12-07T1405 (a file name, not a time shown: no locale).
  const stamp = now
    .toISOString()
    .replace(/:\d\d\.\d+Z$/, '')
    .replace(':', '');
  return `tracardi-${what}-${stamp}Z.${format}`;
}

/** The rows as CSV (a header line, then one line per row) or as a JSON array of the rows as they are. */
export function renderRows<T>(rows: readonly T[], columns: readonly ExportColumn<T>[], format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  return csvLine(columns.map((c) => c.header)) + rows.map((r) => csvLine(columns.map((c) => c.value(r)))).join('');
}
