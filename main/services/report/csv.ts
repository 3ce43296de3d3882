/** The fleet report's CSV: the one spreadsheet-safe writer every export uses (shared/text/csv.ts). */
export { csvCell, csvLine } from '../../../shared/text/csv';
