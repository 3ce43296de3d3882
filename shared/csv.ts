/**
 * CSV as spreadsheets read it (RFC 4180): comma-separated, CRLF line ends, a cell quoted when it
 * holds a comma, a quote, CR or LF (quotes doubled). A cell that begins with = + - @ (or a tab or
 * CR) is what Excel, LibreOffice and Google Sheets evaluate as a formula: it gets a leading
 * apostrophe, which the spreadsheet shows as text (OWASP "CSV injection"). Pure and zod-free: the
 * fleet report (main) and the screens' exports (Changes, Audit log) write CSV through it.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, neutralised against formula injection and quoted where the value needs it. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record: cells joined by commas, ended by CRLF. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
