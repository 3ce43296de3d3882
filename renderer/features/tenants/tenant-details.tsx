/** The expanded part of a tenant row: status evidence, record facts, token hand-off and lifecycle actions. */
import { useState } from 'react';
import type { TenantRecord, VerificationResult } from '../../../shared/tenants/tenant';
import { FactWarnings, Facts } from '../../components/facts';
import { VerificationEvidence } from '../../components/verification-evidence';
import { formatTime } from '../../lib/format';
import { routeHash } from '../../lib/router';
import { useAppStatus, useInstanceMap, useTenantRecord } from '../../lib/use-server-state';
import { factsOf, offeredActions, tokenState, whyNot } from '../../../shared/tenants/token-actions';
import { holderText } from '../team/registry-words';
import { teamFacts } from '../team/team-facts';
import '../team/team.css';
import { TokenPanel } from '../token';
import { asVerification, type TenantRow } from './filter-tenants';
import { TenantDangerActions } from './tenant-danger-actions';
import { collapse } from './tenants-store';

export function TenantDetails({ row, id }: { row: TenantRow; id: string }) {
  const { record, verification, instance } = row;
  // The list carries no evidence: the full record is fetched when the row is expanded.
  const full = useTenantRecord(record.instanceId, record.tenant);
  const instances = useInstanceMap();
  const evidence = full.data ? asFullVerification(full.data.lastVerification) : null;
  // Rotating the token makes a revealed one stale: a new key remounts the panel and drops it.
  const [tokenEpoch, setTokenEpoch] = useState(0);
  // What may be done with the token, by the rule the services enforce (shared/tenants/token-actions.ts): the
  // list row's state at first, then the full record (expiry, adoption, this keychain's answer, and
  // who holds the token, against this console's keychain id) once it is in.
  const keychain = useAppStatus().data?.keychain;
  const facts = factsOf(full.data ?? record, {
    singleTenant: instances.get(record.instanceId)?.instance.tenancy === 'single-tenant',
    inKeychain: full.data?.tokenInKeychain ?? null,
    keychain,
  });
  const now = new Date();
  // Until the full record and this console's keychain id are in, only what the row's state decides
  // (Delete, Revoke) is offered.
  const settled = (full.data !== undefined && keychain !== undefined) || full.isError;
  const offered = offeredActions(facts, now).filter((a) => settled || a === 'delete' || a === 'revoke');
  const other = settled ? (facts.heldBy ?? null) : null;
  const whyHidden = whyNot('reveal', facts, now);
  return (
    <div
      id={id}
      className="tenant-details"
      role="region"
      aria-label={`Details of ${record.tenant} on ${instance?.name ?? record.instanceId}`}
    >
      <div className="details-columns">
        <div>
          <div className="panel-header">
            <h3 className="panel-title">Status evidence</h3>
            <a
              className="button-link small"
              href={routeHash({ screen: 'indices', id: record.instanceId, params: { tenant: record.tenant } })}
            >
              Indices of {record.tenant}
            </a>
          </div>
          {evidence ? (
            <VerificationEvidence result={evidence} />
          ) : verification ? (
            full.isError ? (
              <p className="error" role="alert">
                Last verified: {verification.status} ({formatTime(verification.checkedAt)}). Could not load the
                evidence: {full.error.message}
              </p>
            ) : (
              <p className="muted" aria-busy="true">
                Last verified: {verification.status} ({formatTime(verification.checkedAt)}). Loading the evidence…
              </p>
            )
          ) : (
            <p className="muted">Not verified yet. Run Verify to collect evidence.</p>
          )}
          {full.data ? (
            <TenantFacts record={full.data} holdsHere={!facts.heldBy} />
          ) : full.isError && !verification ? (
            <p className="error" role="alert">
              Could not load the record: {full.error.message}
            </p>
          ) : null}
        </div>
        <div>
          <TokenPanel
            key={tokenEpoch}
            tenantRef={{ instanceId: record.instanceId, tenant: record.tenant }}
            version={full.data?.version}
            offered={offered}
            checking={!settled}
            unavailable={
              other
                ? `Token held by ${holderText(other, false, formatTime)}: it is only in that operator’s keychain, so only they can reveal, copy, export or hand it over. Rotate token issues a new token that you hold.`
                : whyHidden
                  ? `Tenant ${record.tenant} ${whyHidden}.`
                  : null
            }
            repair={tokenState(facts, now) === 'missing'}
          />
          <TenantDangerActions
            instanceId={record.instanceId}
            version={full.data?.version}
            instanceName={instance?.name ?? record.instanceId}
            environment={instance?.environment ?? null}
            tenant={record.tenant}
            adopted={Boolean(full.data?.adopted ?? record.adopted)}
            offered={offered}
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

/** What the record says beyond the list row: URLs, dates, override, who changed it, derivation warnings. */
function TenantFacts({ record, holdsHere }: { record: TenantRecord; holdsHere: boolean }) {
  return (
    <>
      <Facts
        compact
        facts={[
          ['API', record.apiUrl],
          ['GUI', record.guiUrl],
          ['Contact', record.email],
          ['Created', formatTime(record.createdAt)],
          ['Token expires', record.tokenExpiresAt ? formatTime(record.tokenExpiresAt) : 'never'],
          record.adopted && [
            'Adopted',
            `${formatTime(record.adopted.at)} by ${record.adopted.by}; token ${ADOPTED_TOKEN_TEXT[record.adopted.token]}`,
          ],
          record.handedOverAt ? ['Handed over', formatTime(record.handedOverAt)] : null,
          record.capacityOverride && [
            'Capacity override',
            `${record.capacityOverride.reason} (${record.capacityOverride.by}, ${formatTime(record.capacityOverride.at)})`,
          ],
          ...teamFacts(record, holdsHere),
        ]}
      />
      <FactWarnings warnings={record.warnings} />
    </>
  );
}

const ADOPTED_TOKEN_TEXT: Record<NonNullable<TenantRecord['adopted']>['token'], string> = {
  unknown: 'unknown (adopted without it)',
  supplied: 'supplied by the operator (not checked)',
  checked: 'checked against the TMS',
  issued: 'issued by the console since',
};

/** The full record's last verification, evidence included, when it has the expected shape. */
function asFullVerification(value: unknown): VerificationResult | null {
  if (!asVerification(value)) return null;
  const v = value as Partial<VerificationResult>;
  return typeof v.summary === 'string' && typeof v.evidence === 'object' && v.evidence !== null
    ? (v as VerificationResult)
    : null;
}
