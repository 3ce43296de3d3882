/**
 * Verify audit trail: walks each instance's hash-chained team audit trail and says, per instance,
 * whether it is intact (with how many entries) or where it first breaks (the entry edited, deleted
 * or reordered) and why; a trail that cannot be read says so.
 */
import { useMutation } from '@tanstack/react-query';
import type { ChainReportView } from '../../../shared/contract/contract';
import { ErrorMessage } from '../../components/error-message';
import { useApi } from '../../lib/api-context';
import { formatCount } from '../../lib/format';
import { announce } from '../../lib/notices';
import { useInstanceMap } from '../../lib/use-server-state';
import './team.css';

/** One instance's verdict in words. */
export function verdictText(r: ChainReportView, instanceName: string): string {
  if (r.error) return `${instanceName}: the audit trail could not be read: ${r.error}`;
  if (r.problem)
    return `${instanceName}: broken at entry ${formatCount(r.problem.seq)} (${r.problem.kind}): ${r.problem.detail}`;
  return `${instanceName}: intact, ${formatCount(r.entries)} entr${r.entries === 1 ? 'y' : 'ies'}`;
}

function tone(r: ChainReportView): string {
  return r.error ? 'tone-warn' : r.problem ? 'tone-danger' : 'tone-ok';
}

export function AuditVerify() {
  const api = useApi();
  const names = useInstanceMap();
  const verify = useMutation({
    mutationFn: () => api['audit.verify']({}),
    onSuccess: (reports) => {
      const broken = reports.filter((r) => r.problem || r.error).length;
      announce(
        broken === 0
          ? `Audit trail verified: intact on ${reports.length} instance${reports.length === 1 ? '' : 's'}.`
          : `Audit trail verified: ${broken} of ${reports.length} not intact.`,
      );
    },
  });
  return (
    <div className="audit-verify">
      <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying the audit trail…' : 'Verify audit trail'}
      </button>
      {verify.error ? <ErrorMessage error={verify.error} /> : null}
      {verify.data ? (
        verify.data.length === 0 ? (
          <p className="muted" role="status">
            No instance, so no team audit trail to verify.
          </p>
        ) : (
          <div role="status">
            <ul className="audit-verdicts" aria-label="Audit trail verdicts">
              {verify.data.map((r) => (
                <li key={r.instanceId} data-instance-id={r.instanceId}>
                  <span className={`outcome ${tone(r)}`}>
                    {r.error ? 'unreadable' : r.problem ? 'broken' : 'intact'}
                  </span>{' '}
                  {verdictText(r, names.get(r.instanceId)?.instance.name ?? r.instanceId)}
                </li>
              ))}
            </ul>
          </div>
        )
      ) : null}
    </div>
  );
}
