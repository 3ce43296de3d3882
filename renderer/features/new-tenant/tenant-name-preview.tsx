/** What the typed domain becomes: tenant name, warnings, collisions and the capacity check, in place. */
import type { TenantPreview } from '../../../shared/contract';
import type { DeriveResult } from '../../../shared/tenant-name';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';

export function TenantNamePreview({
  derived,
  preview,
  checking,
  error,
}: {
  derived: DeriveResult | null;
  preview: TenantPreview | null;
  checking: boolean;
  error: unknown;
}) {
  if (!derived)
    return (
      <p className="muted" id="tenant-name-preview">
        Type the tenant’s API domain (or just its first label) to see the tenant name.
      </p>
    );
  return (
    <div className="name-preview" id="tenant-name-preview">
      <p aria-live="polite">
        {derived.ok ? (
          <>
            Tenant name:{' '}
            <output className="tenant-name" aria-label="Derived tenant name">
              {derived.tenant}
            </output>{' '}
            <span className="muted">from {derived.asciiHost}</span>
          </>
        ) : (
          <span className="error-text" role="alert">
            No tenant: {derived.error.message}
          </span>
        )}
      </p>
      {derived.ok && derived.warnings.length ? (
        <ul className="warnings" aria-label="Derivation warnings">
          {derived.warnings.map((w) => (
            <li key={w.message}>{w.message}</li>
          ))}
        </ul>
      ) : null}
      {checking ? <Spinner label="Checking collisions and capacity" /> : null}
      {error ? <ErrorMessage error={error} prefix="Preview failed:" /> : null}
      {preview ? (
        <div className="preview-checks" aria-live="polite">
          {preview.error ? <p className="error-text">{preview.error}</p> : null}
          {preview.warnings
            .filter((w) => !(derived.ok && derived.warnings.some((d) => d.message === w)))
            .map((w) => (
              <p key={w} className="warn-text">
                {w}
              </p>
            ))}
          {preview.collisions.length ? (
            <div className="check check-failed" role="alert">
              <strong>Collision:</strong> the tenant name {preview.tenant} is already known
              <ul>
                {preview.collisions.map((c) => (
                  <li key={`${c.where}:${c.detail}`}>
                    in {c.where}: {c.detail}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="check check-ok">
              No collision: {preview.tenant} is not known in the records, the TMS or Elasticsearch.
            </p>
          )}
          {preview.capacity ? (
            <p className={`check ${preview.capacity.ok ? 'check-ok' : 'check-failed'}`}>
              <strong>Capacity:</strong> {preview.capacity.message}
            </p>
          ) : (
            <p className="muted">Capacity not checked.</p>
          )}
          {preview.version && preview.version.outcome !== 'match' ? (
            <p className={`check ${preview.version.outcome === 'mismatch' ? 'check-failed' : 'warn-text'}`}>
              <strong>Tracardi version:</strong> {preview.version.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
