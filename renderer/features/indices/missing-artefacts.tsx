/**
 * For a tenant: what its last verification found missing (the evidence names them), each checked
 * against the indices, aliases and templates the instance holds now.
 */
import type { IndexListing } from '../../../shared/instances/index-listing';
import type { VerificationResult } from '../../../shared/tenants/tenant';
import { StatusBadge } from '../../components/status-badge';
import { formatTime } from '../../lib/format';
import { isApiError } from '../../lib/transport';
import { useTenantRecord } from '../../lib/use-server-state';
import { checkMissing } from './missing-names';

function lastVerification(value: unknown): VerificationResult | null {
  const v = value as Partial<VerificationResult> | null | undefined;
  return v && typeof v.status === 'string' && typeof v.evidence === 'object' && v.evidence !== null
    ? (v as VerificationResult)
    : null;
}

export function MissingArtefacts({
  instanceId,
  tenant,
  listing,
}: {
  instanceId: string;
  tenant: string;
  listing: IndexListing;
}) {
  const record = useTenantRecord(instanceId, tenant);
  if (record.isPending) return null;
  if (record.error) {
    // A tenant the console keeps no record of (found on the instance): nothing was verified.
    if (isApiError(record.error) && record.error.code === 'not-found')
      return <p className="muted">The console keeps no record of {tenant} on this instance: nothing to compare.</p>;
    return null;
  }
  const last = lastVerification(record.data.lastVerification);
  if (!last) return <p className="muted">{tenant} has not been verified yet: run Verify to know what is expected.</p>;
  const missing = checkMissing(last.evidence.es.missing, listing);
  return (
    <section className="panel" aria-labelledby="missing-heading">
      <h2 id="missing-heading">Missing at the last verification</h2>
      <p>
        <StatusBadge status={last.status} /> {last.summary}{' '}
        <span className="muted small-text">checked {formatTime(last.checkedAt)}</span>
      </p>
      {missing.length === 0 ? (
        <p className="muted">Nothing was missing.</p>
      ) : (
        <ul className="plain name-list" aria-label="Missing artefacts">
          {missing.map((m) => (
            <li key={m.name} data-present={m.presentNow}>
              {m.name}{' '}
              {m.presentNow ? (
                <span className="outcome tone-ok">there now</span>
              ) : (
                <span className="outcome tone-danger">still missing</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {last.evidence.es.missing.length >= 20 ? (
        <p className="muted small-text">The evidence names the first 20 missing artefacts.</p>
      ) : null}
    </section>
  );
}
