/**
 * The screens, each its own chunk (React.lazy): the first load parses only the shell (navigation,
 * status bar) and the screen it opens on, not the others. The entry (main.ts) starts the opening
 * screen's chunk (screen-chunks.ts) next to the first data calls, so the chunk and the data arrive
 * together instead of one after the other.
 */
import { lazy, useEffect, useState } from 'react';
import type { Route, Screen } from './lib/routes';
import { loadedScreen, preloadScreen, type LoadedScreen } from './screen-chunks';

/**
 * The chunk of a screen, started once (by preloadScreen or here). A chunk already in is answered
 * synchronously, so React.lazy renders it without suspending: a suspended screen is revealed only
 * after React's fallback throttle (some 300 ms), which the first screen would otherwise always pay.
 */
function chunk<T>(screen: Screen): Promise<T> {
  const m = loadedScreen(screen) as T | undefined;
  if (m !== undefined) {
    // React.lazy only calls `then`; this one calls back at once instead of on the next microtask.
    const now = { then: (onFulfilled: (value: T) => unknown) => Promise.resolve(onFulfilled(m)) };
    return now as unknown as Promise<T>;
  }
  return preloadScreen(screen) as Promise<T>;
}

export const FleetScreen = lazy(() => chunk<LoadedScreen<'fleet'>>('fleet'));
export const InstanceScreen = lazy(() => chunk<LoadedScreen<'instance'>>('instance'));
export const HistoryScreen = lazy(() => chunk<LoadedScreen<'history'>>('history'));
export const TenantsScreen = lazy(() => chunk<LoadedScreen<'tenants'>>('tenants'));
export const NewTenantScreen = lazy(() => chunk<LoadedScreen<'new-tenant'>>('new-tenant'));
export const VerifyScreen = lazy(() => chunk<LoadedScreen<'verify'>>('verify'));
export const InstancesScreen = lazy(() => chunk<LoadedScreen<'instances'>>('instances'));
export const AuditScreen = lazy(() => chunk<LoadedScreen<'audit'>>('audit'));
export const ChangesScreen = lazy(() => chunk<LoadedScreen<'changes'>>('changes'));
export const FoundScreen = lazy(() => chunk<LoadedScreen<'found'>>('found'));
export const SettingsScreen = lazy(() => chunk<LoadedScreen<'settings'>>('settings'));
export const IndicesScreen = lazy(() => chunk<LoadedScreen<'indices'>>('indices'));

/**
 * The route to draw: a new route once its screen's chunk is in (the screen shown before stays until
 * then), so a screen never suspends on navigation either: React reveals a suspended screen only
 * after its fallback throttle, some 300 ms after the chunk is in.
 */
export function useReadyRoute(route: Route): Route {
  const [shown, setShown] = useState(route);
  const loaded = loadedScreen(route.screen) !== undefined;
  // Adjusted while rendering (not in an effect): a loaded screen shows in this very render.
  if (loaded && shown !== route) setShown(route);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    const show = () => {
      if (live) setShown(route);
    };
    preloadScreen(route.screen).then(show, show);
    return () => {
      live = false;
    };
  }, [route, loaded]);
  return loaded ? route : shown;
}
