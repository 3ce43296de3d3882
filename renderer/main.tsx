/** Entry: pick the transport for the hosting shell, read the stored theme, render the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './app';
import { ApiProvider } from './lib/api-context';
import { createQueryClient, qk } from './lib/query-client';
import { isThemePreference, setThemePreference } from './lib/theme';
import { createConsoleClient } from './lib/transport';
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
// The stored theme comes with the app status.
client.api['app.status']({}).then(
  (status) => {
    queryClient.setQueryData(qk.appStatus, status);
    if (isThemePreference(status.theme)) setThemePreference(status.theme);
  },
  () => {
    // Unreadable settings: the system theme stays; the status bar shows why.
  },
);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <ApiProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
