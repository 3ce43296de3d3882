/**
 * The six requests of a snapshot. Paths are written out (not the typed API) so docs/capacity.md can
 * quote them as is.
 */
const SETTINGS_FILTER = [
  '*.cluster.max_shards_per_node',
  '*.cluster.routing.allocation.disk.threshold_enabled',
  '*.cluster.routing.allocation.disk.watermark',
].join(',');

export const SNAPSHOT_REQUESTS = {
  // Status, and per index its primaries and replicas, computed from the routing table by the master:
  // every index, open or closed, hidden or system, assigned or not.
  health: {
    path: '/_cluster/health',
    querystring: {
      level: 'indices',
      filter_path: 'cluster_name,status,indices.*.number_of_shards,indices.*.number_of_replicas',
    },
  },
  // cluster_uuid tells two instances pointing at one cluster apart; the `version` metric is the
  // cheapest state section that carries it (GET / would too, but some distributions lack it).
  // This and nodesInfo are cluster facts: they change only when a node restarts or joins, so they
  // are read with the first snapshot, again after DEFAULTS_TTL_MS, and at once when nodes stats
  // shows a node that started since (CapacityService), not on every refresh.
  state: { path: '/_cluster/state/version', querystring: { filter_path: 'cluster_name,cluster_uuid' } },
  // Every node's version (the lowest decides what the cluster supports); nodes info has it on 7.x too.
  nodesInfo: { path: '/_nodes/_all/_none', querystring: { filter_path: 'nodes.*.version' } },
  nodesStats: {
    path: '/_nodes/stats/fs,jvm',
    querystring: {
      filter_path: [
        'nodes.*.name',
        'nodes.*.roles',
        'nodes.*.fs.total.total_in_bytes',
        'nodes.*.fs.total.available_in_bytes',
        'nodes.*.jvm.mem.heap_used_in_bytes',
        'nodes.*.jvm.mem.heap_max_in_bytes',
        // When each node started (its clock minus its uptime): a restart or a new node may bring
        // another version, so the cluster facts below are read again (CapacityService).
        'nodes.*.timestamp',
        'nodes.*.jvm.uptime_in_millis',
      ].join(','),
    },
  },
  // With include_defaults the node renders every default (some 540 settings on 8.19) before filtering: the
  // costliest request of the set. The defaults section changes only with elasticsearch.yml (a node
  // restart), so it is fetched once per client and refreshed after DEFAULTS_TTL_MS; the explicit
  // settings are read every time (see CapacityService).
  settingsWithDefaults: {
    path: '/_cluster/settings',
    querystring: { include_defaults: 'true', filter_path: SETTINGS_FILTER },
  },
  settings: { path: '/_cluster/settings', querystring: { filter_path: SETTINGS_FILTER } },
  // The one listing of indices: docs and store size per index, and open/closed. Cheaper than
  // _cat/indices, which collects every statistic of every shard before picking its columns, but
  // still per-shard work: on its own it costs about 4 plain health calls at 3,000 indices. So it is
  // not on every snapshot: read again after SIZES_TTL_MS, or when health shows indices come or go.
  indices: {
    path: '/_stats/docs,store',
    querystring: {
      level: 'indices',
      expand_wildcards: 'all',
      forbid_closed_indices: 'false',
      filter_path: 'indices.*.status,indices.*.primaries.docs.count,indices.*.total.store.size_in_bytes',
    },
  },
} as const;

/**
 * When each tenant index was created (`index.creation_date`, immutable): index metadata the master
 * holds, no per-shard work. Read only to measure growth (docs/capacity.md, "Growth from the
 * cluster"), only when the index listing is read, and only for indices not seen before: all of a
 * cluster's tenant indices (the wildcard) the first time, then the new names. Never on a steady
 * refresh.
 */
export const CREATION_DATES_FILTER = '*.settings.index.creation_date';
/** Tenant index names always match this (`[prod-|static-]{db}.{tenant}.tracardi-…`). */
export const TENANT_INDEX_PATTERN = '*.tracardi-*';
/** Past this many characters of names, the wildcard is asked instead (request lines have a limit). */
const MAX_NAMES_CHARS = 3_000;

/** The creation-date request for `names`, or for every tenant index when `names` is null or too long. */
export function creationDatesRequest(names: readonly string[] | null): {
  path: string;
  querystring: Record<string, string>;
} {
  const list = names === null ? null : names.join(',');
  const target = list === null || list.length > MAX_NAMES_CHARS ? TENANT_INDEX_PATTERN : list;
  return {
    path: `/${target}/_settings/index.creation_date`,
    // Closed indices too; an index deleted since health listed it is left out, not an error.
    querystring: { expand_wildcards: 'open,closed', ignore_unavailable: 'true', filter_path: CREATION_DATES_FILTER },
  };
}

/** How long the defaults section of the cluster settings is reused. */
export const DEFAULTS_TTL_MS = 10 * 60_000;

/** How long per-index docs and store sizes are reused while the set of indices stays the same. */
export const SIZES_TTL_MS = 5 * 60_000;
