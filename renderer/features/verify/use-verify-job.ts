/**
 * Start a verification job and follow it: `verify.poll` every 300 ms through the query layer, each
 * answer's new results merged into what arrived before, until the job is finished.
 */
import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallArgs, VerifyJob } from '../../../shared/contract/contract';
import { useApi } from '../../lib/api-context';
import { formatCount, plural } from '../../lib/format';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { mergeResults, PROBLEM_STATUSES } from './merge-results';
import { followJob } from './verify-store';

export const POLL_MS = 300;

export function useStartVerify() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ scope }: { scope: CallArgs<'verify.start'>['scope']; label: string }) =>
      api['verify.start']({ scope }),
    onSuccess: ({ jobId, total }, { label }) => {
      followJob(jobId, label);
      announce(`Verification of ${label} started: ${plural(total, 'tenant')}.`);
    },
  });
}

export function useVerifyJob(jobId: string | null) {
  const api = useApi();
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: qk.verifyJob(jobId ?? ''),
    enabled: jobId !== null,
    queryFn: async (): Promise<VerifyJob> => {
      const id = jobId as string;
      const prev = qc.getQueryData<VerifyJob>(qk.verifyJob(id));
      const since = prev?.results.length ?? 0;
      const next = await api['verify.poll']({ jobId: id, since });
      return { ...next, results: mergeResults(prev?.results ?? [], next.results) };
    },
    refetchInterval: (q) => (q.state.data?.finished || q.state.status === 'error' ? false : POLL_MS),
    refetchIntervalInBackground: true,
    staleTime: Infinity,
    // 10,000 results: skip the deep comparison on every poll, the merge already keeps old objects.
    structuralSharing: false,
  });

  const finished = query.data?.finished ?? false;
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (!jobId || !finished || announced.current === jobId || !query.data) return;
    announced.current = jobId;
    const problems = query.data.results.filter((r) => PROBLEM_STATUSES.has(r.status)).length;
    announce(
      `Verification finished: ${formatCount(query.data.results.length)} checked, ${formatCount(problems)} need${problems === 1 ? 's' : ''} attention.`,
    );
    void qc.invalidateQueries({ queryKey: qk.tenants });
  }, [jobId, finished, query.data, qc]);

  return query;
}
