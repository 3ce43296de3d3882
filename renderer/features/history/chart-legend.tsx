/**
 * A chart's legend: every line with its colour and dash drawn beside its name, and its figure: the
 * latest (the last sample; the forecast's at its end) until the cursor is on the plot, then the one
 * under the cursor.
 */
import { formatDate, formatMinute } from '../../lib/format';
import { chartValue, legendAt, LINE_STYLES, type ChartModel } from './chart-model';

/** The line's colour and dash, as drawn on the plot. */
function Swatch({ style }: { style: ChartModel['lines'][number]['style'] }) {
  const { colour, dash } = LINE_STYLES[style];
  return (
    <svg className="legend-swatch" width="28" height="10" aria-hidden="true" focusable="false">
      <line
        x1="0"
        y1="5"
        x2="28"
        y2="5"
        stroke={`var(${colour})`}
        strokeWidth={style === 'measured' ? 2.5 : 2}
        strokeDasharray={dash.length ? dash.join(' ') : undefined}
      />
    </svg>
  );
}

export function ChartLegend({ model, index }: { model: ChartModel; index: number | null }) {
  const { t, values } = legendAt(model, index);
  const hovered = index !== null;
  const when = (s: number) => formatMinute(s * 1000);
  return (
    <div className="chart-legend" data-legend={model.kind}>
      <span className="legend-time">
        {hovered ? 'At ' : 'Latest sample, '}
        {t === null ? '–' : when(t)}
      </span>
      <ul aria-label={`${model.title}: figures`}>
        {model.lines.map((l, k) => (
          <li key={l.label}>
            <Swatch style={l.style} />
            <span>{l.label}</span>{' '}
            <strong>
              {chartValue(model.unit, values[k])}
              {!hovered && l.style === 'forecast' && model.forecastEnd !== null
                ? ` on ${formatDate(model.forecastEnd * 1000)}`
                : ''}
            </strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
