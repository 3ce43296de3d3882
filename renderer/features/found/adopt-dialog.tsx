/**
 * Adopt one found tenant: its API domain (proposed so that it derives the tenant back), an optional
 * contact e-mail and, hidden, its existing installation token (to the keychain only; checked against
 * the TMS where the instance has one). Nothing on the instance changes.
 */
import { useState } from 'react';
import type { FoundTenant } from '../../../shared/tenants/adoption';
import { proposedDomain } from '../../../shared/tenants/adoption';
import type { Instance } from '../../../shared/instances/instance';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { useAdopt } from './use-discovery';

export function AdoptDialog({
  instance,
  found,
  onClose,
}: {
  instance: Instance;
  found: FoundTenant;
  onClose: () => void;
}) {
  const single = instance.tenancy === 'single-tenant';
  const [domain, setDomain] = useState(single ? '' : proposedDomain(instance, found.tenant));
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const { one } = useAdopt(instance.id);
  const tokenHint = single
    ? "The instance's INSTALLATION_TOKEN: kept in the keychain only (nothing can check it without installing)."
    : "Its install token: kept in the keychain only; refused when it is not the one the TMS holds. Leave empty if you don't have it.";
  return (
    <Dialog title={`Adopt ${found.tenant}`} onClose={onClose} busy={one.isPending}>
      <form
        className="stack"
        aria-label={`Adopt ${found.tenant}`}
        onSubmit={(e) => {
          e.preventDefault();
          one.mutate(
            {
              instanceId: instance.id,
              tenant: found.tenant,
              ...(domain.trim() ? { domain: domain.trim() } : {}),
              ...(email.trim() ? { email: email.trim() } : {}),
              ...(token ? { token } : {}),
            },
            { onSuccess: onClose },
          );
        }}
      >
        <p>Records {found.tenant} in the console. Nothing on the instance changes.</p>
        <TextField
          label="Tenant API domain"
          hint={
            single
              ? 'Optional: a single-tenant instance ignores the Host (default: its API URL).'
              : `Must derive ${found.tenant}.`
          }
          value={domain}
          onValue={setDomain}
          data-autofocus
        />
        <TextField label="Contact e-mail (optional)" type="email" value={email} onValue={setEmail} />
        <TextField
          label="Existing installation token (optional)"
          hint={tokenHint}
          type="password"
          value={token}
          onValue={setToken}
        />
        {one.error ? <ErrorMessage error={one.error} prefix="Adopt refused:" /> : null}
        <div className="button-row">
          <button type="submit" className="primary" disabled={one.isPending}>
            {one.isPending ? 'Adopting…' : 'Adopt'}
          </button>
          <button type="button" onClick={onClose} disabled={one.isPending}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
