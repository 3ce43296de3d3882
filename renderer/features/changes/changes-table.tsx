/** The Changes feed as a table, newest first: each entry new (bold, "Mark seen") or seen. */
import type { WatchChange } from '../../../shared/watch/watch';
import { changeArrow } from '../../../shared/watch/watch-text';
import { DataTable, type DataColumn } from '../../components/data-table';
import { formatTime } from '../../lib/format';
import { routeHash } from '../../lib/router';
import { isSeen, type Acks } from './changes-view';

const COLUMNS: DataColumn[] = ['Time', 'Subject', 'Change', 'Kind', 'Detail', { label: 'Seen' }];

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

export function ChangesTable({
  entries,
  acks,
  onSeen,
  busy,
}: {
  entries: readonly WatchChange[];
  acks: Acks | undefined;
  onSeen: (id: number) => void;
  busy: boolean;
}) {
  return (
    <DataTable caption="Changes seen by the watch, newest first" columns={COLUMNS} scroll="panel" testId="changes-feed">
      {entries.map((e) => {
        const seen = isSeen(acks, e.id);
        return (
          <tr
            key={e.id}
            className={seen ? undefined : 'is-unseen'}
            data-entry-id={e.id}
            data-seen={seen}
            data-kind={e.kind}
          >
            <td>
              <time dateTime={e.at}>{formatTime(e.at)}</time>
            </td>
            <td className="wrap-anywhere">{e.subject}</td>
            <td className="watch-change">{changeArrow(e)}</td>
            <td>
              {/* Another operator's change to a tenant's record: information, not a problem. */}
              <span className={`outcome ${SEVERITY_TONE[e.severity]}`}>
                {e.kind === 'team' ? 'Another operator' : SEVERITY_LABEL[e.severity]}
              </span>
              {e.note ? <span className="muted"> {NOTE_TEXT[e.note]}</span> : null}
            </td>
            <td className="wrap-anywhere">
              {e.detail}
              {/* A tenant's problem: its indices, to see what is missing (drift, partial). */}
              {e.kind === 'tenant' && e.tenant && e.severity === 'problem' ? (
                <>
                  {' '}
                  <a href={routeHash({ screen: 'indices', id: e.instanceId, params: { tenant: e.tenant } })}>
                    Indices of {e.tenant}
                  </a>
                </>
              ) : null}
            </td>
            <td>
              {seen ? (
                <span className="muted">seen</span>
              ) : (
                <button
                  type="button"
                  className="small"
                  disabled={busy}
                  onClick={() => onSeen(e.id)}
                  aria-label={`Mark seen: ${e.subject}, ${changeArrow(e)}`}
                >
                  Mark seen
                </button>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
