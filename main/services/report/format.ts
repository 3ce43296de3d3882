/**
 * The fleet report as text, produced piece by piece (a header, then one piece per tenant) so a
 * shell can stream it: the CLI writes each piece to stdout or a file as it comes.
 */
import { REPORT_FORMATS } from '../../../shared/contract/contract';
import { csvLine } from './csv';
import type { FleetReportRow } from './rows';

export { REPORT_FORMATS };
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The CSV columns: header and cell, in order (the evidence flattened into its own columns). */
const CSV_COLUMNS: readonly [string, (r: FleetReportRow) => string | null][] = [
  ['instance_id', (r) => r.instanceId],
  ['instance_name', (r) => r.instanceName],
  ['environment', (r) => r.environment],
  ['tenant', (r) => r.tenant],
  ['api_domain', (r) => r.apiDomain],
  ['gui_domain', (r) => r.guiDomain],
  ['contact_email', (r) => r.email],
  ['status', (r) => r.status],
  ['token_state', (r) => r.tokenState],
  ['token_held_by', (r) => r.tokenHeldBy ?? ''],
  ['token_expires_at', (r) => r.tokenExpiresAt],
  ['created_at', (r) => r.createdAt],
  ['handed_over_at', (r) => r.handedOverAt],
  ['installed_at', (r) => r.installedAt],
  ['last_verified_at', (r) => r.lastVerifiedAt],
  ['verified_status', (r) => r.verifiedStatus],
  ['evidence_summary', (r) => r.evidence?.summary ?? null],
  ['evidence_dns_api', (r) => r.evidence?.dnsApi ?? null],
  ['evidence_dns_gui', (r) => r.evidence?.dnsGui ?? null],
  ['evidence_install', (r) => r.evidence?.install ?? null],
  ['evidence_elasticsearch', (r) => r.evidence?.elasticsearch ?? null],
];

export const CSV_HEADERS: readonly string[] = CSV_COLUMNS.map(([h]) => h);

// JSON.stringify escapes C0 controls but not C1 controls or the bidi overrides, which a terminal
// the report streams to would act on (U+009B is a CSI); \u escapes read back as the same text.
const JSON_UNESCAPED = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNESCAPED, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The report's pieces. JSON: `{"generatedAt":…,"tenants":[` then one row per piece, then `]}`, one
 * row per line, so the whole is one valid JSON document however it is cut into pieces.
 */
export function* reportPieces(
  rows: Iterable<FleetReportRow>,
  format: ReportFormat,
  generatedAt: string,
): Generator<string> {
  if (format === 'csv') {
    yield csvLine(CSV_HEADERS);
    for (const row of rows) yield csvLine(CSV_COLUMNS.map(([, cell]) => cell(row)));
    return;
  }
  yield `{"generatedAt":${JSON.stringify(generatedAt)},"tenants":[`;
  let first = true;
  for (const row of rows) {
    yield `${first ? '' : ','}\n${jsonText(row)}`;
    first = false;
  }
  yield '\n]}\n';
}

/** A file name for the report, e.g. `tracardi-fleet-report-2026-12-02T0130Z.csv`. */
export function reportFileName(format: ReportFormat, generatedAt: string): string {
  const stamp = generatedAt.slice(0, 16).replace(/:/g, '');
  return `tracardi-fleet-report-${stamp}Z.${format}`;
}
