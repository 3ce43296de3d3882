/**
 * Which of the watch's changes become desktop notifications: every change, problems only, or none.
 * Stored next to the watch's schedule; the window's main process and the browser shell's page both
 * follow it. In-app notices and the Changes feed show every change whatever is chosen here.
 */
import { useState } from 'react';
import type { NotificationChoice } from '../../../shared/watch/notification-choice';
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { useShellKind } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { askPagePermission, pagePermission, type PagePermission } from '../changes/page-notifications';
import { useWatchControls, useWatchStatus } from '../changes/use-watch';

const CHOICES: readonly { value: NotificationChoice; label: string }[] = [
  { value: 'all', label: 'Every change' },
  { value: 'problems', label: 'Problems only' },
  { value: 'off', label: 'Off' },
];

/** The browser's own permission, which the page needs before it can show any. */
function BrowserPermission() {
  const [permission, setPermission] = useState<PagePermission>(pagePermission);
  if (permission === 'unsupported')
    return <p className="muted small-text">This browser shows no desktop notifications.</p>;
  if (permission === 'granted')
    return <p className="muted small-text">This browser allows the console’s notifications.</p>;
  if (permission === 'denied')
    return (
      <p className="muted small-text">
        This browser blocks the console’s notifications: allow them in its site settings.
      </p>
    );
  return (
    <p className="muted small-text">
      This browser has not been asked yet.{' '}
      <button type="button" onClick={() => void askPagePermission().then(setPermission)}>
        Enable desktop notifications
      </button>
    </p>
  );
}

export function NotificationsSection() {
  const shell = useShellKind();
  const status = useWatchStatus();
  const { configure } = useWatchControls();
  const s = status.data;
  if (status.error) return <ErrorMessage error={status.error} />;
  if (!s) return <p className="muted">Loading…</p>;
  return (
    <>
      <SelectField
        label="Desktop notifications"
        value={s.notifications}
        options={CHOICES}
        onChange={(notifications) =>
          configure.mutate(
            { notifications },
            {
              onSuccess: () =>
                announce(`Desktop notifications: ${CHOICES.find((c) => c.value === notifications)?.label}.`),
            },
          )
        }
      />
      <p className="muted small-text">
        What a watch round found: a tenant that drifted, an instance that stopped answering, a shard, disk or forecast
        limit crossed, and back. The notices inside the console and the Changes screen always show every change.
      </p>
      {shell === 'browser' && s.notifications !== 'off' ? <BrowserPermission /> : null}
      {configure.error ? <ErrorMessage error={configure.error} prefix="Not saved:" /> : null}
    </>
  );
}
