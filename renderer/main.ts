/**
 * Entry: small on purpose. It picks the transport for the hosting shell and starts, at once and side
 * by side, what the first screen needs: its data calls, its screen chunk and the React chunk
 * (root.tsx). On a cold start the page would otherwise compile React and the frame before the
 * first byte of data is even asked for. root.tsx then renders with these answers in hand.
 */
import { parseRoute } from './lib/routes';
import { createConsoleClient } from './lib/transport';
import { TENANTS_HEAD_ROWS } from './lib/first-screen';
import { preloadScreen } from './screen-chunks';
import type { FirstCalls } from './root';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/widgets.css';
import './styles/tables.css';

const client = createConsoleClient({
  tenantConsole: window.tenantConsole,
  fetch: (input, init) => window.fetch(input, init),
});

const firstScreen = parseRoute(location.hash).screen;
/** Started before anything else: every screen shows the instances and the status bar; Tenants its first rows. */
const calls: FirstCalls = {
  status: client.api['app.status']({}),
  summaries: client.api['instances.summaries']({}),
  head: firstScreen === 'tenants' ? client.api['tenants.head']({ limit: TENANTS_HEAD_ROWS }) : undefined,
};
// Failures are shown by the screens that read these (through the query cache), not here.
for (const call of Object.values(calls)) void call?.catch(() => undefined);

const firstChunk = preloadScreen(firstScreen);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
void import('./root').then(({ renderConsole }) => renderConsole(root, client, calls, firstChunk));
