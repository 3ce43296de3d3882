/** The text fallback of a chart: the same figures as a table (screen readers, copy and paste). */
import { formatBytes, formatCount, formatMinute } from '../../lib/format';
import type { ChartModel } from './chart-model';

/** At most this many rows (the newest); the chart shows the rest. */
const MAX_ROWS = 60;

export function HistoryTable({ model }: { model: ChartModel }) {
  const fmt = (v: number | null | undefined) =>
    v === null || v === undefined ? '–' : model.unit === 'bytes' ? formatBytes(v) : formatCount(Math.round(v));
  const rows = model.t.map((t, i) => ({ t, i })).slice(-MAX_ROWS);
  return (
    <details className="history-table">
      <summary>{model.title}: figures as a table</summary>
      <table>
        <caption>
          {model.title}
          {model.t.length > MAX_ROWS ? ` (the newest ${formatCount(MAX_ROWS)} of ${formatCount(model.t.length)})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {model.lines.map((l) => (
              <th scope="col" key={l.label}>
                {l.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ t, i }) => (
            <tr key={t}>
              <th scope="row">{formatMinute(t * 1000)}</th>
              {model.lines.map((l) => (
                <td key={l.label}>{fmt(l.values[i])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
