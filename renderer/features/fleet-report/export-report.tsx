/**
 * Export the fleet report (every tenant's status, instance, token state, last verification and
 * evidence; never a token) as CSV or JSON: the core renders it, the page downloads it.
 */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { FleetReportFile } from '../../../shared/contract/contract';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { plural } from '../../lib/format';
import { downloadText } from './download';

type Format = 'csv' | 'json';

export function ExportReport() {
  const api = useApi();
  const [message, setMessage] = useState('');
  const exportReport = useMutation({
    mutationFn: (format: Format) => api['tenants.report']({ format }),
    onSuccess: (file: FleetReportFile) => {
      downloadText(file.fileName, file.contentType, file.content);
      const text = `Fleet report (${plural(file.count, 'tenant')}) saved as ${file.fileName}.`;
      setMessage(text);
    },
  });
  return (
    <>
      <div className="button-row export-report" role="group" aria-label="Fleet report">
        <button type="button" onClick={() => exportReport.mutate('csv')} disabled={exportReport.isPending}>
          Export CSV
        </button>
        <button type="button" onClick={() => exportReport.mutate('json')} disabled={exportReport.isPending}>
          Export JSON
        </button>
      </div>
      <span className="muted" role="status">
        {message}
      </span>
      {exportReport.error ? <ErrorMessage error={exportReport.error} prefix="Export failed:" /> : null}
    </>
  );
}
