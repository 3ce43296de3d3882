/**
 * Hash-based routing: the hash is the source of truth (routes.ts parses it); `navigate` writes it.
 */
import { useSyncExternalStore } from 'react';
import { parseRoute, routeHash, type Route } from './routes';

export { parseRoute, routeHash, type Route, type Screen } from './routes';

let current = parseRoute(typeof location === 'undefined' ? '' : location.hash);
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('hashchange', onHashChange);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', onHashChange);
  };
}

function onHashChange(): void {
  current = parseRoute(location.hash);
  for (const l of [...listeners]) l();
}

/** Go to a route (pushes a history entry, so Back works). */
export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (location.hash !== hash) location.hash = hash;
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => current,
  );
}
