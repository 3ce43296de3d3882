/** Verification results as they arrive: one row per tenant, its status and why; evidence on demand. */
import { SelectField } from '../../components/select-field';
import { Fragment, useMemo, useState } from 'react';
import type { VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';
import { DataTable, type DataColumn } from '../../components/data-table';
import { StatusBadge } from '../../components/status-badge';
import { VerificationEvidence } from '../../components/verification-evidence';
import { formatCount } from '../../lib/format';
import { routeHash } from '../../lib/router';
import { PROBLEM_STATUSES } from './merge-results';

const RENDER_LIMIT = 500;
const COLUMNS: DataColumn[] = ['Tenant', 'Instance', 'Status', 'Why', { label: 'Evidence', hidden: true }];

type Show = 'problems' | 'all' | VerifyStatus;

export function VerifyResults({
  results,
  counts,
  instanceName,
}: {
  results: VerificationResult[];
  counts: Map<VerifyStatus, number>;
  instanceName: (id: string) => string;
}) {
  const [show, setShow] = useState<Show>('all');
  const [open, setOpen] = useState<string | null>(null);
  const shown = useMemo(() => {
    if (show === 'all') {
      // Problems first: they are what the operator acts on.
      const problems = results.filter((r) => PROBLEM_STATUSES.has(r.status));
      return problems.length ? problems.concat(results.filter((r) => !PROBLEM_STATUSES.has(r.status))) : results;
    }
    if (show === 'problems') return results.filter((r) => PROBLEM_STATUSES.has(r.status));
    return results.filter((r) => r.status === show);
  }, [results, show]);
  const visible = shown.slice(0, RENDER_LIMIT);

  return (
    <section className="panel" aria-labelledby="verify-results-heading">
      <div className="panel-header">
        <h2 id="verify-results-heading">Results</h2>
        <span className="spacer" />
        <SelectField<Show>
          label="Show"
          className="inline"
          value={show}
          options={[
            { value: 'all', label: 'All (problems first)' },
            { value: 'problems', label: 'Problems only' },
            ...[...counts].map(([s, n]) => ({ value: s, label: `${s} (${n})` })),
          ]}
          onChange={setShow}
        />
      </div>
      {results.length === 0 ? <p className="muted">No results yet.</p> : null}
      {visible.length > 0 ? (
        <DataTable caption="Verification results" columns={COLUMNS} scroll>
          {visible.map((r) => {
            const key = `${r.instanceId}/${r.tenant}`;
            const expanded = open === key;
            return (
              <Fragment key={key}>
                <tr className={PROBLEM_STATUSES.has(r.status) ? 'is-problem' : undefined}>
                  <th scope="row">{r.tenant}</th>
                  <td>{instanceName(r.instanceId)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.summary}</td>
                  <td>
                    <button
                      type="button"
                      className="small"
                      aria-expanded={expanded}
                      onClick={() => setOpen(expanded ? null : key)}
                      aria-label={`Evidence for ${r.tenant} on ${instanceName(r.instanceId)}`}
                    >
                      Evidence
                    </button>
                  </td>
                </tr>
                {expanded ? (
                  <tr className="evidence-row">
                    <td colSpan={5}>
                      <VerificationEvidence result={r} />
                      <a
                        className="button-link small"
                        href={routeHash({ screen: 'indices', id: r.instanceId, params: { tenant: r.tenant } })}
                      >
                        Indices of {r.tenant}
                      </a>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </DataTable>
      ) : null}
      {shown.length > RENDER_LIMIT ? (
        <p className="muted">
          Showing the first {formatCount(RENDER_LIMIT)} of {formatCount(shown.length)}: pick a status under “Show” to
          narrow.
        </p>
      ) : null}
    </section>
  );
}
