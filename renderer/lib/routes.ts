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
  const [screen, arg] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (screen) {
    case 'instance':
    case 'history':
      return arg ? { screen, id: arg } : { screen: 'fleet' };
    case 'new-tenant':
    case 'found':
      return arg ? { screen, instanceId: arg } : { screen };
    case 'tenants':
    case 'verify':
    case 'changes':
    case 'instances':
    case 'audit':
      return { screen };
    default:
      return { screen: 'fleet' };
  }
}

/** The hash for a route. */
export function routeHash(route: Route): string {
  switch (route.screen) {
    case 'instance':
    case 'history':
      return `#/${route.screen}/${encodeURIComponent(route.id)}`;
    case 'new-tenant':
    case 'found':
      return route.instanceId ? `#/${route.screen}/${encodeURIComponent(route.instanceId)}` : `#/${route.screen}`;
    default:
      return `#/${route.screen}`;
  }
}
