/** The three connection checks, each ok or failed with what was found or why. */
import type { ConnectionCheck } from '../../../shared/contract';

const TITLES: Record<ConnectionCheck['target'], string> = {
  tracardi: 'Tracardi API',
  tms: 'Tenant Management Service (TMS)',
  elasticsearch: 'Elasticsearch',
};

const ORDER: ConnectionCheck['target'][] = ['tracardi', 'tms', 'elasticsearch'];

export function ConnectionChecks({ checks }: { checks: ConnectionCheck[] }) {
  const sorted = [...checks].sort((a, b) => ORDER.indexOf(a.target) - ORDER.indexOf(b.target));
  return (
    <ul className="connection-checks" aria-label="Connection test results">
      {sorted.map((c) => (
        <li key={c.target} className={`check ${c.ok ? 'check-ok' : 'check-failed'}`} data-target={c.target}>
          <strong>{TITLES[c.target]}:</strong> {c.ok ? 'ok' : 'failed'} — {c.detail}
          {c.error && c.error.message !== c.detail ? (
            <span className="error-text">
              {' '}
              {c.error.message} <span className="error-code">({c.error.code})</span>
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
