/**
 * The screens, each its own chunk (React.lazy): the first load parses only the shell (navigation,
 * status bar) and the screen it opens on, not the six others. `preloadScreen` starts a screen's chunk
 * download at once: main.tsx calls it for the route the page opens on, next to the first data calls,
 * so the chunk and the data arrive together instead of one after the other.
 */
import { lazy } from 'react';
import type { Screen } from './lib/routes';

const loaders = {
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
};

const started = new Map<Screen, Promise<unknown>>();
const loaded = new Map<Screen, unknown>();

/** Start loading a screen's chunk (once); React.lazy below then finds it loaded or in flight. */
export function preloadScreen(screen: Screen): Promise<unknown> {
  let load = started.get(screen);
  if (!load) {
    load = loaders[screen]().then((m) => {
      loaded.set(screen, m);
      return m;
    });
    started.set(screen, load);
  }
  return load;
}

/**
 * The chunk of a screen, started once (by preloadScreen or here). A chunk already in is answered
 * synchronously, so React.lazy renders it without suspending: a suspended screen is revealed only
 * after React's fallback throttle (some 300 ms), which the first screen would otherwise always pay.
 */
function chunk<T>(screen: Screen): Promise<T> {
  if (loaded.has(screen)) {
    const m = loaded.get(screen) as T;
    // React.lazy only calls `then`; this one calls back at once instead of on the next microtask.
    const now = { then: (onFulfilled: (value: T) => unknown) => Promise.resolve(onFulfilled(m)) };
    return now as unknown as Promise<T>;
  }
  return preloadScreen(screen) as Promise<T>;
}

type Loaded<K extends Screen> = Awaited<ReturnType<(typeof loaders)[K]>>;

export const FleetScreen = lazy(() => chunk<Loaded<'fleet'>>('fleet'));
export const InstanceScreen = lazy(() => chunk<Loaded<'instance'>>('instance'));
export const HistoryScreen = lazy(() => chunk<Loaded<'history'>>('history'));
export const TenantsScreen = lazy(() => chunk<Loaded<'tenants'>>('tenants'));
export const NewTenantScreen = lazy(() => chunk<Loaded<'new-tenant'>>('new-tenant'));
export const VerifyScreen = lazy(() => chunk<Loaded<'verify'>>('verify'));
export const InstancesScreen = lazy(() => chunk<Loaded<'instances'>>('instances'));
export const AuditScreen = lazy(() => chunk<Loaded<'audit'>>('audit'));
export const ChangesScreen = lazy(() => chunk<Loaded<'changes'>>('changes'));
export const FoundScreen = lazy(() => chunk<Loaded<'found'>>('found'));
