/** The evidence behind a verification status: DNS, install endpoint, Elasticsearch artefacts, token. */
import type { DnsEvidence, VerificationResult } from '../../shared/tenant';
import { formatTime } from '../lib/format';
import { StatusBadge } from './status-badge';

function DnsLine({ label, dns }: { label: string; dns: DnsEvidence }) {
  return (
    <li>
      <strong>{label}</strong> {dns.domain}: <span className={`outcome outcome-${dns.outcome}`}>{dns.outcome}</span>
      {dns.addresses.length ? ` → ${dns.addresses.join(', ')}` : ''}
      {dns.expected.length ? ` (expected ${dns.expected.join(', ')})` : ''}
      {dns.pointsAtInstance ? ` — points at instance ${dns.pointsAtInstance}` : ''}
      {dns.error ? ` — ${dns.error}` : ''}
    </li>
  );
}

function yesNo(v: boolean | null | undefined): string {
  return v === true ? 'yes' : v === false ? 'no' : 'unknown';
}

export function VerificationEvidence({ result }: { result: VerificationResult }) {
  const { dns, install, es, token } = result.evidence;
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
        <div>
          <dt>Install</dt>
          <dd>
            <span className={`outcome outcome-${install.outcome}`}>{install.outcome}</span>
            {install.httpStatus !== undefined ? ` · HTTP ${install.httpStatus}` : ''}
            {` · schema ${yesNo(install.schemaOk)}, admin ${yesNo(install.adminOk)}, form ${yesNo(install.formOk)}`}
            {install.durationMs !== undefined ? ` · ${install.durationMs} ms` : ''}
            {install.error ? <div className="evidence-error">{install.error}</div> : null}
            {install.warnings?.length ? <div className="muted">{install.warnings.join('; ')}</div> : null}
          </dd>
        </div>
        <div>
          <dt>Elasticsearch</dt>
          <dd>
            <span className={`outcome outcome-${es.outcome}`}>{es.outcome}</span>
            {` · indices ${es.indicesFound}/${es.indicesExpected}, aliases ${es.aliasesFound}/${es.aliasesExpected}, templates ${es.templatesFound}/${es.templatesExpected}`}
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
