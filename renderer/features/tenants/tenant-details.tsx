/** The expanded part of a tenant row: status evidence, record facts, token hand-off and lifecycle actions. */
import { useState } from 'react';
import { VerificationEvidence } from '../../components/verification-evidence';
import { formatTime } from '../../lib/format';
import { TokenPanel } from '../token';
import type { TenantRow } from './filter-tenants';
import { TenantDangerActions } from './tenant-danger-actions';
import { collapse } from './tenants-store';

export function TenantDetails({ row, id }: { row: TenantRow; id: string }) {
  const { record, verification, instance } = row;
  // Rotating the token makes a revealed one stale: a new key remounts the panel and drops it.
  const [tokenEpoch, setTokenEpoch] = useState(0);
  return (
    <div
      id={id}
      className="tenant-details"
      role="region"
      aria-label={`Details of ${record.tenant} on ${instance?.name ?? record.instanceId}`}
    >
      <div className="details-columns">
        <div>
          <h3 className="panel-title">Status evidence</h3>
          {verification ? (
            <VerificationEvidence result={verification} />
          ) : (
            <p className="muted">Not verified yet. Run Verify to collect evidence.</p>
          )}
          <dl className="facts compact">
            <div>
              <dt>API</dt>
              <dd>{record.apiUrl}</dd>
            </div>
            <div>
              <dt>GUI</dt>
              <dd>{record.guiUrl}</dd>
            </div>
            <div>
              <dt>Contact</dt>
              <dd>{record.email}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatTime(record.createdAt)}</dd>
            </div>
            <div>
              <dt>Token expires</dt>
              <dd>{record.tokenExpiresAt ? formatTime(record.tokenExpiresAt) : 'never'}</dd>
            </div>
            {record.handedOverAt ? (
              <div>
                <dt>Handed over</dt>
                <dd>{formatTime(record.handedOverAt)}</dd>
              </div>
            ) : null}
            {record.capacityOverride ? (
              <div>
                <dt>Capacity override</dt>
                <dd>
                  {record.capacityOverride.reason} ({record.capacityOverride.by},{' '}
                  {formatTime(record.capacityOverride.at)})
                </dd>
              </div>
            ) : null}
          </dl>
          {record.warnings.length ? (
            <ul className="warnings">
              {record.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div>
          <TokenPanel key={tokenEpoch} tenantRef={{ instanceId: record.instanceId, tenant: record.tenant }} />
          <TenantDangerActions
            instanceId={record.instanceId}
            instanceName={instance?.name ?? record.instanceId}
            environment={instance?.environment ?? null}
            tenant={record.tenant}
            onDone={(action) => {
              if (action === 'delete') collapse();
              else setTokenEpoch((n) => n + 1);
            }}
          />
        </div>
      </div>
    </div>
  );
}
