/** What the Changes and Audit log screens share: the time windows and the export of the rows shown. */
export { TIME_WINDOW_OPTIONS, timeWindow, windowStart, type TimeWindow } from './time-window';
export { exportFileName, renderRows, type ExportColumn, type ExportFormat } from './export-rows';
export { ExportButtons } from './export-buttons';
