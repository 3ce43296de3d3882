/**
 * The tenant name as the operator types: checked instantly by the pure shared rule the tenant plan
 * also runs (shared/tenants/tenant-domain.ts: the name Tracardi derives, no credentials, under the instance's
 * suffix unless outside it on purpose), then by the core (`tenants.preview`, full: collisions and
 * capacity) once typing pauses.
 */
import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { checkTenantDomain } from '../../../shared/tenants/tenant-domain';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';
import { useDebouncedValue } from '../../lib/use-debounced-value';

export const PREVIEW_DEBOUNCE_MS = 350;

export function useTenantPreview(instanceId: string, input: string, suffix: string | undefined, outsideSuffix = false) {
  const api = useApi();
  const check = useMemo(
    () => (input.trim() && suffix ? checkTenantDomain(input, suffix, { allowOutsideSuffix: outsideSuffix }) : null),
    [input, suffix, outsideSuffix],
  );
  const domain = check?.domain ?? input.trim();
  const settled = useDebouncedValue(domain, PREVIEW_DEBOUNCE_MS);
  const allowed = check?.ok === true && check.outsideSuffix;
  const query = useQuery({
    queryKey: [...qk.preview(instanceId, settled), allowed],
    queryFn: () =>
      api['tenants.preview']({
        instanceId,
        domain: settled,
        quick: false,
        ...(allowed ? { outsideSuffix: true } : {}),
      }),
    enabled: Boolean(instanceId) && settled !== '' && check?.ok === true,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
  // A preview belongs to the domain shown only once typing settled and the answer is for it.
  const current =
    query.data && query.data.instanceId === instanceId && settled === domain && !query.isPlaceholderData
      ? query.data
      : null;
  const checking = check?.ok === true && (settled !== domain || query.isFetching);
  return { domain, check, preview: current, checking, error: settled === domain ? query.error : null };
}
