/**
 * Changes: the watch's feed (time, subject, old -> new, why) and its schedule controls (interval,
 * pause/resume, run now). The feed lives in the data folder; every shell on it adds to it.
 */
import { useCallback, useState } from 'react';
import type { WatchChange, WatchStatus } from '../../../shared/watch';
import { changeArrow } from '../../../shared/watch-text';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { Spinner } from '../../components/spinner';
import { useShellKind } from '../../lib/api-context';
import { formatCount, formatTime } from '../../lib/format';
import { announce } from '../../lib/notices';
import { useRefreshHandler } from '../../lib/refresh';
import { askPagePermission, pagePermission, type PagePermission } from './page-notifications';
import { useWatchControls, useWatchFeed, useWatchStatus } from './use-watch';

const COLUMNS = ['Time', 'Subject', 'Change', 'Kind', 'Detail'];
const INTERVALS = [5, 10, 15, 30, 60, 120, 240, 480, 1440];

function intervalLabel(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? 'every hour' : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

const SEVERITY_LABEL: Record<WatchChange['severity'], string> = {
  problem: 'Problem',
  recovered: 'Recovered',
  info: 'Change',
};
const SEVERITY_TONE: Record<WatchChange['severity'], string> = {
  problem: 'tone-danger',
  recovered: 'tone-ok',
  info: 'tone-info',
};
const NOTE_TEXT: Record<NonNullable<WatchChange['note']>, string> = {
  baseline: 'present at start',
  flapping: 'flapping: further changes are quiet',
  quiet: 'quiet (flapping)',
  settled: 'settled',
};

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
  const { configure, runNow } = useWatchControls();
  const { refetch } = feed;
  useRefreshHandler(useCallback(() => void refetch(), [refetch]));
  const s = status.data;
  const entries = feed.data?.entries ?? [];
  const busy = runNow.isPending || s?.running === true;
  const intervals =
    s && !INTERVALS.includes(s.intervalMinutes) ? [...INTERVALS, s.intervalMinutes].sort((a, b) => a - b) : INTERVALS;

  return (
    <section className="screen" aria-labelledby="changes-heading">
      <header className="screen-header">
        <h1 id="changes-heading">Changes</h1>
        <span className="muted">
          {feed.isSuccess ? `${formatCount(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'}` : ''}
        </span>
        {feed.isFetching || busy ? <Spinner label={busy ? 'Running a watch round' : 'Loading the changes'} /> : null}
      </header>
      <div className="panel watch-controls" role="group" aria-label="Watch schedule">
        {s ? (
          <>
            <SelectField
              label="Re-verify the fleet"
              value={String(s.intervalMinutes)}
              options={intervals.map((m) => ({ value: String(m), label: intervalLabel(m) }))}
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
      {entries.length > 0 ? (
        <DataTable
          caption="Changes seen by the watch, newest first"
          columns={COLUMNS}
          scroll="panel"
          testId="changes-feed"
        >
          {entries.map((e) => (
            <tr key={e.id} data-kind={e.kind}>
              <td>
                <time dateTime={e.at}>{formatTime(e.at)}</time>
              </td>
              <td>{e.subject}</td>
              <td className="watch-change">{changeArrow(e)}</td>
              <td>
                {/* Another operator's change to a tenant's record: information, not a problem. */}
                <span className={`outcome ${SEVERITY_TONE[e.severity]}`}>
                  {e.kind === 'team' ? 'Another operator' : SEVERITY_LABEL[e.severity]}
                </span>
                {e.note ? <span className="muted"> {NOTE_TEXT[e.note]}</span> : null}
              </td>
              <td>{e.detail}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
