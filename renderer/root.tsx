/**
 * The React half of the entry (its own chunk, loaded by main.ts beside the first calls): the query
 * cache seeded with the calls main.ts already started, the stored theme, the render.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import type { CallResult } from '../shared/contract/contract';
import { App } from './app';
import { ApiProvider } from './lib/api-context';
import { createQueryClient, qk } from './lib/query-client';
import { instanceViewsQuery, instancesQuery, tenantsHeadQuery } from './lib/use-server-state';
import { isThemePreference, setThemePreference } from './lib/theme';
import type { ConsoleClient } from './lib/transport';

/** The calls main.ts starts before React loads (`head` only when the page opens on Tenants). */
export interface FirstCalls {
  status: Promise<CallResult<'app.status'>>;
  summaries: Promise<CallResult<'instances.summaries'>>;
  head?: Promise<CallResult<'tenants.head'>> | undefined;
}

export function renderConsole(
  root: HTMLElement,
  client: ConsoleClient,
  calls: FirstCalls,
  firstChunk: Promise<unknown>,
): void {
  const queryClient = createQueryClient();
  setThemePreference('system');
  // The stored theme comes with the app status; the status bar's own query finds this call in the
  // cache instead of sending a second one.
  queryClient.prefetchQuery({ queryKey: qk.appStatus, queryFn: () => calls.status, staleTime: 60_000 }).then(
    () => {
      const status = queryClient.getQueryData<CallResult<'app.status'>>(qk.appStatus);
      if (status && isThemePreference(status.theme)) setThemePreference(status.theme);
      // Unreadable settings: the system theme stays; the status bar shows why.
    },
    () => undefined,
  );

  // The screens' own queries find these in flight (or answered) and wait for them.
  const firstData = [queryClient.prefetchQuery({ ...instancesQuery(client.api), queryFn: () => calls.summaries })];
  const head = calls.head;
  if (head) firstData.push(queryClient.prefetchQuery({ ...tenantsHeadQuery(client.api), queryFn: () => head }));
  // Which secrets the keychain holds is not on the first screen (one keychain lookup per secret):
  // asked once the first screen's data is in, so a locked keychain still shows in the status bar.
  void Promise.allSettled(firstData).then(() =>
    setTimeout(() => void queryClient.prefetchQuery(instanceViewsQuery(client.api)), 200),
  );

  // Rendered once the opening screen's chunk is in (or failed, or after a second at most): rendered
  // earlier, the lazy screen would suspend and React would reveal it only after its fallback throttle.
  void Promise.race([firstChunk, new Promise((resolve) => setTimeout(resolve, 1000))])
    .catch(() => undefined)
    .then(() =>
      createRoot(root).render(
        <StrictMode>
          <ApiProvider client={client}>
            <QueryClientProvider client={queryClient}>
              <App />
            </QueryClientProvider>
          </ApiProvider>
        </StrictMode>,
      ),
    );
}
