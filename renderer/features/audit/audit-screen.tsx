/**
/**
 * Audit log: who did what, from which workstation, where, with what outcome; filtered by action,
 * instance, tenant, outcome and time (kept in the URL:
 * `#/audit?action=…&instance=…&tenant=…&outcome=…&since=…`), exported as CSV or JSON. Entries that
 * only this workstation's log has (the team trail was unreachable) are marked; Verify audit trail
 * checks each instance's hash chain. Reads `audit.list`.
 */
import { useCallback, useMemo } from 'react';
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
import { setParams, useRoute } from '../../lib/router';
import { useUrlText } from '../../lib/use-url-text';
import { useInstanceMap, useInstances } from '../../lib/use-server-state';
import type { AuditEntry } from '../../../shared/contract/contract';
import { ExportButtons, TIME_WINDOW_OPTIONS, timeWindow, windowStart, type ExportColumn } from '../log-tools';
import { AuditVerify } from '../team/audit-verify';
import { TrailCell } from '../team/trail-cell';

const LIMIT = 500;
const COLUMNS = ['Time', 'Operator', 'Workstation', 'Action', 'Instance', 'Tenant', 'Outcome', 'Team trail', 'Detail'];
const OUTCOMES = ['ok', 'refused', 'failed'] as const;
type Outcome = (typeof OUTCOMES)[number];

const EXPORT_COLUMNS: readonly ExportColumn<AuditEntry>[] = [
  { header: 'Time', value: (e) => e.time },
  { header: 'Operator', value: (e) => e.operator?.name ?? e.user },
  { header: 'Workstation', value: (e) => e.operator?.workstation ?? '' },
  { header: 'Action', value: (e) => e.action },
  { header: 'Instance', value: (e) => e.instanceId ?? '' },
  { header: 'Tenant', value: (e) => e.tenant ?? '' },
  { header: 'Outcome', value: (e) => e.outcome },
  // The entry's place in its instance's team trail; empty: only this workstation's log has it.
  { header: 'Team trail', value: (e) => (typeof e.team === 'number' ? e.team : '') },
  { header: 'Detail', value: (e) => e.detail ?? '' },
];

export function AuditScreen() {
  const api = useApi();
  const instances = useInstances().data ?? [];
  const byId = useInstanceMap();
  const params = useRoute().params ?? {};
  // The boxes follow each keystroke; the URL, and so the query, once the typing pauses.
  const [action, setAction, actionInUrl] = useUrlText('action');
  const instanceId = params.instance ?? '';
  const [tenantInput, setTenant, tenantInUrl] = useUrlText('tenant');
  const outcome: Outcome | '' = OUTCOMES.find((o) => o === params.outcome) ?? '';
  const since = timeWindow(params.since);
  const tenant = tenantInUrl.trim();
  const actionFilter = actionInUrl.trim();
  const filters = useMemo(
    () => ({ action: actionFilter, instanceId, tenant, outcome, since }),
    [actionFilter, instanceId, tenant, outcome, since],
  );
  const query = useQuery({
    queryKey: qk.audit(filters),
    queryFn: () => {
      const start = windowStart(filters.since, Date.now());
      return api['audit.list']({
        limit: LIMIT,
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.instanceId ? { instanceId: filters.instanceId } : {}),
        ...(filters.tenant ? { tenant: filters.tenant } : {}),
        ...(filters.outcome ? { outcome: filters.outcome } : {}),
        ...(start !== null ? { since: new Date(start).toISOString() } : {}),
      });
    },
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    // Coming back to the screen reads the log afresh: what was just done (or refused) is in it.
    refetchOnMount: 'always',
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
        <ExportButtons
          what="audit-log"
          label="Export the audit entries shown"
          rows={entries}
          columns={EXPORT_COLUMNS}
        />
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
          onChange={(v) => setParams({ instance: v })}
        />
        <TextField label="Tenant" value={tenantInput} onValue={setTenant} />
        <SelectField
          label="Outcome"
          value={outcome}
          empty="Any outcome"
          options={OUTCOMES}
          onChange={(v) => setParams({ outcome: v })}
        />
        <SelectField
          label="Since"
          value={since}
          empty="Any time"
          options={TIME_WINDOW_OPTIONS}
          onChange={(v) => setParams({ since: v })}
        />
        <button
          type="button"
          className="align-end"
          onClick={() => setParams({ action: null, instance: null, tenant: null, outcome: null, since: null })}
        >
          Clear filters
        </button>
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
              <td className="wrap-anywhere">{e.detail ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
