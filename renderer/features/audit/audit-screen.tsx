/**
 * Audit log: who did what, from which workstation, where, with what outcome; filtered by action,
 * instance and tenant. Entries that only this workstation's log has (the team trail was unreachable)
 * are marked; Verify audit trail checks each instance's hash chain.
 */
import { useCallback, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { instanceOptions, SelectField } from '../../components/select-field';
import { Spinner } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { outcomeClass } from '../../components/tone';
import { useApi } from '../../lib/api-context';
import { formatCount, formatTime } from '../../lib/format';
import { qk } from '../../lib/query-client';
import { useRefreshHandler } from '../../lib/refresh';
import { useDebouncedValue } from '../../lib/use-debounced-value';
import { useInstanceMap, useInstances } from '../../lib/use-server-state';
import { AuditVerify } from '../team/audit-verify';
import { TrailCell } from '../team/trail-cell';

const LIMIT = 500;
const COLUMNS = ['Time', 'Operator', 'Workstation', 'Action', 'Instance', 'Tenant', 'Outcome', 'Team trail', 'Detail'];

export function AuditScreen() {
  const api = useApi();
  const instances = useInstances().data ?? [];
  const byId = useInstanceMap();
  const [action, setAction] = useState('');
  const [instanceId, setInstanceId] = useState('');
  const [tenantInput, setTenantInput] = useState('');
  const tenant = useDebouncedValue(tenantInput.trim(), 300);
  const actionFilter = useDebouncedValue(action.trim(), 300);
  const filters = useMemo(() => ({ action: actionFilter, instanceId, tenant }), [actionFilter, instanceId, tenant]);
  const query = useQuery({
    queryKey: qk.audit(filters),
    queryFn: () =>
      api['audit.list']({
        limit: LIMIT,
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.instanceId ? { instanceId: filters.instanceId } : {}),
        ...(filters.tenant ? { tenant: filters.tenant } : {}),
      }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const { refetch } = query;
  useRefreshHandler(useCallback(() => void refetch(), [refetch]));
  const entries = useMemo(() => query.data ?? [], [query.data]);
  // Actions seen so far, offered as suggestions for the action filter.
  const knownActions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);

  return (
    <section className="screen" aria-labelledby="audit-heading">
      <header className="screen-header">
        <h1 id="audit-heading">Audit log</h1>
        <span className="muted" role="status">
          {query.isSuccess
            ? `${formatCount(entries.length)} entr${entries.length === 1 ? 'y' : 'ies'}${entries.length >= LIMIT ? ` (latest ${LIMIT})` : ''}`
            : ''}
        </span>
        {query.isFetching ? <Spinner label="Loading the audit log" /> : null}
        <span className="spacer" />
        <button type="button" onClick={() => void refetch()}>
          Refresh
        </button>
      </header>
      <AuditVerify />
      <div className="filter-bar" role="search" aria-label="Filter the audit log">
        <TextField
          label="Action"
          value={action}
          onValue={setAction}
          list="audit-actions"
          placeholder="e.g. tenants.create"
          data-shortcut-search
        />
        <datalist id="audit-actions">
          {knownActions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <SelectField
          label="Instance"
          value={instanceId}
          empty="All instances"
          options={instanceOptions(instances)}
          onChange={setInstanceId}
        />
        <TextField label="Tenant" value={tenantInput} onValue={setTenantInput} />
      </div>
      {query.error ? <ErrorMessage error={query.error} /> : null}
      {query.isSuccess && entries.length === 0 ? <p className="muted">No audit entries match.</p> : null}
      {entries.length > 0 ? (
        <DataTable caption="Audit log entries" columns={COLUMNS} scroll="panel" className="audit-table">
          {entries.map((e, i) => (
            <tr key={`${e.time}-${i}`}>
              <td>
                <time dateTime={e.time}>{formatTime(e.time)}</time>
              </td>
              <td>{e.operator?.name ?? e.user}</td>
              <td>{e.operator?.workstation ?? '—'}</td>
              <td>{e.action}</td>
              <td>{e.instanceId ? (byId.get(e.instanceId)?.instance.name ?? e.instanceId) : '—'}</td>
              <td>{e.tenant ?? '—'}</td>
              <td>
                <span className={outcomeClass(e.outcome)}>{e.outcome}</span>
              </td>
              <td>
                <TrailCell entry={e} />
              </td>
              <td>{e.detail ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
