/** The fleet report export (Tenants screen): `import { ExportReport } from '../fleet-report'`. */
export { ExportReport } from './export-report';
export { downloadText } from './download';
