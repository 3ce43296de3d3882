/**
 * The four requests of a discovery, whatever the number of tenants: every name with `.tracardi-`
 * (index, alias, template) and, per index, what the evidence needs. Paths are written out (not the
 * typed API) so docs/tenant-lifecycle.md can quote them; filter_path trims each reply to its fields.
 */

/** Every Tracardi index, alias and template name has `.tracardi-` in it, and a look-alike does too. */
export const TRACARDI_NAMES = '*.tracardi-*';

export const DISCOVERY_REQUESTS = {
  // Per index: creation date and primaries (closed and hidden ones included).
  settings: {
    path: `/${TRACARDI_NAMES}/_settings/index.creation_date,index.number_of_shards`,
    querystring: {
      expand_wildcards: 'all',
      filter_path: '*.settings.index.creation_date,*.settings.index.number_of_shards',
    },
  },
  // Per index: its store size, replicas included (what it takes on disk).
  stats: {
    path: `/${TRACARDI_NAMES}/_stats/store`,
    querystring: {
      level: 'indices',
      expand_wildcards: 'all',
      forbid_closed_indices: 'false',
      filter_path: 'indices.*.total.store.size_in_bytes',
    },
  },
  aliases: {
    path: `/_cat/aliases/${TRACARDI_NAMES}`,
    querystring: { h: 'alias', format: 'json', expand_wildcards: 'all' },
  },
  // A pattern that matches no template answers 404: that is "none", not a failure.
  templates: {
    path: `/_index_template/${TRACARDI_NAMES}`,
    querystring: { filter_path: 'index_templates.name' },
  },
} as const;

/** One index as discovery sees it. */
export interface IndexFacts {
  name: string;
  primaries: number;
  sizeBytes: number;
  /** Creation time (ms since epoch), null when not reported. */
  created: number | null;
}

/** Join the settings and stats replies into one row per index (settings decide which indices exist). */
export function readIndexFacts(settings: unknown, stats: unknown): IndexFacts[] {
  const bySettings = (settings ?? {}) as Record<
    string,
    { settings?: { index?: { creation_date?: string | number; number_of_shards?: string | number } } }
  >;
  const sizes = ((stats ?? {}) as { indices?: Record<string, { total?: { store?: { size_in_bytes?: number } } }> })
    .indices;
  return Object.entries(bySettings).map(([name, entry]) => {
    const created = Number(entry?.settings?.index?.creation_date);
    return {
      name,
      primaries: Number(entry?.settings?.index?.number_of_shards) || 0,
      sizeBytes: Number(sizes?.[name]?.total?.store?.size_in_bytes) || 0,
      created: Number.isFinite(created) && created > 0 ? created : null,
    };
  });
}

/** Alias names of the `_cat/aliases` reply (one row per alias and index). */
export function readAliasNames(reply: unknown): string[] {
  const rows = Array.isArray(reply) ? (reply as { alias?: unknown }[]) : [];
  return [...new Set(rows.flatMap((r) => (typeof r?.alias === 'string' ? [r.alias] : [])))];
}

/** Template names of the `_index_template` reply. */
export function readTemplateNames(reply: unknown): string[] {
  const list = (reply as { index_templates?: { name?: unknown }[] } | null)?.index_templates ?? [];
  return list.flatMap((t) => (typeof t?.name === 'string' ? [t.name] : []));
}
