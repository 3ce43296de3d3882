/**
 * A local record that the team's registry already holds with other data: both side by side with
 * their differences, and the operator's choice. Keep team's drops the local record; Keep mine writes
 * it over the team's record (every operator sees it from then on). Each asks once more first.
 * One conflict at a time; the next one follows until none is left. A chunk of its own.
 */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MoveInReportView } from '../../../shared/contract/contract';
import { DataTable } from '../../components/data-table';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { formatTime } from '../../lib/format';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { useInstanceMap } from '../../lib/use-server-state';
import { compareRecords } from './move-in-compare';
import './team.css';

type Conflict = MoveInReportView['conflicts'][number];

export default function MoveInDialog({ conflicts, onClose }: { conflicts: Conflict[]; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const names = useInstanceMap();
  const [choice, setChoice] = useState<'team' | 'local' | null>(null);
  const [done, setDone] = useState<Set<string>>(() => new Set());
  // How many there were when the dialog opened: the report shrinks as each one is resolved.
  const [total] = useState(conflicts.length);
  const open = conflicts.filter((c) => !done.has(`${c.instanceId}/${c.tenant}`));
  const current = open[0];
  const resolve = useMutation({
    mutationFn: (args: { conflict: Conflict; keep: 'team' | 'local' }) =>
      api['tenants.resolveMoveIn']({
        instanceId: args.conflict.instanceId,
        tenant: args.conflict.tenant,
        keep: args.keep,
      }),
    onSuccess: (_, { conflict, keep }) => {
      announce(
        keep === 'team'
          ? `Kept the team’s record of ${conflict.tenant}; your local one is dropped.`
          : `Kept your record of ${conflict.tenant}: it is now the team’s record.`,
      );
      setDone((d) => new Set(d).add(`${conflict.instanceId}/${conflict.tenant}`));
      setChoice(null);
      void qc.invalidateQueries({ queryKey: qk.tenants });
      if (open.length <= 1) onClose();
    },
  });
  if (!current) return null;
  const instanceName = names.get(current.instanceId)?.instance.name ?? current.instanceId;
  const rows = compareRecords(current.local, current.team, formatTime);
  const count = Math.max(total, done.size + open.length);
  const position = done.size + 1;
  return (
    <Dialog title={`Two records of ${current.tenant} on ${instanceName}`} onClose={onClose} busy={resolve.isPending}>
      <div className="stack">
        <p>
          {count > 1 ? `Conflict ${position} of ${count}. ` : ''}This console kept its own record of{' '}
          <strong>{current.tenant}</strong> before the team registry; the team’s registry on {instanceName} already
          holds it with other data. Nothing was overwritten: choose which record to keep.
        </p>
        <ul aria-label="Differences">
          {current.differences.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
        <DataTable
          caption={`Your record and the team’s record of ${current.tenant}, side by side`}
          columns={['Field', 'Yours (this console)', 'Team’s registry']}
          className="move-in-compare"
          testId="move-in-compare"
        >
          {rows.map((r) => (
            <tr key={r.field} data-field={r.field} data-differs={r.differs}>
              <th scope="row" className={r.differs ? 'differs' : undefined}>
                {r.field}
                {r.differs ? <span className="differs-mark"> (differs)</span> : null}
              </th>
              <td className={r.differs ? 'differs' : undefined}>{r.local}</td>
              <td className={r.differs ? 'differs' : undefined}>{r.team}</td>
            </tr>
          ))}
        </DataTable>
        {resolve.error ? <ErrorMessage error={resolve.error} /> : null}
        {choice === null ? (
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Decide later
            </button>
            <button type="button" onClick={() => setChoice('team')} data-autofocus>
              Keep team’s
            </button>
            <button type="button" className="warning" onClick={() => setChoice('local')}>
              Keep mine
            </button>
          </div>
        ) : (
          <div className="stack" role="group" aria-label="Confirm your choice">
            <p>
              {choice === 'team'
                ? `Keep the team’s record of ${current.tenant}? Your local record is dropped from this console.`
                : `Keep your record of ${current.tenant}? It is written over the team’s record on ${instanceName}, and every operator sees yours from now on.`}
            </p>
            <div className="dialog-actions">
              <button type="button" onClick={() => setChoice(null)} disabled={resolve.isPending}>
                Back
              </button>
              <button
                type="button"
                className={choice === 'local' ? 'danger' : 'primary'}
                disabled={resolve.isPending}
                onClick={() => resolve.mutate({ conflict: current, keep: choice })}
              >
                {choice === 'team' ? 'Confirm: keep team’s' : 'Confirm: keep mine'}
              </button>
            </div>
          </div>
        )}
      </div>
    </Dialog>
  );
}
