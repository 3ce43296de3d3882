/**
 * Rotate, revoke and delete a tenant through the core; the tenant list refreshes after each. Each
 * carries the version of the record shown (`version`): refused with `conflict` when another operator
 * changed it since, and the record is read again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { expectedVersion, reReadOnConflict } from '../../lib/record-version';

export function useTenantLifecycle(instanceId: string, tenant: string, version?: string) {
  const api = useApi();
  const qc = useQueryClient();
  const ref = { instanceId, tenant, ...expectedVersion(version) };
  const reRead = reReadOnConflict(qc);
  // A refused action is audited too: the Audit log reads it again whatever the outcome.
  const onError: typeof reRead = (...args) => {
    void qc.invalidateQueries({ queryKey: ['audit.list'] });
    return reRead(...args);
  };
  const done = (text: string) => {
    announce(text);
    void qc.invalidateQueries({ queryKey: qk.tenants });
    void qc.invalidateQueries({ queryKey: qk.snapshot(instanceId) });
    void qc.invalidateQueries({ queryKey: ['audit.list'] });
  };
  const rotate = useMutation({
    mutationFn: () => api['tenants.rotate'](ref),
    onError,
    onSuccess: () => done(`Token of ${tenant} rotated: reveal or copy the new one.`),
  });
  const revoke = useMutation({
    mutationFn: () => api['tenants.revoke'](ref),
    onError,
    onSuccess: () => done(`Token of ${tenant} revoked.`),
  });
  const remove = useMutation({
    mutationFn: (force: boolean) => api['tenants.delete']({ ...ref, force }),
    onError,
    onSuccess: () => done(`Tenant ${tenant} deleted.`),
  });
  return { rotate, revoke, remove };
}
