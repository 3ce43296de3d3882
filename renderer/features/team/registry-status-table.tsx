/**
 * Each instance's team registry as this console sees it: the scope its records live under, whether
 * it answers and may be written (since when, and why not), and when this console last synced it.
 * For the Settings screen; the Instance screen shows its own instance's row.
 */
import type { RegistryStatus } from '../../../shared/contract/contract';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../lib/format';
import { useRegistryStatus } from '../../lib/registry-status';
import { useInstanceMap } from '../../lib/use-server-state';
import { healthText } from './registry-words';
import './team.css';

const TONE: Record<RegistryStatus['health']['state'], string> = {
  ok: 'tone-ok',
  unreachable: 'tone-danger',
  'read-only': 'tone-warn',
  unknown: 'tone-muted',
};
const STATE_WORD: Record<RegistryStatus['health']['state'], string> = {
  ok: 'ok',
  unreachable: 'unreachable',
  'read-only': 'read-only',
  unknown: 'not synced',
};

export function RegistryStatusTable({ instanceIds }: { instanceIds?: readonly string[] }) {
  const query = useRegistryStatus();
  const names = useInstanceMap();
  const rows = (query.data ?? []).filter((s) => !instanceIds || instanceIds.includes(s.instanceId));
  return (
    <>
      {query.error ? <ErrorMessage error={query.error} /> : null}
      {query.isPending ? <p className="muted">Reading the team registry’s status…</p> : null}
      {rows.length > 0 ? (
        <DataTable
          caption="Team registry of each instance"
          columns={['Instance', 'Scope', 'State', 'Health', 'Last sync']}
          testId="registry-status"
        >
          {rows.map((s) => (
            <tr key={s.instanceId} data-instance-id={s.instanceId} data-state={s.health.state}>
              <th scope="row">{names.get(s.instanceId)?.instance.name ?? s.instanceId}</th>
              <td>
                <code>{s.scope}</code>
              </td>
              <td>
                <span className={`outcome ${TONE[s.health.state]}`}>{STATE_WORD[s.health.state]}</span>
              </td>
              <td>{healthText(s, formatTime)}</td>
              <td>{s.syncedAt ? <time dateTime={s.syncedAt}>{formatTime(s.syncedAt)}</time> : 'never'}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </>
  );
}
