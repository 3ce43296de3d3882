/**
 * Hash routes of the console: `#/fleet`, `#/instance/<id>`, `#/history/<id>`, `#/tenants`, `#/new-tenant[/<instance>]`,
 * `#/found[/<instance>]`, `#/verify`, `#/changes`, `#/instances`, `#/audit`, `#/settings`, `#/indices/<id>`.
 * A route may carry the screen's view after a `?` (filters, sort, the selected row), e.g.
 * `#/tenants?instance=eu1&status=drift&sort=tenant:asc&sel=eu1/acme`, so a link opens that view and
 * Back and Forward move between views. Pure parse and format; router.ts follows the location.
 */

/** A screen's view state: short names, string values; an empty value is the same as none. */
export type Params = Readonly<Record<string, string>>;

export type Route = (
  | { screen: 'fleet' }
  | { screen: 'instance'; id: string }
  | { screen: 'history'; id: string }
  | { screen: 'indices'; id: string }
  | { screen: 'tenants' }
  | { screen: 'new-tenant'; instanceId?: string }
  | { screen: 'found'; instanceId?: string }
  | { screen: 'verify' }
  | { screen: 'changes' }
  | { screen: 'instances' }
  | { screen: 'audit' }
  | { screen: 'settings' }
) & { params?: Params };

export type Screen = Route['screen'];

/** A parameter value longer than this is dropped (a pasted link cannot make the page hold megabytes). */
const MAX_PARAM_CHARS = 2000;
const PARAM_NAME = /^[a-z][a-z0-9-]{0,30}$/;

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null; // a malformed escape (`%E0`): the part is ignored
  }
}

/** Percent-encoding, but `/ : @ ,` stay as they are (allowed in a fragment): links stay readable. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%(2F|3A|40|2C)/gi, (m) => decodeURIComponent(m));
}

function parseParams(query: string): Params | undefined {
  const params: Record<string, string> = {};
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = decode(part.slice(0, eq));
    const value = decode(part.slice(eq + 1));
    if (name === null || value === null || !PARAM_NAME.test(name)) continue;
    if (value === '' || value.length > MAX_PARAM_CHARS) continue;
    params[name] = value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

function withParams<R extends Route>(route: R, params: Params | undefined): Route {
  return params ? { ...route, params } : route;
}

/** Parse a location hash into a route; anything unknown is the fleet. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const params = q < 0 ? undefined : parseParams(body.slice(q + 1));
  const [screen, arg] = path
    .split('/')
    .filter(Boolean)
    .map((p) => decode(p) ?? '');
  switch (screen) {
    case 'instance':
    case 'history':
    case 'indices':
      return arg ? withParams({ screen, id: arg }, params) : { screen: 'fleet' };
    case 'new-tenant':
    case 'found':
      return withParams(arg ? { screen, instanceId: arg } : { screen }, params);
    case 'tenants':
    case 'verify':
    case 'changes':
    case 'instances':
    case 'audit':
    case 'settings':
      return withParams({ screen }, params);
    default:
      return { screen: 'fleet' };
  }
}

/** The hash of a route's screen, without its view state: what focus and error recovery follow. */
export function screenHash(route: Route): string {
  switch (route.screen) {
    case 'instance':
    case 'history':
    case 'indices':
      return `#/${route.screen}/${encodeURIComponent(route.id)}`;
    case 'new-tenant':
    case 'found':
      return route.instanceId ? `#/${route.screen}/${encodeURIComponent(route.instanceId)}` : `#/${route.screen}`;
    default:
      return `#/${route.screen}`;
  }
}

/** The hash for a route, its non-empty parameters in the order given. */
export function routeHash(route: Route): string {
  const query = Object.entries(route.params ?? {})
    .filter(([name, value]) => PARAM_NAME.test(name) && typeof value === 'string' && value !== '')
    .map(([name, value]) => `${name}=${encode(value)}`)
    .join('&');
  return query ? `${screenHash(route)}?${query}` : screenHash(route);
}
