/**
 * The instance reports another Tracardi version than its profile (Fleet card, Instance screen): says
 * which, and offers the one-step fix, the profile set to the reported version after a confirmation.
 * Nothing shows while it matches or cannot be asked.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Instance } from '../../../shared/instances/instance';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';
import { useInstanceMutations } from './use-instance-mutations';

export function VersionMismatch({ instance }: { instance: Pick<Instance, 'id' | 'name'> }) {
  const api = useApi();
  const { update } = useInstanceMutations();
  const [confirming, setConfirming] = useState(false);
  const query = useQuery({
    queryKey: qk.versionCheck(instance.id),
    queryFn: () => api['instances.versionCheck']({ id: instance.id }),
    // One request to the instance's Tracardi: asked again on Refresh and after the instance is saved.
    staleTime: 5 * 60_000,
  });
  const check = query.data;
  if (!check || (check.outcome !== 'mismatch' && check.outcome !== 'unknown-version')) return null;
  const profile = check.outcome === 'mismatch' ? check.reported?.profile : null;
  return (
    <div className="error-message version-mismatch" role="alert">
      <strong>Tracardi version:</strong> {check.message}{' '}
      {profile ? (
        <button type="button" className="small" onClick={() => setConfirming(true)}>
          Use {profile}
        </button>
      ) : null}
      {confirming && profile ? (
        // The dialog's events bubble through React to the Fleet card, whose click opens the instance.
        <span onClick={(e) => e.stopPropagation()}>
          <ConfirmDialog
            title={`Use Tracardi ${profile} for ${instance.name}?`}
            message={`The instance's version profile becomes ${profile}, the version it reports: its capacity, index names and verification follow it from now on.`}
            confirmLabel={`Use ${profile}`}
            onConfirm={() => update.mutateAsync({ id: instance.id, patch: { tracardiVersion: profile } })}
            onClose={() => setConfirming(false)}
          />
        </span>
      ) : null}
    </div>
  );
}
