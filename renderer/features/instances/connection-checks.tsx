/** The three connection checks, each ok or failed with what was found or why. */
import type { ConnectionCheck, DetectedTenancy } from '../../../shared/contract/contract';
import type { TenancyMode, TracardiVersion } from '../../../shared/instances/instance';

const TITLES: Record<ConnectionCheck['target'], string> = {
  tracardi: 'Tracardi API',
  tms: 'Tenant Management Service (TMS)',
  elasticsearch: 'Elasticsearch',
};

const ORDER: ConnectionCheck['target'][] = ['tracardi', 'tms', 'elasticsearch'];

export function ConnectionChecks({
  checks,
  current,
  onUseTenancy,
  onUseVersion,
}: {
  checks: ConnectionCheck[];
  /** The form's tenancy, to offer the detected one when it differs. */
  current?: TenancyMode;
  onUseTenancy?: (t: DetectedTenancy) => void;
  /** Offered when the instance reports another version profile than the form's. */
  onUseVersion?: (v: TracardiVersion) => void;
}) {
  const sorted = [...checks].sort((a, b) => ORDER.indexOf(a.target) - ORDER.indexOf(b.target));
  const detected = checks.find((c) => c.tenancy)?.tenancy;
  return (
    <>
      {detected ? (
        <p className="detected-tenancy" role="status">
          Detected: {detected.mode}
          {detected.tenantName ? ` (tenant ${detected.tenantName})` : ''} ({detected.how}).{' '}
          {onUseTenancy && current !== detected.mode ? (
            <button type="button" onClick={() => onUseTenancy(detected)}>
              Use {detected.mode}
            </button>
          ) : null}
        </p>
      ) : null}
      <ul className="connection-checks" aria-label="Connection test results">
        {sorted.map((c) => (
          <li key={c.target} className={`check ${c.ok ? 'check-ok' : 'check-failed'}`} data-target={c.target}>
            <strong>{TITLES[c.target]}:</strong> {c.ok ? 'ok' : 'failed'} — {c.detail}
            {c.versionProfile && onUseVersion ? (
              <>
                {' '}
                <button type="button" className="small" onClick={() => onUseVersion(c.versionProfile!)}>
                  Use {c.versionProfile}
                </button>
              </>
            ) : null}
            {c.error && c.error.message !== c.detail ? (
              <span className="error-text">
                {' '}
                {c.error.message} <span className="error-code">({c.error.code})</span>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
