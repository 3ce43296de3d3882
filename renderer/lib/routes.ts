/**
 * Hash routes of the console: `#/fleet`, `#/instance/<id>`, `#/history/<id>`, `#/tenants`, `#/new-tenant[/<instance>]`,
 * `#/found[/<instance>]`,
 * `#/verify`, `#/changes`, `#/instances`, `#/audit`. Pure parse and format; router.ts follows the location.
 */

export type Route =
  | { screen: 'fleet' }
  | { screen: 'instance'; id: string }
  | { screen: 'history'; id: string }
  | { screen: 'tenants' }
  | { screen: 'new-tenant'; instanceId?: string }
  | { screen: 'found'; instanceId?: string }
  | { screen: 'verify' }
  | { screen: 'changes' }
  | { screen: 'instances' }
  | { screen: 'audit' };

export type Screen = Route['screen'];

/** Parse a location hash into a route; anything unknown is the fleet. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'instance':
      return parts[1] ? { screen: 'instance', id: parts[1] } : { screen: 'fleet' };
    case 'history':
      return parts[1] ? { screen: 'history', id: parts[1] } : { screen: 'fleet' };
    case 'tenants':
      return { screen: 'tenants' };
    case 'new-tenant':
      return parts[1] ? { screen: 'new-tenant', instanceId: parts[1] } : { screen: 'new-tenant' };
    case 'found':
      return parts[1] ? { screen: 'found', instanceId: parts[1] } : { screen: 'found' };
    case 'verify':
      return { screen: 'verify' };
    case 'changes':
      return { screen: 'changes' };
    case 'instances':
      return { screen: 'instances' };
    case 'audit':
      return { screen: 'audit' };
    default:
      return { screen: 'fleet' };
  }
}

/** The hash for a route. */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'instance':
      return `#/instance/${encodeURIComponent(route.id)}`;
    case 'history':
      return `#/history/${encodeURIComponent(route.id)}`;
    case 'new-tenant':
      return route.instanceId ? `#/new-tenant/${encodeURIComponent(route.instanceId)}` : '#/new-tenant';
    case 'found':
      return route.instanceId ? `#/found/${encodeURIComponent(route.instanceId)}` : '#/found';
    default:
      return `#/${route.screen}`;
  }
}
