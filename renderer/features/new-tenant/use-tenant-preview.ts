/**
 * The tenant name as the operator types: derived instantly by the pure shared rule, then checked
 * by the core (`tenants.preview`, full: collisions and capacity) once typing pauses.
 */
import { useMemo } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { completeTenantDomain, deriveTenantName } from '../../../shared/tenant-name';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';
import { useDebouncedValue } from '../../lib/use-debounced-value';

export const PREVIEW_DEBOUNCE_MS = 350;

export function useTenantPreview(instanceId: string, input: string, suffix: string | undefined) {
  const api = useApi();
  const domain = useMemo(() => (suffix ? completeTenantDomain(input, suffix) : input.trim()), [input, suffix]);
  const derived = useMemo(() => (domain ? deriveTenantName(domain) : null), [domain]);
  const settled = useDebouncedValue(domain, PREVIEW_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: qk.preview(instanceId, settled),
    queryFn: () => api['tenants.preview']({ instanceId, domain: settled, quick: false }),
    enabled: Boolean(instanceId) && settled !== '' && derived?.ok === true,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
  // A preview belongs to the domain shown only once typing settled and the answer is for it.
  const current =
    query.data && query.data.instanceId === instanceId && settled === domain && !query.isPlaceholderData
      ? query.data
      : null;
  const checking = derived?.ok === true && (settled !== domain || query.isFetching);
  return { domain, derived, preview: current, checking, error: settled === domain ? query.error : null };
}
