/** The watch's schedule: how often the fleet is re-verified, paused or not (as on the Changes screen). */
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { formatTime } from '../../lib/format';
import { announce } from '../../lib/notices';
import { routeHash } from '../../lib/router';
import { useWatchControls, useWatchStatus } from '../changes/use-watch';
import { intervalOptions } from '../changes/watch-intervals';

export function WatchSection() {
  const status = useWatchStatus();
  const { configure } = useWatchControls();
  const s = status.data;
  if (status.error) return <ErrorMessage error={status.error} />;
  if (!s) return <p className="muted">Loading…</p>;
  return (
    <>
      <div className="button-row">
        <SelectField
          label="Re-verify the fleet"
          value={String(s.intervalMinutes)}
          options={intervalOptions(s.intervalMinutes)}
          onChange={(v) =>
            configure.mutate({ intervalMinutes: Number(v) }, { onSuccess: () => announce('Watch schedule saved.') })
          }
        />
        <button
          type="button"
          className="align-end"
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
      </div>
      <p className="muted small-text" data-testid="settings-watch-status">
        {s.paused ? 'Paused: no scheduled round runs.' : `Next round ${formatTime(s.nextRunAt)}.`} Every round
        re-verifies every tenant and snapshots every instance’s capacity; what changed is in{' '}
        <a href={routeHash({ screen: 'changes' })}>Changes</a>.
      </p>
      {configure.error ? <ErrorMessage error={configure.error} prefix="Not saved:" /> : null}
    </>
  );
}
