/** Reading CSV files an operator hands in (tenant import, bulk adopt): `readCsvFile`. */
export {
  MAX_CSV_BYTES,
  decodeCsvBytes,
  parseCsvText,
  readCsvFile,
  type CsvProblem,
  type CsvRow,
  type CsvSpec,
  type CsvTable,
} from './read-csv';
