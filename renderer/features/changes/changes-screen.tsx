/**
 * Changes: the watch's feed (time, subject, old -> new, why) and its schedule controls (interval,
 * pause/resume, run now). The feed lives in the data folder; every shell on it adds to it.
 */
import { useCallback, useMemo, useState } from 'react';
import type { WatchChange, WatchStatus } from '../../../shared/watch/watch';
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { Spinner } from '../../components/spinner';
import { useShellKind } from '../../lib/api-context';
import { formatCount, formatTime } from '../../lib/format';
import { announce } from '../../lib/notices';
import { useRefreshHandler } from '../../lib/refresh';
import { useRoute } from '../../lib/router';
import { useNow } from '../../lib/use-now';
import { useUrlText } from '../../lib/use-url-text';
import { ExportButtons, type ExportColumn } from '../log-tools';
import { ChangesFilterBar } from './changes-filter-bar';
import { ChangesTable } from './changes-table';
import { CHANGE_PARAMS, changeFiltersFromParams, filterChanges, isSeen } from './changes-view';
import { askPagePermission, pagePermission, type PagePermission } from './page-notifications';
import { useAcknowledge, useWatchAcks, useWatchControls, useWatchFeed, useWatchStatus } from './use-watch';
import { intervalOptions } from './watch-intervals';

/** The columns of an export: the table's, with the values as they are stored (ISO times, codes). */
const EXPORT_COLUMNS: readonly ExportColumn<WatchChange & { seen: boolean }>[] = [
  { header: 'Time', value: (e) => e.at },
  { header: 'Subject', value: (e) => e.subject },
  { header: 'About', value: (e) => e.kind },
  { header: 'Instance', value: (e) => e.instanceId },
  { header: 'Tenant', value: (e) => e.tenant ?? '' },
  { header: 'From', value: (e) => e.from ?? '' },
  { header: 'To', value: (e) => e.to },
  { header: 'Kind', value: (e) => e.severity },
  { header: 'Note', value: (e) => e.note ?? '' },
  { header: 'Detail', value: (e) => e.detail },
  { header: 'Seen', value: (e) => (e.seen ? 'yes' : 'no') },
];

function ScheduleLine({ status }: { status: WatchStatus }) {
  const parts = [
    status.running ? 'A round is running.' : null,
    status.lastRunAt ? `Last round ${formatTime(status.lastRunAt)}.` : 'No round yet.',
    status.paused ? 'Paused.' : status.nextRunAt ? `Next round ${formatTime(status.nextRunAt)}.` : null,
    status.problems === 0
      ? 'No problem now.'
      : `${formatCount(status.problems)} problem${status.problems === 1 ? '' : 's'} now.`,
  ].filter(Boolean);
  return (
    <p className="muted" role="status" data-testid="watch-status">
      {parts.join(' ')}
    </p>
  );
}

function PageNotificationsControl() {
  const [permission, setPermission] = useState<PagePermission>(pagePermission);
  if (permission === 'unsupported') return null;
  if (permission === 'granted') return <span className="muted">Desktop notifications on.</span>;
  if (permission === 'denied')
    return (
      <span className="muted">Desktop notifications blocked by the browser: changes show here and as toasts.</span>
    );
  return (
    <button type="button" onClick={() => void askPagePermission().then(setPermission)}>
      Enable desktop notifications
    </button>
  );
}

export function ChangesScreen() {
  const shell = useShellKind();
  const status = useWatchStatus();
  const feed = useWatchFeed();
  const acks = useWatchAcks();
  const acknowledge = useAcknowledge();
  const { configure, runNow } = useWatchControls();
  const { refetch } = feed;
  useRefreshHandler(useCallback(() => void refetch(), [refetch]));
  const params = useRoute().params;
  const [text, setText] = useUrlText(CHANGE_PARAMS.text);
  const filters = useMemo(() => ({ ...changeFiltersFromParams(params), text }), [params, text]);
  const now = useNow();
  const s = status.data;
  const entries = useMemo(() => feed.data?.entries ?? [], [feed.data]);
  const shown = useMemo(() => filterChanges(entries, filters, acks.data, now), [entries, filters, acks.data, now]);
  const unseen = acks.data ? entries.filter((e) => !isSeen(acks.data, e.id)).length : 0;
  const exportRows = useMemo(() => shown.map((e) => ({ ...e, seen: isSeen(acks.data, e.id) })), [shown, acks.data]);
  const busy = runNow.isPending || s?.running === true;

  return (
    <section className="screen" aria-labelledby="changes-heading">
      <header className="screen-header">
        <h1 id="changes-heading">Changes</h1>
        <span className="muted" role="status" data-testid="changes-count">
          {feed.isSuccess
            ? `${shown.length === entries.length ? '' : `Showing ${formatCount(shown.length)} of `}${formatCount(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'}; ${formatCount(unseen)} new`
            : ''}
        </span>
        {feed.isFetching || busy ? <Spinner label={busy ? 'Running a watch round' : 'Loading the changes'} /> : null}
        <span className="spacer" />
        <button
          type="button"
          disabled={unseen === 0 || acknowledge.isPending || !feed.data}
          // Up to the newest entry shown now: one a round adds meanwhile stays new.
          onClick={() =>
            feed.data &&
            acknowledge.mutate(
              { through: feed.data.cursor },
              { onSuccess: () => announce('Every change marked seen.') },
            )
          }
        >
          Mark all seen
        </button>
        <ExportButtons what="changes" label="Export the changes shown" rows={exportRows} columns={EXPORT_COLUMNS} />
      </header>
      <div className="panel watch-controls" role="group" aria-label="Watch schedule">
        {s ? (
          <>
            <SelectField
              label="Re-verify the fleet"
              value={String(s.intervalMinutes)}
              options={intervalOptions(s.intervalMinutes)}
              onChange={(v) => configure.mutate({ intervalMinutes: Number(v) })}
            />
            <button
              type="button"
              aria-pressed={s.paused}
              onClick={() =>
                configure.mutate(
                  { paused: !s.paused },
                  { onSuccess: (next) => announce(next.paused ? 'Watch paused.' : 'Watch resumed.') },
                )
              }
            >
              {s.paused ? 'Resume' : 'Pause'}
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => runNow.mutate(undefined, { onSuccess: () => announce('Watch round finished.') })}
            >
              Run now
            </button>
            {shell === 'browser' ? <PageNotificationsControl /> : null}
            <ScheduleLine status={s} />
          </>
        ) : null}
        {s?.lastError ? <p className="error-text">Last round failed: {s.lastError}</p> : null}
      </div>
      {status.error ? <ErrorMessage error={status.error} /> : null}
      {configure.error ? <ErrorMessage error={configure.error} /> : null}
      {runNow.error ? <ErrorMessage error={runNow.error} /> : null}
      {feed.error ? <ErrorMessage error={feed.error} /> : null}
      {feed.isSuccess && entries.length === 0 ? (
        <p className="muted">
          No change yet. The first round sets the baseline: problems already there are listed once; after that only
          changes are.
        </p>
      ) : null}
      {entries.length > 0 ? <ChangesFilterBar filters={filters} onText={setText} /> : null}
      {acknowledge.error ? <ErrorMessage error={acknowledge.error} prefix="Not marked seen:" /> : null}
      {entries.length > 0 && shown.length === 0 ? <p className="muted">No change matches these filters.</p> : null}
      {shown.length > 0 ? (
        <ChangesTable
          entries={shown}
          acks={acks.data}
          busy={acknowledge.isPending}
          onSeen={(id) => acknowledge.mutate({ ids: [id] })}
        />
      ) : null}
    </section>
  );
}
