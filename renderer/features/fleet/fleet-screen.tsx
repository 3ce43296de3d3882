/** Fleet: every instance with its capacity, refreshed in parallel, each card on its own. */
import { useIsFetching } from '@tanstack/react-query';
import { ErrorMessage } from '../../components/error-message';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { useRefreshHandler } from '../../lib/refresh';
import { routeHash } from '../../lib/router';
import { useNow } from '../../lib/use-now';
import { useInstances } from '../../lib/use-server-state';
import { HeadroomOverview } from '../history/headroom-overview';
import { InstanceCard } from './instance-card';
import { useRefreshFleet } from './use-snapshots';

export function FleetScreen() {
  const instances = useInstances();
  const refresh = useRefreshFleet();
  const fetching = useIsFetching({ queryKey: qk.snapshots });
  const now = useNow();

  useRefreshHandler(refresh);

  const views = instances.data ?? [];
  return (
    <section className="screen" aria-labelledby="fleet-heading">
      <header className="screen-header">
        <h1 id="fleet-heading">Fleet</h1>
        <span className="spacer" />
        <span className="muted" aria-live="polite">
          {fetching > 0 ? `Refreshing ${fetching} instance${fetching === 1 ? '' : 's'}…` : ''}
        </span>
        <button
          type="button"
          onClick={() => {
            refresh();
            announce('Refreshing every instance.');
          }}
        >
          Refresh
        </button>
      </header>
      {instances.error ? <ErrorMessage error={instances.error} /> : null}
      {instances.isPending ? <p className="muted">Loading instances…</p> : null}
      {instances.isSuccess && views.length === 0 ? (
        <p>
          No instances yet. <a href={routeHash({ screen: 'instances' })}>Add an instance</a> to start.
        </p>
      ) : null}
      <div className="card-grid">
        {views.map((v) => (
          <InstanceCard key={v.instance.id} view={v} now={now} />
        ))}
      </div>
      <HeadroomOverview />
    </section>
  );
}
