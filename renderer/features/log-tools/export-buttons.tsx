/** Export CSV / Export JSON of the rows a screen shows (its filters applied). */
import { useState } from 'react';
import { formatCount } from '../../lib/format';
import { downloadText } from '../fleet-report/download';
import { exportFileName, renderRows, type ExportColumn, type ExportFormat } from './export-rows';

export function ExportButtons<T>({
  what,
  label,
  rows,
  columns,
}: {
  /** In the file name: `changes`, `audit-log`. */
  what: string;
  /** The group's name: "Export the changes shown". */
  label: string;
  rows: readonly T[];
  columns: readonly ExportColumn<T>[];
}) {
  const [message, setMessage] = useState('');
  function save(format: ExportFormat): void {
    const fileName = exportFileName(what, format);
    downloadText(fileName, format === 'csv' ? 'text/csv' : 'application/json', renderRows(rows, columns, format));
    setMessage(`${formatCount(rows.length)} entr${rows.length === 1 ? 'y' : 'ies'} saved as ${fileName}.`);
  }
  return (
    <>
      <div className="button-row" role="group" aria-label={label}>
        <button type="button" onClick={() => save('csv')} disabled={rows.length === 0}>
          Export CSV
        </button>
        <button type="button" onClick={() => save('json')} disabled={rows.length === 0}>
          Export JSON
        </button>
      </div>
      <span className="muted" role="status">
        {message}
      </span>
    </>
  );
}
