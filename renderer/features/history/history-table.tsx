/**
 * The text fallback of a chart: the same figures as a table (screen readers, copy and paste), built
 * when opened: hundreds of closed cells are most of a cold first render of the screen.
 */
import { useState } from 'react';
import { formatCount, formatMinute } from '../../lib/format';
import { chartValue, type ChartModel } from './chart-model';

/** At most this many rows (the newest); the chart shows the rest. */
const MAX_ROWS = 60;

export function HistoryTable({ model }: { model: ChartModel }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="history-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{model.title}: figures as a table</summary>
      {open ? <FiguresTable model={model} /> : null}
    </details>
  );
}

function FiguresTable({ model }: { model: ChartModel }) {
  const rows = model.t.map((t, i) => ({ t, i })).slice(-MAX_ROWS);
  return (
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
              <td key={l.label}>{chartValue(model.unit, l.values[i])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
