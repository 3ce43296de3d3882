/** The fleet report's public API: `import { FleetReportService } from './services/report'`. */
export { FleetReportService, type FleetReport, type FleetReportDeps, type ReportOptions } from './report-service';
export { CSV_HEADERS, REPORT_FORMATS, type ReportFormat } from './format';
export { csvCell, csvLine } from './csv';
export type { FleetReportRow, ReportEvidence, TokenState } from './rows';
