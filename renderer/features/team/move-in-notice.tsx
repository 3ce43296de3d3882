/**
 * On the Tenants screen: this console's local records (from before the team registry) that the
 * team's registry holds with other data, and those still waiting for their registry. Asked after
 * each list fetch (the list's sync is what publishes local records). Light on purpose (the Tenants
 * screen is the first screen): what it shows is a chunk of its own, loaded only when there is
 * something to show.
 */
import { lazy, Suspense } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';
import { useTenantRecords } from '../../lib/use-server-state';

const MoveInNoticeBody = lazy(() => import('./move-in-notice-body'));

export function MoveInNotice() {
  const api = useApi();
  // The list's answer time: each fetch of the list synced, and may have published or met conflicts.
  const listedAt = useTenantRecords(false).dataUpdatedAt;
  const query = useQuery({
    queryKey: qk.moveIns(listedAt),
    queryFn: () => api['tenants.moveIns']({}),
    enabled: listedAt > 0,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  const reports = query.data ?? [];
  if (!reports.some((r) => r.conflicts.length > 0 || r.waiting.length > 0)) return null;
  return (
    <Suspense fallback={null}>
      <MoveInNoticeBody reports={reports} />
    </Suspense>
  );
}
