/**
 * The hand-off actions for one tenant: Reveal token (hidden until asked), Copy token, Export
 * hand-off sheet, Mark handed over. Closing the panel (unmounting it) drops the revealed token.
 */
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { RepairAction } from '../../components/repair-action';
import { formatTime } from '../../lib/format';
import { TOKEN_ACTIONS, type TokenAction } from '../../../shared/tenants/token-actions';
import { useTokenActions, type TenantRef } from './use-token-actions';

const ALL = TOKEN_ACTIONS;

export function TokenPanel({
  tenantRef,
  headingLevel = 3,
  version,
  offered = ALL,
  unavailable,
  repair = false,
  checking = false,
}: {
  tenantRef: TenantRef;
  headingLevel?: 2 | 3;
  /** The version of the record shown: Mark handed over is refused if another operator changed it since. */
  version?: string | undefined;
  /**
   * The actions the token allows this console (shared/tenants/token-actions.ts: its state, and who holds it);
   * all for a token just issued.
   */
  offered?: readonly TokenAction[];
  /** Why the token cannot be handed over (its state, or another operator holds it), shown instead of its buttons. */
  unavailable?: string | null;
  /** The keychain lost the token: offer the repair that issues a fresh one. */
  repair?: boolean;
  /** The token's state and holder are still being read (the full record): its actions come once they are in. */
  checking?: boolean;
}) {
  const { revealed, hide, message, reveal, copy, exportHandoff, markHandedOver } = useTokenActions(tenantRef, version);
  const can = (action: TokenAction) => !checking && offered.includes(action);
  // Once offered, Run repair stays with its result: the repair brings the token back, and the panel
  // then offers Reveal beside "Repaired: …" rather than dropping what the operator just did.
  const [offerRepair, setOfferRepair] = useState(repair);
  if (repair && !offerRepair) setOfferRepair(true);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  // The outcome of the latest action: an older failure is not shown once a later action ran.
  const latest = [reveal, copy, exportHandoff, markHandedOver].reduce((a, b) =>
    b.submittedAt > a.submittedAt ? b : a,
  );
  const error = latest.error;
  return (
    <section className="token-panel" aria-label={`Installation token for ${tenantRef.tenant}`} aria-busy={checking}>
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
        ) : checking ? (
          <p className="muted">Checking the token…</p>
        ) : unavailable ? (
          <p className="holder-note" data-testid="token-unavailable">
            {unavailable}
          </p>
        ) : (
          <p className="muted">The token is hidden.</p>
        )}
      </div>
      <div className="button-row">
        {revealed ? (
          <button type="button" onClick={hide}>
            Hide token
          </button>
        ) : can('reveal') ? (
          <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
            Reveal token
          </button>
        ) : null}
        {can('copy') ? (
          <button type="button" onClick={() => copy.mutate()} disabled={copy.isPending}>
            Copy token
          </button>
        ) : null}
        {can('export') ? (
          <button type="button" onClick={() => exportHandoff.mutate()} disabled={exportHandoff.isPending}>
            Export hand-off sheet
          </button>
        ) : null}
        {can('hand-over') ? (
          <button type="button" onClick={() => markHandedOver.mutate()} disabled={markHandedOver.isPending}>
            Mark handed over
          </button>
        ) : null}
      </div>
      {offerRepair ? <RepairAction /> : null}
      <p className="action-result" role="status">
        {message}
      </p>
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}
