/** The discovery of one instance, and adopting what it found (one tenant, or every adoptable one). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdoptInput } from '../../../shared/tenants/adoption';
import { useApi } from '../../lib/api-context';
import { formatCount, plural } from '../../lib/format';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';

export function useDiscovery(instanceId: string) {
  const api = useApi();
  return useQuery({
    queryKey: qk.discover(instanceId),
    queryFn: () => api['tenants.discover']({ id: instanceId }),
    enabled: instanceId !== '',
    // Each discovery asks Elasticsearch and Tracardi: fetched when asked, not on every visit.
    staleTime: 60_000,
  });
}

export interface AdoptAllResult {
  adopted: string[];
  failed: { tenant: string; message: string }[];
}

export function useAdopt(instanceId: string) {
  const api = useApi();
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: qk.tenants });
    void qc.invalidateQueries({ queryKey: qk.discover(instanceId) });
  };
  const one = useMutation({
    mutationFn: (input: AdoptInput) => api['tenants.adopt']({ ...input, instanceId }),
    onSuccess: (record) => {
      announce(`Tenant ${record.tenant} adopted; nothing on the instance changed.`);
      refresh();
    },
  });
  const all = useMutation({
    // One after the other: each adopt reads the instance, and the report says which ones failed.
    mutationFn: async (inputs: AdoptInput[]): Promise<AdoptAllResult> => {
      const out: AdoptAllResult = { adopted: [], failed: [] };
      for (const input of inputs) {
        try {
          await api['tenants.adopt']({ ...input, instanceId });
          out.adopted.push(input.tenant);
        } catch (err) {
          out.failed.push({ tenant: input.tenant, message: err instanceof Error ? err.message : String(err) });
        }
      }
      return out;
    },
    onSuccess: (r) => {
      announce(
        `${plural(r.adopted.length, 'tenant')} adopted${r.failed.length ? `, ${formatCount(r.failed.length)} refused` : ''}.`,
      );
      refresh();
    },
  });
  return { one, all };
}
