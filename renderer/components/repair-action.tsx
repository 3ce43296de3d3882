/**
 * Run repair: the window's control for an error whose remedy is a reconcile repair (an interrupted
 * operation, records that disagree with the keychain or the TMS). Applies every automatic repair,
 * as `tenantctl tenants reconcile --repair` does, and says what is left for the operator.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../lib/api-context';
import { qk } from '../lib/query-client';
import { formatCount } from '../lib/format';
import { errorMessage } from '../lib/transport';

export function RepairAction() {
  const api = useApi();
  const qc = useQueryClient();
  const repair = useMutation({
    mutationFn: () => api['tenants.repair']({ findingIds: 'all' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.tenants }),
  });
  const left = repair.data ?? [];
  return (
    <div className="repair-action">
      <button type="button" onClick={() => repair.mutate()} disabled={repair.isPending}>
        {repair.isPending ? 'Running repair…' : 'Run repair'}
      </button>{' '}
      <span role="status">
        {repair.isSuccess
          ? left.length === 0
            ? 'Repaired: records, keychain and TMS agree. Try again.'
            : `Repaired what could be; ${formatCount(left.length)} left for you: ${left[0]!.detail}`
          : repair.isError
            ? `Repair failed: ${errorMessage(repair.error)}`
            : ''}
      </span>
    </div>
  );
}
