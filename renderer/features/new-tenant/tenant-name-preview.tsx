/**
 * What the typed domain becomes: tenant name, warnings, collisions and the capacity check, in place.
 * A domain that gives no tenant says why once, on its field: nothing is repeated here.
 */
import type { TenantPreview } from '../../../shared/contract/contract';
import type { DomainCheck } from '../../../shared/tenants/tenant-domain';
import { ErrorMessage } from '../../components/error-message';
import { Spinner } from '../../components/spinner';
import { plural } from '../../lib/format';
import { routeHash } from '../../lib/router';

export function TenantNamePreview({
  check,
  preview,
  checking,
  error,
}: {
  check: DomainCheck | null;
  preview: TenantPreview | null;
  checking: boolean;
  error: unknown;
}) {
  if (!check || !check.ok)
    return (
      <p className="muted" id="tenant-name-preview">
        {check
          ? 'No tenant name from this domain.'
          : 'Type the tenant’s API domain (or just its first label) to see the tenant name.'}
      </p>
    );
  const derived = check;
  return (
    <div className="name-preview" id="tenant-name-preview">
      <p aria-live="polite">
        Tenant name:{' '}
        <output className="tenant-name" aria-label="Derived tenant name">
          {derived.tenant}
        </output>{' '}
        <span className="muted">from {derived.asciiHost}</span>
      </p>
      {derived.outsideMessage ? <p className="warn-text">{derived.outsideMessage}</p> : null}
      {derived.warnings.length ? (
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
            .filter((w) => !derived.warnings.some((d) => d.message === w) && w !== derived.outsideMessage)
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
                    {c.where === 'elasticsearch' ? (
                      <>
                        {' '}
                        <a href={routeHash({ screen: 'found', instanceId: preview.instanceId })}>
                          Adopt it on Found on instance
                        </a>
                      </>
                    ) : null}
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
              <strong>Capacity:</strong> {capacityText(preview.capacity)}
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

/** The capacity check in the window's words: the room figures formatted here, the refusal as the core says it. */
function capacityText(capacity: NonNullable<TenantPreview['capacity']>): string {
  if (!capacity.ok || capacity.room === null) return capacity.message;
  const limit = capacity.binding === 'disk' ? 'disk space' : 'the shard limit';
  return `room for ${plural(capacity.room, 'more tenant')}; ${limit} runs out first.`;
}
