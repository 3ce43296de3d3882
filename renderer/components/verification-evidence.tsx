/**
 * The evidence behind a verification status: DNS, who answered on the API URL (identity), install
 * endpoint, Elasticsearch artefacts, token.
 */
import type { DnsEvidence, IdentityEvidence, VerificationResult } from '../../shared/tenants/tenant';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { StatusBadge } from './status-badge';
import { identityOutcomeClass, outcomeClass } from './tone';

function DnsLine({ label, dns }: { label: string; dns: DnsEvidence }) {
  return (
    <li>
      <strong>{label}</strong> {dns.domain}: <span className={outcomeClass(dns.outcome)}>{dns.outcome}</span>
      {dns.addresses.length ? ` → ${dns.addresses.join(', ')}` : ''}
      {dns.expected.length ? ` (expected ${dns.expected.join(', ')})` : ''}
      {dns.pointsAtInstance ? ` — points at instance ${dns.pointsAtInstance}` : ''}
      {dns.error ? ` — ${dns.error}` : ''}
    </li>
  );
}

function IdentityLine({ identity }: { identity: IdentityEvidence }) {
  const { expected, answered } = identity;
  const want = [
    expected.name ? `tenant "${expected.name}"` : null,
    expected.tenant ? `tenant "${expected.tenant}"` : null,
    expected.version,
    `db_version ${expected.dbVersion}`,
    expected.tenancy,
  ].filter(Boolean);
  return (
    <>
      <span className={identityOutcomeClass(identity.outcome)}>{identity.outcome}</span>
      {answered
        ? ` · answered: name "${answered.name ?? '?'}"${answered.tenant !== null ? `, tenant "${answered.tenant}"` : ''}, version ${answered.version ?? '?'}, db_version ${answered.dbVersion ?? '?'}${answered.multiTenant !== null ? (answered.multiTenant ? ', multi-tenant' : ', single-tenant') : ''}`
        : ''}
      <div className="muted">
        expected: {want.join(', ')} · Host {identity.host ?? 'none (plain request to the API URL)'} ·{' '}
        {identity.perInstance ? 'one answer for the instance' : 'asked for this tenant'}
      </div>
      {identity.mismatches.length ? <div className="evidence-error">{identity.mismatches.join('; ')}</div> : null}
      {identity.servesOnly ? (
        <div className="evidence-error">Single-tenant instance: serves only tenant “{identity.servesOnly}”.</div>
      ) : null}
      {identity.error ? <div className="evidence-error">{identity.error}</div> : null}
    </>
  );
}

function yesNo(v: boolean | null | undefined): string {
  return v === true ? 'yes' : v === false ? 'no' : 'unknown';
}

export function VerificationEvidence({ result }: { result: VerificationResult }) {
  const { dns, install, es, token, identity } = result.evidence;
  return (
    <div className="evidence">
      <p className="evidence-summary">
        <StatusBadge status={result.status} /> {result.summary}{' '}
        <span className="muted small-text">checked {formatTime(result.checkedAt)}</span>
      </p>
      <dl className="evidence-grid">
        <div>
          <dt>DNS</dt>
          <dd>
            <ul className="plain">
              <DnsLine label="API" dns={dns.api} />
              <DnsLine label="GUI" dns={dns.gui} />
            </ul>
          </dd>
        </div>
        {identity ? (
          <div>
            <dt>Identity</dt>
            <dd>
              <IdentityLine identity={identity} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Install</dt>
          <dd>
            <span className={outcomeClass(install.outcome)}>{install.outcome}</span>
            {install.httpStatus !== undefined ? ` · HTTP ${install.httpStatus}` : ''}
            {` · schema ${yesNo(install.schemaOk)}, admin ${yesNo(install.adminOk)}, form ${yesNo(install.formOk)}`}
            {install.durationMs !== undefined ? ` · ${formatDuration(install.durationMs)}` : ''}
            {install.error ? <div className="evidence-error">{install.error}</div> : null}
            {install.database === 'not-created' ? (
              <div className="muted">
                Tracardi’s database does not exist yet: nothing was installed on the instance.
              </div>
            ) : null}
            {install.warnings?.length ? <div className="muted">{install.warnings.join('; ')}</div> : null}
          </dd>
        </div>
        <div>
          <dt>Elasticsearch</dt>
          <dd>
            <span className={outcomeClass(es.outcome)}>{es.outcome}</span>
            {` · indices ${formatCount(es.indicesFound)}/${formatCount(es.indicesExpected)}, aliases ${formatCount(es.aliasesFound)}/${formatCount(es.aliasesExpected)}, templates ${formatCount(es.templatesFound)}/${formatCount(es.templatesExpected)}`}
            {es.missing.length ? <div className="muted">Missing: {es.missing.join(', ')}</div> : null}
            {es.error ? <div className="evidence-error">{es.error}</div> : null}
          </dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd>
            {token.expiresAt ? `expires ${formatTime(token.expiresAt)}` : 'no expiry'}
            {token.expired ? ' · expired' : ''}
            {token.inKeychain ? ' · in keychain' : ' · not in keychain'}
          </dd>
        </div>
      </dl>
    </div>
  );
}
