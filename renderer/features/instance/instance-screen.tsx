/** One instance: its nodes against the watermarks, its tenants' footprint, room and growth. */
import { EnvironmentBadge } from '../../components/environment-badge';
import { ErrorMessage } from '../../components/error-message';
import { Facts } from '../../components/facts';
import { Spinner } from '../../components/spinner';
import { healthClass } from '../../components/tone';
import { formatAgo, formatBytes, formatCount, formatDuration, plural } from '../../lib/format';
import { useRefreshHandler } from '../../lib/refresh';
import { routeHash } from '../../lib/router';
import { ApiError } from '../../lib/transport';
import { useNow } from '../../lib/use-now';
import { useInstanceMap, useInstances } from '../../lib/use-server-state';
import { basisText } from '../../../shared/capacity/capacity-layout';
import { VersionMismatch } from '../instances/version-mismatch';
import { layoutRateText, ShardsAndRoom, SnapshotTaken, sizesAgeText, useRefreshSnapshot, useSnapshot } from '../fleet';
import { ForecastLines } from '../../components/forecast-lines';
import { useForecast } from '../history/use-history';
import { RegistryStatusTable } from '../team/registry-status-table';
import { LayoutTable } from './layout-table';
import { NodeTable } from './node-table';
import { TenantFootprintTable } from './tenant-footprint-table';
import { SavedConnectionResults, useSavedConnectionTest } from '../instances/saved-connection-test';

export function InstanceScreen({ id }: { id: string }) {
  const instances = useInstances();
  const view = useInstanceMap().get(id);
  const query = useSnapshot(id);
  const refresh = useRefreshSnapshot(id);
  const forecast = useForecast(id);
  useRefreshHandler(refresh);
  const now = useNow();
  const outcome = query.data;
  const snapshot = outcome?.ok ? outcome.snapshot : null;
  const error = query.error ?? (outcome && !outcome.ok ? ApiError.from(outcome.error) : null);
  const name = view?.instance.name ?? id;
  const test = useSavedConnectionTest();

  if (instances.isSuccess && !view) {
    return (
      <section className="screen">
        <h1>Instance not found</h1>
        <p>
          No instance has the id “{id}”. <a href={routeHash({ screen: 'fleet' })}>Back to the fleet</a>.
        </p>
      </section>
    );
  }

  return (
    <section className="screen" aria-labelledby="instance-heading" aria-busy={query.isFetching}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={routeHash({ screen: 'fleet' })}>Fleet</a> <span aria-hidden="true">›</span>
      </nav>
      <header className={`screen-header${view?.instance.environment === 'production' ? ' is-production' : ''}`}>
        <h1 id="instance-heading">{name}</h1>
        {view ? <EnvironmentBadge environment={view.instance.environment} colour={view.instance.colour} /> : null}
        <span className="spacer" />
        {query.isFetching ? <Spinner label={`Refreshing ${name}`} /> : null}
        <a className="button-link" href={routeHash({ screen: 'history', id })}>
          History and forecast
        </a>
        <a className="button-link" href={routeHash({ screen: 'indices', id })}>
          Indices
        </a>
        <button type="button" onClick={() => test.mutate({ id, name })} disabled={test.isPending}>
          Test connection
        </button>
        <a className="button-link" href={routeHash({ screen: 'new-tenant', instanceId: id })}>
          New tenant here
        </a>
        <a className="button-link" href={routeHash({ screen: 'found', instanceId: id })}>
          Found on instance
        </a>
        <button type="button" onClick={refresh} disabled={query.isFetching}>
          Refresh
        </button>
      </header>
      {view?.instance.environment === 'production' ? <div className="production-band">PRODUCTION</div> : null}
      <SavedConnectionResults test={test} name={name} />
      {view ? <VersionMismatch instance={view.instance} /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {!snapshot && !error ? <p className="muted">Taking a capacity snapshot…</p> : null}
      {snapshot ? (
        <>
          <section aria-labelledby="capacity-heading" className="panel">
            <h2 id="capacity-heading">Capacity</h2>
            <Facts
              facts={[
                [
                  'Cluster',
                  <>
                    {snapshot.cluster.name}{' '}
                    <span className={healthClass(snapshot.cluster.status)}>{snapshot.cluster.status}</span>
                  </>,
                ],
                ['Elasticsearch', snapshot.cluster.version],
                ['Data nodes', snapshot.cluster.dataNodes],
                [
                  'Shards per new tenant',
                  <>
                    {formatCount(snapshot.room.shardsPerNewTenant)}{' '}
                    <span className="muted">({basisText(snapshot.basis.shardsPerNewTenant)})</span>
                  </>,
                ],
                ['Tenants by shards', formatCount(snapshot.room.tenantsByShards)],
                [
                  'Tenants by disk',
                  snapshot.room.tenantsByDisk === null ? 'unknown' : formatCount(snapshot.room.tenantsByDisk),
                ],
                ['Disk headroom', formatBytes(snapshot.room.diskHeadroomBytes)],
                [
                  'Bytes per tenant',
                  <>
                    {formatBytes(snapshot.room.bytesPerTenant)} ({snapshot.room.bytesPerTenantSource},{' '}
                    {basisText(snapshot.basis.bytesPerTenant)})
                  </>,
                ],
              ]}
            />
            <ShardsAndRoom snapshot={snapshot} perNode />
            <div className="growth">
              {forecast ? (
                <ForecastLines forecast={forecast} label={`Forecast of ${name}`} />
              ) : (
                <p className="muted">Forecast: reading the capacity history…</p>
              )}
              <p className="muted">
                {layoutRateText(snapshot)} Layout: {basisText(snapshot.basis.growth)}.
              </p>
            </div>
            <p className="muted small-text">
              <SnapshotTaken snapshot={snapshot} now={now} />.{' '}
              <span className="sizes-age">{sizesAgeText(snapshot, (iso) => formatAgo(iso, now))}</span>. Disk
              watermarks: low {snapshot.watermarks.low}, high {snapshot.watermarks.high}, flood stage{' '}
              {snapshot.watermarks.floodStage}
              {snapshot.watermarks.thresholdEnabled
                ? ''
                : ' (the disk threshold is off: Elasticsearch does not apply them)'}
              .
            </p>
            <details className="small-text snapshot-cost">
              <summary>About this snapshot</summary>
              <p className="muted">
                {plural(snapshot.cost.requests, 'request')} to Elasticsearch, {formatBytes(snapshot.cost.bytesReceived)}{' '}
                received, in {formatDuration(snapshot.cost.durationMs)}. Tenant sizes are read again every few minutes
                and when indices come or go.
              </p>
            </details>
          </section>
          <section aria-labelledby="layout-heading" className="panel">
            <h2 id="layout-heading">Partitions and shards</h2>
            <LayoutTable layout={snapshot.layout} />
          </section>
          <section aria-labelledby="nodes-heading" className="panel">
            <h2 id="nodes-heading">Nodes</h2>
            <NodeTable nodes={snapshot.nodes} />
          </section>
          <section aria-labelledby="tenants-heading" className="panel">
            <h2 id="tenants-heading">Tenants on this instance ({formatCount(snapshot.tenants.length)})</h2>
            <TenantFootprintTable tenants={snapshot.tenants} instanceName={name} />
            {snapshot.otherIndices > 0 ? (
              <p className="muted small-text">
                {formatCount(snapshot.otherIndices)} other indices belong to no tenant.
              </p>
            ) : null}
          </section>
        </>
      ) : null}
      <section aria-labelledby="registry-heading" className="panel">
        <h2 id="registry-heading">Team registry</h2>
        <RegistryStatusTable instanceIds={[id]} />
      </section>
    </section>
  );
}
