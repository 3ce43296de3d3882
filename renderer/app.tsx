/** The console's frame: left navigation, the routed screen, the status bar, shortcuts and help. */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Announcer } from './components/announcer';
import { ErrorBoundary } from './components/error-boundary';
import { WatchToasts } from './features/changes/watch-toasts';
import { ShortcutHelp, useAppShortcuts } from './features/shortcuts';
import { StatusBar } from './features/status-bar';
import { useRouteData } from './lib/history-query';
import { useRegistryPoll } from './lib/registry-status';
import { lastViewOf, screenHash, useRoute, useScreenRoute, type Route, type Screen } from './lib/router';
import {
  AuditScreen,
  ChangesScreen,
  FleetScreen,
  FoundScreen,
  HistoryScreen,
  IndicesScreen,
  InstanceScreen,
  InstancesScreen,
  NewTenantScreen,
  SettingsScreen,
  TenantsScreen,
  useReadyRoute,
  VerifyScreen,
} from './screens';

// The search box (Ctrl+K): its own chunk, loaded when first opened, never on the first screen.
const SearchDialog = lazy(() => import('./features/search').then((m) => ({ default: m.SearchDialog })));

const NAV: { label: string; route: Route; active: Screen[] }[] = [
  { label: 'Fleet', route: { screen: 'fleet' }, active: ['fleet', 'instance', 'history', 'indices'] },
  { label: 'Tenants', route: { screen: 'tenants' }, active: ['tenants'] },
  { label: 'New tenant', route: { screen: 'new-tenant' }, active: ['new-tenant'] },
  { label: 'Found on instance', route: { screen: 'found' }, active: ['found'] },
  { label: 'Verify', route: { screen: 'verify' }, active: ['verify'] },
  { label: 'Changes', route: { screen: 'changes' }, active: ['changes'] },
  { label: 'Instances', route: { screen: 'instances' }, active: ['instances'] },
  { label: 'Audit log', route: { screen: 'audit' }, active: ['audit'] },
  { label: 'Settings', route: { screen: 'settings' }, active: ['settings'] },
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
    case 'indices':
      return <IndicesScreen key={route.id} id={route.id} />;
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
    case 'settings':
      return <SettingsScreen />;
    default:
      return <FleetScreen />;
  }
}

/** The navigation's links: each back to its screen's last view, so it follows every filter change. */
function NavLinks() {
  const route = useRoute();
  return (
    <ul>
      {NAV.map((item) => {
        const current = item.active.includes(route.screen);
        return (
          <li key={item.label}>
            <a
              href={lastViewOf(item.route)}
              aria-current={current ? 'page' : undefined}
              className={current ? 'active' : undefined}
            >
              {item.label}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export function App() {
  // The screen only: a filter's keystroke re-renders the screen and the links, not the frame.
  const route = useScreenRoute();
  // The new screen's data and chunk load side by side; the screen shows once its chunk is in.
  useRouteData(route);
  const shown = useReadyRoute(route);
  const [help, setHelp] = useState(false);
  const [search, setSearch] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useAppShortcuts(
    () => setHelp(true),
    () => setSearch(true),
  );
  // The screen without its view state: a new filter or sort is not a new screen.
  const hash = screenHash(route);

  // After navigating to another screen, put keyboard focus at its top (not on first load).
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
        <button type="button" className="nav-search" onClick={() => setSearch(true)} aria-keyshortcuts="Control+K">
          Search <kbd>Ctrl K</kbd>
        </button>
        <NavLinks />
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
      {search ? (
        <Suspense fallback={null}>
          <SearchDialog onClose={() => setSearch(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
