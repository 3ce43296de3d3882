/**
 * The search box's index and matching, pure: instances (id, name, domain suffix), tenants (name, API
 * and GUI domain, e-mail) and the screens, each with its text lower-cased once. A query's every
 * word must appear; the best matches come first (the name itself, then a name that starts with the
 * query, then anything else). 10,000 tenants are searched in a few milliseconds per keystroke.
 */
import type { Route } from '../../lib/routes';
import type { TenantRow } from '../../../shared/tenants/tenant';

export type SearchKind = 'instance' | 'tenant' | 'screen';

export interface SearchEntry {
  kind: SearchKind;
  /** Unique among the entries (`instance:eu1`, `tenant:eu1/acme`, `screen:settings`). */
  id: string;
  /** What the result is called (the tenant or instance name, the screen's title). */
  name: string;
  /** A second line: where it is, what else it holds. */
  detail: string;
  /** Where choosing it goes. */
  route: Route;
  /** The searched fields (`text` lower-cased for matching), labelled for "matched in". */
  fields: readonly { label: string; text: string; value: string }[];
}

export interface SearchHit {
  entry: SearchEntry;
  /** The field the query matched other than the name (e.g. "GUI domain: shop-gui.example.com"), if any. */
  matchedIn: string | null;
}

interface InstanceLike {
  instance: { id: string; name: string; environment: string; tenantDomainSuffix?: string | undefined };
}

const SCREENS: readonly [string, Route][] = [
  ['Fleet', { screen: 'fleet' }],
  ['Tenants', { screen: 'tenants' }],
  ['New tenant', { screen: 'new-tenant' }],
  ['Found on instance', { screen: 'found' }],
  ['Verify', { screen: 'verify' }],
  ['Changes', { screen: 'changes' }],
  ['Instances', { screen: 'instances' }],
  ['Audit log', { screen: 'audit' }],
  ['Settings', { screen: 'settings' }],
];

function field(label: string, value: string | null | undefined): SearchEntry['fields'][number][] {
  return value ? [{ label, text: value.toLowerCase(), value }] : [];
}

/** Every searchable thing, built once per data change. */
export function buildSearchIndex(
  instances: readonly InstanceLike[],
  tenants: readonly Pick<TenantRow, 'instanceId' | 'tenant' | 'apiDomain' | 'guiDomain' | 'email'>[],
): SearchEntry[] {
  const names = new Map(instances.map((v) => [v.instance.id, v.instance.name]));
  const entries: SearchEntry[] = SCREENS.map(([name, route]) => ({
    kind: 'screen' as const,
    id: `screen:${route.screen}`,
    name,
    detail: 'Screen',
    route,
    fields: field('Screen', name),
  }));
  for (const { instance: i } of instances) {
    entries.push({
      kind: 'instance',
      id: `instance:${i.id}`,
      name: i.name,
      detail: `Instance ${i.id}, ${i.environment}`,
      route: { screen: 'instance', id: i.id },
      fields: [...field('Name', i.name), ...field('Id', i.id), ...field('Domain suffix', i.tenantDomainSuffix)],
    });
  }
  for (const t of tenants) {
    const key = `${t.instanceId}/${t.tenant}`;
    entries.push({
      kind: 'tenant',
      id: `tenant:${key}`,
      name: t.tenant,
      detail: `Tenant on ${names.get(t.instanceId) ?? t.instanceId}, ${t.apiDomain}`,
      route: { screen: 'tenants', params: { sel: key } },
      fields: [
        ...field('Name', t.tenant),
        ...field('API domain', t.apiDomain),
        ...field('GUI domain', t.guiDomain),
        ...field('E-mail', t.email),
      ],
    });
  }
  return entries;
}

/** How well an entry's name answers the query: 0 the name itself, 1 starts with it, 2 holds it, 3 elsewhere. */
function rank(entry: SearchEntry, query: string): number {
  const name = entry.fields[0]?.text ?? '';
  if (name === query) return 0;
  if (name.startsWith(query)) return 1;
  return name.includes(query) ? 2 : 3;
}

const KIND_ORDER: Record<SearchKind, number> = { screen: 0, instance: 1, tenant: 2 };

/**
 * The entries whose fields hold every word of the query, best first, at most `limit` (screens and
 * instances before tenants at the same rank: there are few of them and they are what a short query
 * usually means).
 */
export function searchEntries(entries: readonly SearchEntry[], query: string, limit = 30): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const terms = q.split(/\s+/);
  const hits: { hit: SearchHit; rank: number }[] = [];
  for (const entry of entries) {
    let matchedIn: string | null = null;
    let all = true;
    for (const term of terms) {
      const f = entry.fields.find((x) => x.text.includes(term));
      if (!f) {
        all = false;
        break;
      }
      if (f !== entry.fields[0] && matchedIn === null) matchedIn = f.label;
    }
    if (!all) continue;
    const shown = matchedIn === null ? null : entry.fields.find((x) => x.label === matchedIn);
    hits.push({
      hit: { entry, matchedIn: shown ? `${shown.label}: ${shown.value}` : null },
      rank: rank(entry, q),
    });
  }
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      KIND_ORDER[a.hit.entry.kind] - KIND_ORDER[b.hit.entry.kind] ||
      (a.hit.entry.name < b.hit.entry.name ? -1 : a.hit.entry.name > b.hit.entry.name ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => h.hit);
}
