/**
 * `tenantctl capacity [<instance>] [--json | --format text|json|prometheus]`: how full each instance's
 * Elasticsearch is and how many more tenants fit. All instances are asked at once; each prints as
 * soon as it answers. `--place [--version V] [--count N]` ranks where the next tenant(s) go.
 */
import type { Command } from 'commander';
import type { CapacityOutcome, CapacitySnapshot, NodeCapacity } from '../../../shared/capacity/capacity';
import {
  forecastSentence,
  PLAIN_FORMAT,
  snapshotForecast,
  type CapacityForecast,
} from '../../../shared/capacity/capacity-forecast';
import { basisText } from '../../../shared/capacity/capacity-layout';
import { formatByteSize } from '../../../shared/capacity/capacity-model';
import { capacityMetrics } from '../../../shared/capacity/capacity-metrics';
import { ConsoleError } from '../../../shared/errors/errors';
import {
  ENVIRONMENTS,
  TRACARDI_VERSIONS,
  type Environment,
  type TracardiVersion,
} from '../../../shared/instances/instance';
import { MAX_PLACEMENT_COUNT } from '../../../shared/capacity/placement-shapes';
import type { CliContext } from '../context';
import { printJson, printLines, warn } from '../output';
import { formatPlacement } from './capacity-place';

/** Output formats of `capacity`. */
const FORMATS = ['text', 'json', 'prometheus'] as const;
type Format = (typeof FORMATS)[number];

interface CapacityOptions {
  json?: boolean;
  format?: string;
  place?: boolean;
  version?: string;
  count?: string;
  env?: string;
}

interface Plan {
  format: Format;
  place: { version?: TracardiVersion; count: number; environment?: Environment } | null;
}

const bad = (message: string) => new ConsoleError('validation', message);
const quoted = (v: string) => JSON.stringify(v.slice(0, 40));

/** The options checked together; every bad combination gets its own one-line message. */
export function planCapacity(instanceId: string | undefined, o: CapacityOptions): Plan {
  if (o.format !== undefined && !(FORMATS as readonly string[]).includes(o.format))
    throw bad(`--format: ${quoted(o.format)} is not a format: use text, json or prometheus.`);
  if (o.json && o.format !== undefined && o.format !== 'json')
    throw bad(`--json and --format ${o.format} disagree: give one of them.`);
  const format: Format = o.json ? 'json' : ((o.format as Format | undefined) ?? 'text');
  if (!o.place) {
    if (o.version !== undefined) throw bad('--version: only with --place (it picks the instances to rank).');
    if (o.count !== undefined) throw bad('--count: only with --place (it is the number of tenants to place).');
    if (o.env !== undefined) throw bad('--env: only with --place (it is the environment the tenant is for).');
    return { format, place: null };
  }
  if (instanceId !== undefined)
    throw bad(`--place ranks every instance of a version: drop the instance argument ${quoted(instanceId)}.`);
  if (format === 'prometheus')
    throw bad('--format prometheus prints capacity figures, not a placement: use --format text or json with --place.');
  if (o.version !== undefined && !(TRACARDI_VERSIONS as readonly string[]).includes(o.version))
    throw bad(
      `--version: ${quoted(o.version)} is not a Tracardi version profile: use ${TRACARDI_VERSIONS.join(' or ')}.`,
    );
  if (o.env !== undefined && !(ENVIRONMENTS as readonly string[]).includes(o.env))
    throw bad(`--env: ${quoted(o.env)} is not an environment: use ${ENVIRONMENTS.join(', ')}.`);
  let count = 1;
  if (o.count !== undefined) {
    const n = /^\d+$/.test(o.count.trim()) ? Number(o.count.trim()) : Number.NaN;
    if (!(n >= 1 && n <= MAX_PLACEMENT_COUNT))
      throw bad(`--count: must be a whole number from 1 to ${MAX_PLACEMENT_COUNT}, got ${quoted(o.count)}.`);
    count = n;
  }
  return {
    format,
    place: {
      ...(o.version !== undefined ? { version: o.version as TracardiVersion } : {}),
      ...(o.env !== undefined ? { environment: o.env as Environment } : {}),
      count,
    },
  };
}

/** Register `capacity`. */
export function registerCapacityCommands(program: Command, ctx: CliContext): void {
  program
    .command('capacity')
    .description('capacity of one instance or of all (in parallel): shards, disk, heap, tenants, room for more')
    .argument('[instance]', 'instance id (default: every instance)')
    .option(
      '--json',
      'print the snapshot outcome(s) as JSON ({ok, snapshot} or {ok:false, error}); same as --format json',
    )
    .option(
      '--format <format>',
      'text (default), json, or prometheus (text exposition 0.0.4, for the textfile collector)',
    )
    .option(
      '--place',
      'rank the instances of a version for the next tenant(s): room after placing, refusals with reasons',
    )
    .option(
      '--version <profile>',
      `with --place: only instances of this Tracardi version (${TRACARDI_VERSIONS.join(', ')})`,
    )
    .option('--count <n>', `with --place: tenants to place, spread one by one (1-${MAX_PLACEMENT_COUNT}, default 1)`)
    .option(
      '--env <environment>',
      `with --place: the environment the tenant is for (${ENVIRONMENTS.join(', ')}; default production); only its instances are ranked`,
    )
    .action(async (instanceId: string | undefined, opts: CapacityOptions) => {
      const plan = planCapacity(instanceId, opts);
      const core = await ctx.core();
      if (plan.place) {
        try {
          const reports = await core.placement.place(plan.place);
          if (plan.format === 'json') printJson(reports, ctx.streams);
          else if (reports.length === 0)
            printLines(['No instances configured; add one with `tenantctl instances add`.'], ctx.streams);
          else printLines(formatPlacement(reports), ctx.streams);
          // Scripts learn that not every tenant found room (refusals alone are part of the answer).
          if (reports.length === 0 || reports.some((r) => r.unplaced > 0)) process.exitCode = 1;
        } finally {
          await core.capacity.close();
        }
        return;
      }
      const summaries = await core.instances.list();
      const ids = instanceId !== undefined ? [instanceId] : summaries.map((s) => s.instance.id);
      if (ids.length === 0 && plan.format !== 'prometheus') {
        if (plan.format === 'json') printJson([], ctx.streams);
        else printLines(['No instances configured; add one with `tenantctl instances add`.'], ctx.streams);
        return;
      }
      for (const s of summaries) {
        if (ids.includes(s.instance.id) && s.tlsVerifyOff) {
          warn(
            `Instance "${s.instance.name}": TLS certificate verification is OFF for its Elasticsearch.`,
            ctx.streams,
          );
        }
      }
      const names = new Map(summaries.map((s) => [s.instance.id, s.instance.name]));
      // The forecasts read the history these snapshots are recorded in.
      const { recordedForecasts } = await import('../../services/history');
      let printed = Promise.resolve();
      const printOne = (o: CapacityOutcome) => {
        printed = printed.then(async () => {
          const forecast = (await recordedForecasts([o], core.capacity, core.history)).get(
            o.ok ? o.snapshot.instanceId : o.instanceId,
          );
          printLines(formatOutcome(o, names, forecast), ctx.streams);
        });
      };
      try {
        const outcomes = await core.capacity.snapshotAll(ids, {
          // Human output streams: a fast instance is shown without waiting for a slow one.
          onResult: plan.format === 'text' ? printOne : undefined,
        });
        await printed;
        if (plan.format === 'json') printJson(instanceId !== undefined ? outcomes[0] : outcomes, ctx.streams);
        if (plan.format === 'prometheus') {
          const labels = new Map(
            summaries.map((s) => [s.instance.id, { name: s.instance.name, version: s.instance.tracardiVersion }]),
          );
          // Written as one piece (no terminal escaping: label values are escaped by the format itself).
          const forecasts = await recordedForecasts(outcomes, core.capacity, core.history);
          ctx.streams.stdout.write(capacityMetrics(outcomes, labels, Date.now(), forecasts));
          // A failed instance is `tracardi_console_up 0` in the file: the run itself succeeded.
          return;
        }
        // The report is printed; the exit code still tells scripts that an instance failed.
        if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
      } finally {
        // Idle keep-alive sockets would hold the process open until they time out.
        await core.capacity.close();
      }
    });
}

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '-');

/** Lines for one instance: a header, then indented facts; an error is a single line. */
export function formatOutcome(
  outcome: CapacityOutcome,
  names: ReadonlyMap<string, string> = new Map(),
  forecast?: CapacityForecast,
): string[] {
  if (!outcome.ok) {
    const id = outcome.instanceId;
    const label = names.has(id) ? `${names.get(id)} (${id})` : id;
    return [`${label}  FAILED  ${outcome.error.code}: ${outcome.error.message}`];
  }
  return formatSnapshot(outcome.snapshot, names.get(outcome.snapshot.instanceId), forecast);
}

/**
 * The instance's forecast, one line per limit: figure, method and inputs in the words every screen
 * uses (shared/capacity/forecast-text.ts); the snapshot's own when no history could be read.
 */
export function forecastLines(s: CapacitySnapshot, forecast: CapacityForecast = snapshotForecast(s)): string[] {
  return [
    `  forecast ${forecastSentence('shards', forecast.shards, PLAIN_FORMAT)}`,
    `           ${forecastSentence('disk', forecast.disk, PLAIN_FORMAT)}`,
  ];
}

export function formatSnapshot(s: CapacitySnapshot, name?: string, forecast?: CapacityForecast): string[] {
  const label = name !== undefined ? `${name} (${s.instanceId})` : s.instanceId;
  const r = s.room;
  const lines = [
    `${label}  ${s.cluster.status}  Elasticsearch ${s.cluster.version}  cluster ${s.cluster.name}`,
    `  shards   ${s.shards.open}/${s.shards.limit} open (${s.shards.limitPerNode} per node × ${s.cluster.dataNodes} data node${s.cluster.dataNodes === 1 ? '' : 's'})`,
  ];
  const wm = s.watermarks;
  const thresholds = wm.thresholdEnabled
    ? `watermarks low ${wm.low} · high ${wm.high} · flood ${wm.floodStage}`
    : 'disk threshold OFF';
  lines.push(`  disk     ${thresholds}`);
  for (const n of s.nodes.filter((x) => x.isData)) {
    lines.push(
      `           ${n.name}  ${formatByteSize(n.diskUsedBytes)} of ${formatByteSize(n.diskTotalBytes)} used (${pct(n.diskUsedBytes, n.diskTotalBytes)})${wm.thresholdEnabled ? `  ${diskState(n)}` : ''}`,
    );
  }
  for (const n of s.nodes) {
    lines.push(
      `  heap     ${n.name}  ${formatByteSize(n.heapUsedBytes)} of ${formatByteSize(n.heapMaxBytes)} (${pct(n.heapUsedBytes, n.heapMaxBytes)})`,
    );
  }
  const other = s.otherIndices > 0 ? `, plus ${s.otherIndices} other ind${s.otherIndices === 1 ? 'ex' : 'ices'}` : '';
  const team = s.console?.indices
    ? `; the team registry: ${s.console.indices} indices, ${s.console.shards} shards, ${s.console.docs} documents, ${formatByteSize(s.console.storeBytes)}`
    : '';
  lines.push(`  tenants  ${s.tenants.length}${other}${team}`);
  const byDisk =
    r.tenantsByDisk === null
      ? 'disk unknown: no tenant size yet'
      : `by disk ${r.tenantsByDisk} at ${formatByteSize(r.bytesPerTenant ?? 0)} a tenant, ${basisText(s.basis.bytesPerTenant)}`;
  lines.push(
    `  room     room for ${r.room} more tenant${r.room === 1 ? '' : 's'} (bound by ${r.binding}; by shards ${r.tenantsByShards}, ${byDisk}; ${r.shardsPerNewTenant} shards each, ${basisText(s.basis.shardsPerNewTenant)})`,
  );
  lines.push(...layoutLines(s));
  const g = s.growth;
  lines.push(
    `  growth   ${g.newPrimariesPerTenantPerMonth.toFixed(1)} new primaries a month per tenant, ${g.newShardsPerMonth.toFixed(1)} shards a month in all by the partition layout (${basisText(s.basis.growth)})`,
  );
  lines.push(...forecastLines(s, forecast));
  lines.push(`  sizes    ${sizesText(s)}`);
  lines.push(
    `  cost     ${s.cost.requests} requests, ${formatByteSize(s.cost.bytesReceived)}, ${s.cost.durationMs} ms`,
  );
  return lines;
}

/** The layout the figures stand on: shard settings, replicas, and each partitioned type's period. */
function layoutLines(s: CapacitySnapshot): string[] {
  const l = s.layout;
  const fig = (name: string, f: { value: number; basis: string }) => `${name} ${f.value} (${f.basis})`;
  const periods = l.partitions.map(
    (p) => `${p.type} ${p.period}${p.basis === 'measured' ? (p.mixed ? ' (measured, mixed)' : '') : ' (assumed)'}`,
  );
  return [
    `  layout   ${l.tenants} ${l.version} tenant${l.tenants === 1 ? '' : 's'} read: ${fig('ELASTIC_INDEX_SHARDS', l.indexShards)}, ${fig('ELASTIC_CONF_INDEX_SHARDS', l.confShards)}, ${fig('replicas', l.replicas)}`,
    `  periods  ${periods.join(', ')} (measured from index names unless marked)`,
  ];
}

/** How old the per-index docs and sizes (tenant docs, bytes, bytes per tenant) are, and why. */
export function sizesText(s: CapacitySnapshot): string {
  const why: Record<CapacitySnapshot['sizes']['reason'], string> = {
    first: 'read with this snapshot',
    expired: 'read again with this snapshot (older than the refresh interval)',
    'indices-changed': 'read again with this snapshot (indices came or went)',
    cached: `from ${Math.round(s.sizes.ageMs / 1000)} s ago (read again every few minutes and when indices come or go)`,
  };
  return `per-index docs and store sizes ${why[s.sizes.reason]}`;
}

function diskState(n: NodeCapacity): string {
  if (n.diskUsedBytes >= n.watermarks.floodUsedBytes) return 'OVER FLOOD STAGE (indices read-only)';
  if (n.diskUsedBytes >= n.watermarks.highUsedBytes) return 'OVER HIGH (shards move away)';
  if (n.diskUsedBytes >= n.watermarks.lowUsedBytes) return 'OVER LOW (no new shards)';
  return `${formatByteSize(n.watermarks.lowUsedBytes - n.diskUsedBytes)} below low`;
}
