/**
 * Hash-based routing: the hash is the source of truth (routes.ts parses it), the screen and its view
 * state (filters, sort, the selected row) both. `navigate` pushes a history entry, so Back and Forward
 * move between views; `replace` changes the current one (typing in a search box).
 */
import { useSyncExternalStore } from 'react';
import { parseRoute, routeHash, screenHash, type Route, type Screen } from './routes';

export { parseRoute, routeHash, screenHash, type Params, type Route, type Screen } from './routes';

let current = parseRoute(typeof location === 'undefined' ? '' : location.hash);
/** The current screen without its view state: a new object only when the screen changes. */
let currentScreen = withoutParams(current);
/** The last hash each screen was shown with: the navigation's links go back to that view. */
const lastHash = new Map<Screen, string>();
const listeners = new Set<() => void>();

function remember(route: Route): void {
  lastHash.set(route.screen, routeHash(route));
}
remember(current);

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) {
    window.addEventListener('hashchange', onLocationChange);
    window.addEventListener('popstate', onLocationChange);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.removeEventListener('hashchange', onLocationChange);
      window.removeEventListener('popstate', onLocationChange);
    }
  };
}

function withoutParams(route: Route): Route {
  const { params: _params, ...screen } = route;
  return screen as Route;
}

function publish(route: Route): void {
  current = route;
  if (screenHash(route) !== screenHash(currentScreen)) currentScreen = withoutParams(route);
  remember(route);
  for (const l of [...listeners]) l();
}

// Back and Forward fire both popstate and hashchange (or only one of them, for an entry that
// `replace` wrote): whichever comes first publishes, the other finds nothing new.
function onLocationChange(): void {
  if (location.hash === routeHash(current)) return;
  publish(parseRoute(location.hash));
}

/** Go to a route: a new history entry (Back returns), or with `replace` the current entry changed. */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (location.hash === hash) return;
  if (options.replace) history.replaceState(history.state, '', hash);
  else location.hash = hash;
  // At once, not on the hashchange event: a second change right after this one builds on it.
  publish(parseRoute(hash));
}

/**
 * Change the current screen's view state: each key set to a value, or removed with '' / null /
 * undefined; the other parameters stay.
 */
export function setParams(
  patch: Readonly<Record<string, string | null | undefined>>,
  options: { replace?: boolean } = {},
): void {
  const params: Record<string, string> = { ...current.params };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === '') delete params[name];
    else params[name] = value;
  }
  navigate({ ...current, params }, options);
}

/** The current route (read outside React). */
export function currentRoute(): Route {
  return current;
}

/**
 * The route with the view state (filters, sort, selection) it was last shown with; the route itself
 * when it was not shown yet, or last shown for another instance (`#/new-tenant/eu1` is not `#/new-tenant`).
 */
export function lastViewOf(route: Route): string {
  const last = lastHash.get(route.screen);
  return last !== undefined && screenHash(parseRoute(last)) === screenHash(route) ? last : routeHash(route);
}

/**
 * The current screen without its view state; re-renders only when the screen changes (the frame:
 * a keystroke in a screen's filter box re-renders that screen, not the whole window).
 */
export function useScreenRoute(): Route {
  return useSyncExternalStore(
    subscribe,
    () => currentScreen,
    () => currentScreen,
  );
}

/** The current route with its view state; re-renders on every navigation, a filter's too. */
export function useRoute(): Route {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => current,
  );
}
