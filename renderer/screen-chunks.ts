/**
 * Where each screen's chunk comes from, without React: the entry (main.ts) starts the opening
 * screen's chunk here next to the first data calls, before React itself has loaded, so the chunk, the
 * React chunk and the data all download at once. screens.tsx wraps these loaders in React.lazy.
 */
import type { Screen } from './lib/routes';

export const screenLoaders = {
  fleet: () => import('./features/fleet').then((m) => ({ default: m.FleetScreen })),
  instance: () => import('./features/instance').then((m) => ({ default: m.InstanceScreen })),
  history: () => import('./features/history').then((m) => ({ default: m.HistoryScreen })),
  tenants: () => import('./features/tenants').then((m) => ({ default: m.TenantsScreen })),
  'new-tenant': () => import('./features/new-tenant').then((m) => ({ default: m.NewTenantScreen })),
  verify: () => import('./features/verify').then((m) => ({ default: m.VerifyScreen })),
  instances: () => import('./features/instances').then((m) => ({ default: m.InstancesScreen })),
  audit: () => import('./features/audit').then((m) => ({ default: m.AuditScreen })),
  changes: () => import('./features/changes').then((m) => ({ default: m.ChangesScreen })),
  found: () => import('./features/found').then((m) => ({ default: m.FoundScreen })),
  settings: () => import('./features/settings').then((m) => ({ default: m.SettingsScreen })),
  indices: () => import('./features/indices').then((m) => ({ default: m.IndicesScreen })),
};

export type LoadedScreen<K extends Screen> = Awaited<ReturnType<(typeof screenLoaders)[K]>>;

const started = new Map<Screen, Promise<unknown>>();
const loaded = new Map<Screen, unknown>();

/** Start loading a screen's chunk (once); React.lazy then finds it loaded or in flight. */
export function preloadScreen(screen: Screen): Promise<unknown> {
  let load = started.get(screen);
  if (!load) {
    load = screenLoaders[screen]().then((m) => {
      loaded.set(screen, m);
      return m;
    });
    started.set(screen, load);
  }
  return load;
}

/** The screen's module if its chunk is in, else undefined. */
export function loadedScreen(screen: Screen): unknown {
  return loaded.get(screen);
}
