/**
 * Capacity snapshots as Prometheus metrics (pure), for `tenantctl capacity --format prometheus` and
 * node_exporter's textfile collector. Every series carries `instance` (the console's instance id);
 * per-node series add `node`. An instance whose snapshot failed has `tracardi_console_up 0` and its
 * info series, nothing else: absent figures, not stale ones.
 */
import type { CapacityOutcome, CapacitySnapshot } from './capacity';
import { snapshotForecast, wholeMonths, type CapacityForecast } from './capacity-forecast';
import { renderExposition, type MetricFamily, type Sample } from './prometheus';

/** What the metrics say about an instance besides its snapshot (from the console's settings). */
export interface InstanceLabels {
  name: string;
  version: string;
}

const P = 'tracardi_console_';

type Labels = ReadonlyArray<readonly [string, string]>;

function family(name: string, help: string, samples: Sample[] = []): MetricFamily {
  return { name: `${P}${name}`, help, type: 'gauge', samples };
}

/** The exposition text of a capacity run, taken at `runAt` (ms since the epoch). */
export function capacityMetrics(
  outcomes: readonly CapacityOutcome[],
  instances: ReadonlyMap<string, InstanceLabels>,
  runAt: number,
  /** Each reached instance's forecast (History screen, placement, watch), when the run has them. */
  forecasts: ReadonlyMap<string, CapacityForecast> = new Map(),
): string {
  const f = {
    up: family('up', 'Whether the capacity snapshot of the instance succeeded (1) or failed (0).'),
    info: family('instance_info', 'The instance as configured in the console (always 1): name and Tracardi version.'),
    snapshotTime: family('snapshot_timestamp_seconds', 'When the capacity snapshot was taken (Unix time).'),
    duration: family('snapshot_duration_seconds', 'How long the capacity snapshot took.'),
    health: family('es_cluster_health', 'Elasticsearch cluster health: 1 for the current status, 0 for the others.'),
    dataNodes: family('es_data_nodes', 'Non-frozen data nodes (they count toward the shard limit).'),
    shardsOpen: family('es_shards_open', 'Open shards (primaries and replicas) as the shard limit counts them.'),
    shardsLimit: family('es_shards_limit', 'Shard limit: cluster.max_shards_per_node times the data nodes.'),
    diskUsed: family('es_disk_used_bytes', 'Disk used on the data node (total minus available).'),
    diskTotal: family('es_disk_total_bytes', 'Disk size of the data node.'),
    watermark: family(
      'es_disk_watermark_bytes',
      'Used bytes at which a disk watermark trips on the data node (low, high, flood_stage).',
    ),
    threshold: family('es_disk_threshold_enabled', 'cluster.routing.allocation.disk.threshold_enabled (1 or 0).'),
    heapUsed: family('es_heap_used_bytes', 'JVM heap used on the node.'),
    heapMax: family('es_heap_max_bytes', 'JVM heap maximum on the node.'),
    indices: family('es_indices', 'Indices in the cluster (tenant indices and others).'),
    tenants: family('tenants', 'Tenants found in the cluster by their index names.'),
    fit: family('tenants_fit', 'More tenants that fit now: the smaller of the shard and the disk figure.'),
    fitBy: family(
      'tenants_fit_by_limit',
      'More tenants that fit by one limit alone (limit="shards" or "disk"; disk absent while a tenant size is unknown).',
    ),
    shardsPerTenant: family('shards_per_new_tenant', 'Shards (primaries and replicas) one new tenant opens.'),
    growth: family('shards_growth_per_month', "New shards a month from new time partitions, at today's tenants."),
    months: family(
      'months_to_shard_limit',
      'Whole months to the shard limit: the same figure as forecast_months_to_limit{limit="shards"}, kept for existing dashboards (+Inf when nothing grows).',
    ),
    forecastMonths: family(
      'forecast_months_to_limit',
      'Whole months until the limit (limit="shards" or "disk_low_watermark") at the forecast growth, the figure every screen of the console shows; source says the method (cluster, history, blended, model); +Inf when nothing grows.',
    ),
    forecastGrowth: family(
      'forecast_growth_per_month',
      'The growth the forecast counts with: shards (limit="shards") or bytes (limit="disk_low_watermark") a month, by the method in source.',
    ),
    forecastHeadroom: family(
      'forecast_headroom',
      'Room the forecast counts down: shards under the shard limit, or bytes before the first data node reaches its low watermark.',
    ),
    forecastHistoryDays: family(
      'forecast_history_days',
      'Days of local history the forecast reads (its weight in the blend grows to 1 at 90 days).',
    ),
    lastRun: family('capacity_last_run_timestamp_seconds', 'When tenantctl wrote these figures (Unix time).'),
  };

  for (const o of outcomes) {
    const id = o.ok ? o.snapshot.instanceId : o.instanceId;
    const inst: Labels = [['instance', id]];
    const known = instances.get(id);
    f.info.samples.push({
      labels: [...inst, ['name', known?.name ?? id], ['version', known?.version ?? 'unknown']],
      value: 1,
    });
    f.up.samples.push({ labels: inst, value: o.ok ? 1 : 0 });
    if (o.ok) addSnapshot(f, inst, o.snapshot);
    // The instance's forecast: the history's, else the snapshot's own (the same figure tenantctl prints).
    const forecast = o.ok ? (forecasts.get(id) ?? snapshotForecast(o.snapshot)) : undefined;
    if (forecast === undefined) continue;
    for (const [limit, figure] of [
      ['shards', forecast.shards],
      ['disk_low_watermark', forecast.disk],
    ] as const) {
      if (figure.source === 'none') continue; // nothing measured: absent, not a guess
      const labels: Labels = [...inst, ['limit', limit]];
      const months = wholeMonths(figure) ?? Number.POSITIVE_INFINITY;
      f.forecastMonths.samples.push({ labels: [...labels, ['source', figure.source]], value: months });
      f.forecastGrowth.samples.push({ labels: [...labels, ['source', figure.source]], value: figure.perMonth ?? 0 });
      f.forecastHeadroom.samples.push({ labels, value: figure.headroom });
      if (limit === 'shards') f.months.samples.push({ labels: inst, value: months });
    }
    f.forecastHistoryDays.samples.push({
      labels: inst,
      value: Math.round(forecast.shards.inputs.historyDays * 10) / 10,
    });
  }
  f.lastRun.samples.push({ labels: [], value: Math.floor(runAt / 1000) });
  return renderExposition(Object.values(f));
}

function addSnapshot(f: Record<string, MetricFamily>, inst: Labels, s: CapacitySnapshot): void {
  const add = (key: string, value: number, extra: Labels = []) =>
    f[key]!.samples.push({ labels: [...inst, ...extra], value });
  add('snapshotTime', Date.parse(s.takenAt) / 1000);
  add('duration', s.cost.durationMs / 1000);
  for (const status of ['green', 'yellow', 'red'] as const)
    add('health', s.cluster.status === status ? 1 : 0, [['status', status]]);
  add('dataNodes', s.cluster.dataNodes);
  add('shardsOpen', s.shards.open);
  add('shardsLimit', s.shards.limit);
  add('threshold', s.watermarks.thresholdEnabled ? 1 : 0);
  // Node names are not unique by rule: a repeated one gets its id, so no two series collide.
  const named = new Map<string, number>();
  for (const n of s.nodes) named.set(n.name, (named.get(n.name) ?? 0) + 1);
  for (const n of s.nodes) {
    const node: Labels = [['node', (named.get(n.name) ?? 0) > 1 ? `${n.name} (${n.id})` : n.name]];
    add('heapUsed', n.heapUsedBytes, node);
    add('heapMax', n.heapMaxBytes, node);
    if (!n.isData) continue;
    add('diskUsed', n.diskUsedBytes, node);
    add('diskTotal', n.diskTotalBytes, node);
    add('watermark', n.watermarks.lowUsedBytes, [...node, ['watermark', 'low']]);
    add('watermark', n.watermarks.highUsedBytes, [...node, ['watermark', 'high']]);
    add('watermark', n.watermarks.floodUsedBytes, [...node, ['watermark', 'flood_stage']]);
  }
  add('indices', s.tenants.reduce((sum, t) => sum + t.indices, 0) + s.otherIndices + (s.console?.indices ?? 0));
  add('tenants', s.tenants.length);
  add('fit', s.room.room);
  add('fitBy', s.room.tenantsByShards, [['limit', 'shards']]);
  if (s.room.tenantsByDisk !== null) add('fitBy', s.room.tenantsByDisk, [['limit', 'disk']]);
  add('shardsPerTenant', s.room.shardsPerNewTenant);
  add('growth', s.growth.newShardsPerMonth);
}
