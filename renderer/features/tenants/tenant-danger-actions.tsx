/**
 * Rotate, revoke, delete. On a production instance each asks for confirmation in a dialog naming
 * the tenant and the instance; delete always asks (it cannot be undone).
 */
import { useState, type ReactNode } from 'react';
import type { Environment } from '../../../shared/instances/instance';
import { TOKEN_ACTIONS, type TokenAction } from '../../../shared/tenants/token-actions';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { useTenantLifecycle } from './use-tenant-lifecycle';

const ACTIONS = ['rotate', 'revoke', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

export interface DangerActionsProps {
  instanceId: string;
  instanceName: string;
  environment: Environment | null;
  tenant: string;
  /** Adopted (existed before the console): deleting only forgets it. */
  adopted?: boolean;
  /** The version of the record shown: an action on a record changed since is refused (conflict). */
  version?: string | undefined;
  /** What the token's state allows (shared/tenants/token-actions.ts): Rotate and Revoke only when offered. */
  offered?: readonly TokenAction[];
  /** Called after a successful action that makes a revealed token stale or the row gone. */
  onDone?: (action: Action) => void;
}

export function TenantDangerActions({
  instanceId,
  instanceName,
  environment,
  tenant,
  adopted = false,
  version,
  offered = TOKEN_ACTIONS,
  onDone,
}: DangerActionsProps) {
  const { rotate, revoke, remove } = useTenantLifecycle(instanceId, tenant, version);
  const [pending, setPending] = useState<Action | null>(null);
  const [force, setForce] = useState(false);
  const production = environment === 'production';
  const where = `${tenant} on ${instanceName}${production ? ' (PRODUCTION)' : ''}`;

  const run = {
    rotate: () => rotate.mutateAsync().then(() => onDone?.('rotate')),
    revoke: () => revoke.mutateAsync().then(() => onDone?.('revoke')),
    delete: () => remove.mutateAsync(force).then(() => onDone?.('delete')),
  };

  function ask(action: Action) {
    if (production || action === 'delete') {
      setForce(false);
      setPending(action);
    } else {
      void run[action]().catch(() => {});
    }
  }

  const actions: Record<
    Action,
    { label: string; tone: 'warning' | 'danger'; busy: boolean; title: string; message: ReactNode }
  > = {
    rotate: {
      label: 'Rotate token',
      tone: 'warning',
      busy: rotate.isPending,
      title: `Rotate the token of ${tenant}?`,
      message: (
        <p>
          A new installation token replaces the current one for <strong>{tenant}</strong> on instance{' '}
          <strong>{instanceName}</strong>
          {production ? ' (PRODUCTION)' : ''}. The old token stops working.
        </p>
      ),
    },
    revoke: {
      label: 'Revoke token',
      tone: 'warning',
      busy: revoke.isPending,
      title: `Revoke the token of ${tenant}?`,
      message: (
        <p>
          The installation token of <strong>{tenant}</strong> on instance <strong>{instanceName}</strong>
          {production ? ' (PRODUCTION)' : ''} will no longer install the tenant.
        </p>
      ),
    },
    delete: {
      label: 'Delete tenant',
      tone: 'danger',
      busy: remove.isPending,
      title: `Delete tenant ${tenant}?`,
      message: adopted ? (
        <p>
          Forgets the adopted tenant <strong>{where}</strong>: removes its record and any token the keychain holds. Its
          TMS entry and its Elasticsearch data stay, and it keeps working.
        </p>
      ) : (
        <p>
          Deletes the tenant <strong>{where}</strong>: its TMS entry, keychain token and record. Its Elasticsearch data
          is never deleted. This cannot be undone.
        </p>
      ),
    },
  };

  const inlineError = production ? null : (rotate.error ?? revoke.error);
  return (
    <div className="danger-actions">
      <div className="button-row">
        {ACTIONS.filter((action) => offered.includes(action)).map((action) => (
          <button
            key={action}
            type="button"
            className={actions[action].tone}
            onClick={() => ask(action)}
            disabled={actions[action].busy}
          >
            {actions[action].label}
          </button>
        ))}
      </div>
      {inlineError ? <ErrorMessage error={inlineError} /> : null}
      {pending ? (
        <ConfirmDialog
          title={actions[pending].title}
          message={actions[pending].message}
          confirmLabel={actions[pending].label}
          requireText={pending === 'delete' && production ? tenant : undefined}
          onConfirm={run[pending]}
          onClose={() => setPending(null)}
        >
          {pending === 'delete' ? (
            <label className="check">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
              Force (delete even where the core refuses a normal delete, e.g. parts already gone)
            </label>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
