/** One instance on the Fleet screen: environment, health, shards, worst disk and heap, room, snapshot age. */
import type { InstanceSummary } from '../../../shared/contract/contract';
import { EnvironmentBadge } from '../../components/environment-badge';
import { ErrorMessage } from '../../components/error-message';
import { Facts } from '../../components/facts';
import { Meter } from '../../components/meter';
import { healthClass } from '../../components/tone';
import { Spinner } from '../../components/spinner';
import { formatAgo, formatBytes, formatCount, formatPercent } from '../../lib/format';
import { navigate, routeHash } from '../../lib/router';
import { ApiError } from '../../lib/transport';
import { VersionMismatch } from '../instances/version-mismatch';
import { ShardsAndRoom, SnapshotTaken } from './snapshot-parts';
import { ForecastLines } from '../../components/forecast-lines';
import { useForecast } from '../history/use-history';
import { sizesAgeText, worstDisk, worstHeap } from './snapshot-summary';
import { useRefreshSnapshot, useSnapshot } from './use-snapshots';

export function InstanceCard({ view, now }: { view: InstanceSummary; now: number }) {
  const { instance } = view;
  const query = useSnapshot(instance.id);
  const refresh = useRefreshSnapshot(instance.id);
  const forecast = useForecast(instance.id);
  const outcome = query.data;
  const snapshot = outcome?.ok ? outcome.snapshot : null;
  const error = query.error ?? (outcome && !outcome.ok ? ApiError.from(outcome.error) : null);
  const production = instance.environment === 'production';
  const headingId = `card-${instance.id}`;
  const disk = snapshot ? worstDisk(snapshot) : null;
  const heap = snapshot ? worstHeap(snapshot) : null;

  return (
    <article
      className={`card instance-card${production ? ' is-production' : ''}`}
      aria-labelledby={headingId}
      aria-busy={query.isFetching}
      data-instance-id={instance.id}
      style={production ? undefined : { borderLeftColor: instance.colour }}
      onClick={(e) => {
        // The whole card opens the instance; its own buttons and links keep their meaning.
        if ((e.target as HTMLElement).closest('button, a')) return;
        navigate({ screen: 'instance', id: instance.id });
      }}
    >
      {production ? <div className="production-band">PRODUCTION</div> : null}
      <header className="card-header">
        <h2 id={headingId} className="card-title">
          <a className="truncate" href={routeHash({ screen: 'instance', id: instance.id })} title={instance.name}>
            {instance.name}
          </a>
        </h2>
        <EnvironmentBadge environment={instance.environment} colour={instance.colour} />
        {view.tlsVerifyOff ? <span className="warn-badge">TLS verification off</span> : null}
        <span className="spacer" />
        {query.isFetching ? <Spinner label={`Refreshing ${instance.name}`} /> : null}
        <button
          type="button"
          className="small"
          onClick={refresh}
          disabled={query.isFetching}
          aria-label={`Refresh ${instance.name}`}
        >
          Refresh
        </button>
      </header>

      <VersionMismatch instance={instance} />
      {error ? <ErrorMessage error={error} /> : null}
      {!snapshot && !error ? (
        <p className="muted">{query.isFetching ? 'Taking a capacity snapshot…' : 'No snapshot yet.'}</p>
      ) : null}

      {snapshot ? (
        <div className="card-body">
          <Facts
            facts={[
              [
                'Cluster health',
                <span className={healthClass(snapshot.cluster.status)}>{snapshot.cluster.status}</span>,
              ],
              ['Elasticsearch', snapshot.cluster.version],
              ['Tenants', formatCount(snapshot.tenants.length)],
              ['Data nodes', snapshot.cluster.dataNodes],
            ]}
          />
          <ShardsAndRoom snapshot={snapshot} />
          {disk ? (
            <Meter
              label={`Disk (worst node: ${disk.node.name})`}
              value={disk.used}
              text={`${formatBytes(disk.node.diskUsedBytes)} of ${formatBytes(disk.node.diskTotalBytes)} (${formatPercent(disk.used)})`}
              markers={disk.markers}
            />
          ) : (
            <p className="muted">No data node reports its disk.</p>
          )}
          {heap ? (
            <Meter
              label={`Heap (worst node: ${heap.node.name})`}
              value={heap.used}
              text={`${formatBytes(heap.node.heapUsedBytes)} of ${formatBytes(heap.node.heapMaxBytes)} (${formatPercent(heap.used)})`}
            />
          ) : null}
          <div className="growth small-text">
            {forecast ? (
              <ForecastLines forecast={forecast} label={`Forecast of ${instance.name}`} />
            ) : (
              <p className="muted">Forecast: reading the capacity history…</p>
            )}
            <span className="muted">Shard cost {snapshot.basis.shardsPerNewTenant.basis}.</span>
          </div>
          <p className="muted small-text">
            <SnapshotTaken snapshot={snapshot} now={now} />.{' '}
            <span className="sizes-age">{sizesAgeText(snapshot, (iso) => formatAgo(iso, now))}</span>.
          </p>
        </div>
      ) : null}
    </article>
  );
}
