/** The console's frame: left navigation, the routed screen, the status bar, shortcuts and help. */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Announcer } from './components/announcer';
import { ErrorBoundary } from './components/error-boundary';
import { WatchToasts } from './features/changes/watch-toasts';
import { ShortcutHelp, useAppShortcuts } from './features/shortcuts';
import { StatusBar } from './features/status-bar';
import { useRouteData } from './lib/history-query';
import { useRegistryPoll } from './lib/registry-status';
import { routeHash, useRoute, type Route, type Screen } from './lib/router';
import {
  AuditScreen,
  ChangesScreen,
  FleetScreen,
  FoundScreen,
  HistoryScreen,
  InstanceScreen,
  InstancesScreen,
  NewTenantScreen,
  TenantsScreen,
  useReadyRoute,
  VerifyScreen,
} from './screens';

const NAV: { label: string; route: Route; active: Screen[] }[] = [
  { label: 'Fleet', route: { screen: 'fleet' }, active: ['fleet', 'instance', 'history'] },
  { label: 'Tenants', route: { screen: 'tenants' }, active: ['tenants'] },
  { label: 'New tenant', route: { screen: 'new-tenant' }, active: ['new-tenant'] },
  { label: 'Found on instance', route: { screen: 'found' }, active: ['found'] },
  { label: 'Verify', route: { screen: 'verify' }, active: ['verify'] },
  { label: 'Changes', route: { screen: 'changes' }, active: ['changes'] },
  { label: 'Instances', route: { screen: 'instances' }, active: ['instances'] },
  { label: 'Audit log', route: { screen: 'audit' }, active: ['audit'] },
];

// Loaded only while a team registry is down: most windows never load it.
const RegistryBanner = lazy(() => import('./features/team/registry-banner'));

/** The read-only banner over every screen while any instance's team registry cannot take changes. */
function RegistryBannerSlot() {
  const down = useRegistryPoll();
  if (down.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <RegistryBanner down={down} />
    </Suspense>
  );
}

function ScreenFor({ route }: { route: Route }) {
  switch (route.screen) {
    case 'instance':
      return <InstanceScreen key={route.id} id={route.id} />;
    case 'history':
      return <HistoryScreen key={route.id} id={route.id} />;
    case 'tenants':
      return <TenantsScreen />;
    case 'new-tenant':
      return <NewTenantScreen key={route.instanceId ?? ''} instanceId={route.instanceId} />;
    case 'found':
      return <FoundScreen key={route.instanceId ?? ''} instanceId={route.instanceId} />;
    case 'verify':
      return <VerifyScreen />;
    case 'changes':
      return <ChangesScreen />;
    case 'instances':
      return <InstancesScreen />;
    case 'audit':
      return <AuditScreen />;
    default:
      return <FleetScreen />;
  }
}

export function App() {
  const route = useRoute();
  // The new screen's data and chunk load side by side; the screen shows once its chunk is in.
  useRouteData(route);
  const shown = useReadyRoute(route);
  const [help, setHelp] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useAppShortcuts(() => setHelp(true));
  const hash = routeHash(route);

  // After navigating, put keyboard focus at the top of the new screen (not on first load).
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [hash]);

  return (
    <div className="app">
      <a className="skip-link" href="#content" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <nav className="side-nav" aria-label="Main">
        <div className="brand">
          Tracardi
          <br />
          <span className="muted">Tenant Console</span>
        </div>
        <ul>
          {NAV.map((item) => {
            const current = item.active.includes(route.screen);
            return (
              <li key={item.label}>
                <a
                  href={routeHash(item.route)}
                  aria-current={current ? 'page' : undefined}
                  className={current ? 'active' : undefined}
                >
                  {item.label}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="content" ref={mainRef} tabIndex={-1} className="content">
        <RegistryBannerSlot />
        <ErrorBoundary resetKey={hash}>
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <ScreenFor route={shown} />
          </Suspense>
        </ErrorBoundary>
      </main>
      <StatusBar onHelp={() => setHelp(true)} />
      <Announcer />
      <WatchToasts />
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
