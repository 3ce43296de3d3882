/**
 * One instance's capacity over time: disk, shards and heap against their limits, the forecast to
 * the date each limit is crossed, and each chart's figures as a table. The chart code (uPlot) is
 * its own chunk, loaded when this screen shows.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { formatBytes, formatCount, formatDate, plural } from '../../lib/format';
import { routeHash } from '../../lib/router';
import { useInstanceMap } from '../../lib/use-server-state';
import { HISTORY_RANGES, type HistoryRange } from '../../../shared/capacity-history';
import { monthsText, type LimitForecast } from '../../../shared/capacity-forecast';
import { chartModels } from './chart-model';
import { HistoryTable } from './history-table';
import { useHistory } from './use-history';
import './history.css';

const HistoryChart = lazy(() => import('./history-chart'));

const RANGE_LABEL: Record<HistoryRange, string> = { '7d': '7 days', '90d': '90 days', '2y': '2 years' };
const SOURCE_TEXT: Record<LimitForecast['source'], string> = {
  cluster: 'growth measured from the cluster’s partitions',
  history: 'trend of the local history',
  blended: 'cluster partitions blended with the local history',
  model: 'the layout model (nothing measured yet)',
  none: 'nothing to forecast from yet',
};

function ForecastLine({ what, f, unit }: { what: string; f: LimitForecast; unit: 'bytes' | 'count' }) {
  const rate =
    f.perMonth === null
      ? ''
      : ` (${unit === 'bytes' ? formatBytes(f.perMonth) : formatCount(Math.round(f.perMonth))} a month`;
  const when = f.crossesAt !== null && (f.months ?? 0) > 0 ? `, ${formatDate(f.crossesAt)}` : '';
  return (
    <li>
      <strong>{monthsText(what, f)}</strong>
      {rate ? `${rate}${when}; ${SOURCE_TEXT[f.source]})` : ` (${SOURCE_TEXT[f.source]})`}
    </li>
  );
}

export function HistoryScreen({ id }: { id: string }) {
  const [range, setRange] = useState<HistoryRange>('90d');
  const query = useHistory(id, range);
  const name = useInstanceMap().get(id)?.instance.name ?? id;
  const view = query.data;
  const models = useMemo(() => (view ? chartModels(view) : []), [view]);

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
          {HISTORY_RANGES.map((r) => (
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
            <ul className="forecast-list">
              <ForecastLine what="Shard limit" f={view.forecast.shards} unit="count" />
              <ForecastLine what="Low disk watermark" f={view.forecast.disk} unit="bytes" />
            </ul>
            <p className="muted">
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
                <Suspense fallback={<p className="muted">Drawing the chart…</p>}>
                  <HistoryChart model={m} />
                </Suspense>
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
