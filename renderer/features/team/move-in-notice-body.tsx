/**
 * The move-in notice itself: how many local records differ from the team's (and the button that
 * opens the dialog to compare and choose), and the instances whose registry could not take this
 * console's local records yet.
 */
import { lazy, Suspense, useState } from 'react';
import type { MoveInReportView } from '../../../shared/contract/contract';
import { formatCount } from '../../lib/format';
import { useInstanceMap } from '../../lib/use-server-state';
import './team.css';

const MoveInDialog = lazy(() => import('./move-in-dialog'));

export default function MoveInNoticeBody({ reports }: { reports: MoveInReportView[] }) {
  const names = useInstanceMap();
  const [open, setOpen] = useState(false);
  const conflicts = reports.flatMap((r) => r.conflicts);
  const waiting = reports.flatMap((r) => r.waiting);
  return (
    <div className="move-in-notice" role="region" aria-label="Local records to move in">
      {conflicts.length > 0 ? (
        <>
          <p>
            {conflicts.length === 1
              ? `Your local record of ${conflicts[0]!.tenant} differs from the team’s record of the same tenant.`
              : `${formatCount(conflicts.length)} of your local records differ from the team’s records of the same tenants.`}{' '}
            Nothing was overwritten: choose which to keep.
          </p>
          <button type="button" onClick={() => setOpen(true)}>
            Compare and choose
          </button>
        </>
      ) : null}
      {waiting.map((w) => (
        <p key={w.instanceId} className="small-text">
          Local records of {names.get(w.instanceId)?.instance.name ?? w.instanceId} wait to be published: {w.reason}
        </p>
      ))}
      {open && conflicts.length > 0 ? (
        <Suspense fallback={null}>
          <MoveInDialog conflicts={conflicts} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
