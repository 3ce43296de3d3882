/**
 * The hand-off actions for one tenant: Reveal token (hidden until asked), Copy token, Export
 * hand-off sheet, Mark handed over. Closing the panel (unmounting it) drops the revealed token.
 */
import { ErrorMessage } from '../../components/error-message';
import { formatTime } from '../../lib/format';
import { useTokenActions, type TenantRef } from './use-token-actions';

export function TokenPanel({ tenantRef, headingLevel = 3 }: { tenantRef: TenantRef; headingLevel?: 2 | 3 }) {
  const { revealed, hide, message, reveal, copy, exportHandoff, markHandedOver } = useTokenActions(tenantRef);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  // The outcome of the latest action: an older failure is not shown once a later action ran.
  const latest = [reveal, copy, exportHandoff, markHandedOver].reduce((a, b) =>
    b.submittedAt > a.submittedAt ? b : a,
  );
  const error = latest.error;
  return (
    <section className="token-panel" aria-label={`Installation token for ${tenantRef.tenant}`}>
      <Heading className="panel-title">Installation token</Heading>
      <div className="token-box">
        {revealed ? (
          <>
            <code className="token" data-testid="revealed-token">
              {revealed.token}
            </code>
            <p className="muted small-text">
              API {revealed.apiUrl} · GUI {revealed.guiUrl} · expires{' '}
              {revealed.expiresAt ? formatTime(revealed.expiresAt) : 'never'}
            </p>
          </>
        ) : (
          <p className="muted">The token is hidden.</p>
        )}
      </div>
      <div className="button-row">
        {revealed ? (
          <button type="button" onClick={hide}>
            Hide token
          </button>
        ) : (
          <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
            Reveal token
          </button>
        )}
        <button type="button" onClick={() => copy.mutate()} disabled={copy.isPending}>
          Copy token
        </button>
        <button type="button" onClick={() => exportHandoff.mutate()} disabled={exportHandoff.isPending}>
          Export hand-off sheet
        </button>
        <button type="button" onClick={() => markHandedOver.mutate()} disabled={markHandedOver.isPending}>
          Mark handed over
        </button>
      </div>
      <p className="action-result" role="status">
        {message}
      </p>
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}
