/**
 * One instance's capacity over time: disk, shards and heap against their limits, the forecast to
 * the date each limit is crossed, and each chart's figures as a table. The chart code (uPlot) is in
 * this screen's chunk: the frame loads the chunk and the series side by side (lib/history-query.ts),
 * and the charts draw with the first render that has the series.
 */
import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { ForecastLines } from '../../components/forecast-lines';
import { formatCount, formatDate, plural } from '../../lib/format';
import { DEFAULT_HISTORY_RANGE, useHistory } from '../../lib/history-query';
import { routeHash } from '../../lib/router';
import { useInstanceMap } from '../../lib/use-server-state';
import type { HistoryRange } from '../../../shared/capacity/capacity-history';
import type { CapacityForecast } from '../../../shared/capacity/capacity-forecast';
import { chartModels } from './chart-model';
import { HistoryChart } from './history-chart';
import { HistoryTable } from './history-table';
import './history.css';

const RANGE_LABEL: Record<HistoryRange, string> = { '7d': '7 days', '90d': '90 days', '2y': '2 years' };
/** The ranges in order, from the labels (a Record names every range): no runtime import of the zod schemas' module. */
const RANGES = Object.keys(RANGE_LABEL) as HistoryRange[];
/** When each limit is crossed at the forecast's growth (the figure and method are ForecastLines'). */
function crossingDates(forecast: CapacityForecast): string | null {
  const dates = (
    [
      ['shard limit', forecast.shards],
      ['low disk watermark', forecast.disk],
    ] as const
  ).flatMap(([what, f]) =>
    f.crossesAt !== null && (f.months ?? 0) > 0 ? [`${what} about ${formatDate(f.crossesAt)}`] : [],
  );
  return dates.length === 0 ? null : `At this growth: ${dates.join(', ')}.`;
}

export function HistoryScreen({ id }: { id: string }) {
  const [range, setRange] = useState<HistoryRange>(DEFAULT_HISTORY_RANGE);
  const query = useHistory(id, range);
  const name = useInstanceMap().get(id)?.instance.name ?? id;
  const view = query.data;
  const models = useMemo(() => (view ? chartModels(view) : []), [view]);
  // No leading space when there is no crossing to name: the paragraph starts with its sentence.
  const crossing = view ? crossingDates(view.forecast) : null;

  return (
    <section className="screen" aria-labelledby="history-heading" aria-busy={query.isFetching}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={routeHash({ screen: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span>{' '}
        <a href={routeHash({ screen: 'instance', id })}>{name}</a> <span aria-hidden="true">›</span>
      </nav>
      <header className="screen-header">
        <h1 id="history-heading">{name}: capacity over time</h1>
        <span className="spacer" />
        {query.isFetching ? <Spinner label="Loading the history" /> : null}
        <div role="group" aria-label="Range" className="range-group">
          {RANGES.map((r) => (
            <button key={r} type="button" aria-pressed={r === range} onClick={() => setRange(r)}>
              {RANGE_LABEL[r]}
            </button>
          ))}
        </div>
      </header>
      {query.error ? <ErrorMessage error={query.error} /> : null}
      {view ? (
        <>
          <section aria-labelledby="forecast-heading" className="panel">
            <h2 id="forecast-heading">Forecast</h2>
            <ForecastLines forecast={view.forecast} label={`Forecast of ${name}`} />
            <p className="muted">
              {crossing ? `${crossing} ` : null}
              {view.samples === 0
                ? 'No history yet: every capacity snapshot (Refresh here or on the Fleet, and each watch round) adds a sample.'
                : `${formatCount(view.samples)} samples kept since ${formatDate(view.firstAt)}.`}
              {view.cluster && view.cluster.monthsObserved > 0
                ? ` The cluster’s partitions show ${plural(view.cluster.monthsObserved, 'month')} of growth.`
                : ''}
            </p>
          </section>
          {models.map((m) => (
            <section key={m.kind} aria-labelledby={`chart-${m.kind}`} className="panel">
              <h2 id={`chart-${m.kind}`}>{m.title}</h2>
              {m.t.length > 0 ? (
                <HistoryChart model={m} />
              ) : (
                <p className="muted">No samples in the last {RANGE_LABEL[range]}.</p>
              )}
              <HistoryTable model={m} />
            </section>
          ))}
        </>
      ) : null}
    </section>
  );
}
