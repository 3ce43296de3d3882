/** Entry: pick the transport for the hosting shell, read the stored theme, render the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app';
import { ApiProvider } from './lib/api-context';
import { createQueryClient, qk } from './lib/query-client';
import { parseRoute } from './lib/routes';
import { instanceViewsQuery, instancesQuery, tenantsHeadQuery } from './lib/use-server-state';
import { isThemePreference, setThemePreference } from './lib/theme';
import { createConsoleClient } from './lib/transport';
import { preloadScreen } from './screens';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/widgets.css';
import './styles/tables.css';

const client = createConsoleClient({
  tenantConsole: window.tenantConsole,
  fetch: (input, init) => window.fetch(input, init),
});
const queryClient = createQueryClient();

setThemePreference('system');
// The stored theme comes with the app status. Through the query cache, so that the status bar's own
// query finds this call in flight instead of sending a second one.
queryClient.fetchQuery({ queryKey: qk.appStatus, queryFn: () => client.api['app.status']({}), staleTime: 60_000 }).then(
  (status) => {
    if (isThemePreference(status.theme)) setThemePreference(status.theme);
  },
  () => {
    // Unreadable settings: the system theme stays; the status bar shows why.
  },
);

// What the first screen reads starts now, next to the status, not after React's first render and
// effects (0.1-0.15 s later on a cold start): every screen shows the instances; the Tenants screen
// its list. The screens' own queries find these in flight and wait for them.
const firstData = [queryClient.prefetchQuery(instancesQuery(client.api))];
const firstScreen = parseRoute(location.hash).screen;
// The opening screen's chunk downloads beside those calls (the other screens load when visited).
const firstChunk = preloadScreen(firstScreen);
if (firstScreen === 'tenants') {
  // The first rows (a few KiB, drawn at once); the screen asks for the whole list once they are drawn.
  firstData.push(queryClient.prefetchQuery(tenantsHeadQuery(client.api)));
}
// Which secrets the keychain holds is not on the first screen (one keychain lookup per secret):
// asked once the first screen's data is in, so a locked keychain still shows in the status bar.
void Promise.allSettled(firstData).then(() =>
  setTimeout(() => void queryClient.prefetchQuery(instanceViewsQuery(client.api)), 200),
);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
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
