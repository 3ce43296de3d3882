/** Add, update, remove and test instances through the core; lists and snapshots refresh after. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CallArgs } from '../../../shared/contract/contract';
import type { SecretKind } from '../../../shared/instances/instance';
import { useApi } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';

export type Secrets = Partial<Record<SecretKind, string>>;

export function useInstanceMutations() {
  const api = useApi();
  const qc = useQueryClient();
  const refreshAfter = (id: string) => {
    void qc.invalidateQueries({ queryKey: qk.instances });
    void qc.invalidateQueries({ queryKey: qk.snapshot(id) });
  };
  const add = useMutation({
    mutationFn: (v: CallArgs<'instances.add'>) => api['instances.add'](v),
    onSuccess: (view) => {
      announce(`Instance ${view.instance.name} added.`);
      refreshAfter(view.instance.id);
    },
  });
  const update = useMutation({
    mutationFn: (v: CallArgs<'instances.update'>) => api['instances.update'](v),
    onSuccess: (view) => {
      announce(`Instance ${view.instance.name} saved.`);
      refreshAfter(view.instance.id);
    },
  });
  const remove = useMutation({
    mutationFn: (v: { id: string; force: boolean }) => api['instances.remove'](v),
    onSuccess: ({ removed }) => {
      announce(`Instance ${removed} removed.`);
      void qc.invalidateQueries({ queryKey: qk.instances });
      qc.removeQueries({ queryKey: qk.snapshot(removed) });
      void qc.invalidateQueries({ queryKey: qk.tenants });
    },
  });
  const test = useMutation({
    mutationFn: (v: CallArgs<'instances.testConnection'>) => api['instances.testConnection'](v),
    onSuccess: (checks) =>
      announce(`Connection test: ${checks.map((c) => `${c.target} ${c.ok ? 'ok' : 'failed'}`).join(', ')}.`),
  });
  return { add, update, remove, test };
}
