/** The one query layer for server state: caching, refetch and progress for every contract call. */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { reportError } from './notices';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: reportError }),
    mutationCache: new MutationCache({ onError: reportError }),
    defaultOptions: {
      queries: {
        // Failures carry an operator-facing message; retrying an ES timeout only doubles the wait.
        retry: false,
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
}

/** Query keys, one place. */
export const qk = {
  appStatus: ['app.status'] as const,
  preferences: ['preferences'] as const,
  /** Both instance queries: invalidating it refetches the summaries and the secret presence. */
  instances: ['instances'] as const,
  instanceSummaries: ['instances', 'instances.summaries'] as const,
  instanceViews: ['instances', 'instances.list'] as const,
  /** Under `instances`: saving an instance (its version profile) asks it again. */
  versionCheck: (id: string) => ['instances', 'instances.versionCheck', id] as const,
  snapshots: ['capacity.snapshot'] as const,
  snapshot: (id: string) => ['capacity.snapshot', id] as const,
  /** Apart from `snapshots`: the Fleet's refresh and its busy indicator do not wait on a ranking. */
  placement: ['capacity.place'] as const,
  history: (id: string, range: string) => ['capacity.history', id, range] as const,
  headroom: ['capacity.headroom'] as const,
  tenants: ['tenants.list'] as const,
  /** Under `tenants`: the first rows, drawn while the whole list loads. */
  tenantsHead: ['tenants.list', 'tenants.head'] as const,
  /** Under `tenants`: invalidating the list refetches an expanded row's full record too. */
  tenant: (instanceId: string, tenant: string) => ['tenants.list', 'tenants.get', instanceId, tenant] as const,
  preview: (instanceId: string, domain: string) => ['tenants.preview', instanceId, domain] as const,
  /** Every watch query (invalidated after a round the page ran or saw). */
  watch: ['watch'] as const,
  watchStatus: ['watch', 'status'] as const,
  watchFeed: ['watch', 'feed'] as const,
  /** Which feed entries the operator acknowledged. */
  watchAcks: ['watch', 'acks'] as const,
  /** The frame's poll for news (features/changes/watch-news.ts). */
  watchNews: ['watch', 'news'] as const,
  audit: (filters: Record<string, string>) => ['audit.list', filters] as const,
  keychain: ['app.keychain'] as const,
  verifyJob: (jobId: string) => ['verify.poll', jobId] as const,
  discover: (instanceId: string) => ['tenants.discover', instanceId] as const,
  /** Each instance's team registry health (the read-only banner, the Instance screen). */
  registryStatus: ['registry.status'] as const,
  /** Local records from before the registry, as the list fetched at `listedAt` left them. */
  moveIns: (listedAt: number) => ['tenants.moveIns', listedAt] as const,
};
