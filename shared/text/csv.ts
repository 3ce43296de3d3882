/**
 * CSV as spreadsheets read it (RFC 4180): comma-separated, CRLF line ends, a cell quoted when it
 * holds a comma, a quote, CR or LF (quotes doubled). A cell that begins with = + - @ (or a tab or
 * CR) is what Excel, LibreOffice and Google Sheets evaluate as a formula: it gets a leading
 * apostrophe, which the spreadsheet shows as text (OWASP "CSV injection"). Pure and zod-free: the
 * fleet report (main) and the screens' exports (Changes, Audit log) write CSV through it.
 */
import { escapeForTerminal } from './text-safety';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

// Control and bidi characters other than tab, CR and LF (which a quoted cell holds as text).
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * One cell, neutralised against formula injection and quoted where the value needs it. An ESC, a C1
 * control or a bidi override (a remote Tracardi's answer quoted in an evidence summary may hold one)
 * is written as the visible escape the CLI prints: the report streams to a terminal as often as to
 * a file, and no spreadsheet wants them.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = (value === null || value === undefined ? '' : String(value)).replace(TERMINAL_CONTROLS, escapeForTerminal);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record: cells joined by commas, ended by CRLF. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
