/**
 * Where the next tenant goes (pure): rank the instances of one Tracardi version and one environment
 * (production unless another is named: a sandbox is never compared with production as an equal) by
 * the room each has once the tenant is placed, refuse those that must not take one (no snapshot, red,
 * over a disk watermark, full), list the other environments' instances apart, and spread N tenants
 * one by one with the same ranking, re-ranked after each virtual placement. Growth comes in as
 * figures per instance, so a better forecast (measured history) can replace the layout's without
 * touching the ranking.
 */
import type { CapacityOutcome, CapacitySnapshot } from './capacity';
import { snapshotForecast, type CapacityForecast } from './capacity-forecast';
import { admitOneMore, formatByteSize } from './capacity-model';
import { countOf, groupDigits } from '../text/counts';
import { ConsoleError } from '../errors/errors';
import { ENVIRONMENTS, TRACARDI_VERSIONS, type Environment, type TracardiVersion } from '../instances/instance';
import {
  DEFAULT_PLACEMENT_ENVIRONMENT,
  MAX_PLACEMENT_COUNT,
  SHORT_RUNWAY_MONTHS,
  type PlacementFigures,
  type PlacementRefusal,
  type PlacementReport,
} from './placement-shapes';

export * from './placement-shapes';

/** One instance that may take tenants: its configured name, version and environment, and its latest snapshot outcome. */
export interface PlacementCandidate {
  instanceId: string;
  name: string;
  version: TracardiVersion;
  environment: Environment;
  outcome: CapacityOutcome;
}

/** How fast an instance grows, and how much faster with each tenant placed on it. */
export interface GrowthFigures {
  /** Shards (primaries and replicas) the instance opens a month now, with the tenants it has. */
  shardsPerMonth: number;
  /** Shards each tenant placed on it adds a month. */
  shardsPerNewTenantPerMonth: number;
  /** Bytes the instance adds a month now, when a forecast knows it (null: disk growth is not forecast). */
  bytesPerMonth: number | null;
  /** Bytes each placed tenant adds a month (null: not forecast). */
  bytesPerNewTenantPerMonth: number | null;
  /** Where the figures come from, shown in the line of each instance. */
  source: string;
}

/** Growth figures for an instance's snapshot. */
export type GrowthSource = (snapshot: CapacitySnapshot) => GrowthFigures;

/**
 * The layout model: the snapshot's partition layout (periods, shard settings, replicas) times its
 * tenants of the instance's version; no disk growth.
 */
export const layoutGrowth: GrowthSource = (s) => {
  const perTenant = s.growth.newPrimariesPerTenantPerMonth * (1 + s.layout.replicas.value);
  return {
    shardsPerMonth: perTenant * s.layout.tenants,
    shardsPerNewTenantPerMonth: perTenant,
    bytesPerMonth: null,
    bytesPerNewTenantPerMonth: null,
    source: 'partition layout',
  };
};

/** A forecast's source in the words of a placement line. */
function forecastWords(f: CapacityForecast['shards']): string {
  if (f.source === 'cluster') return 'measured from the cluster';
  if (f.source === 'history') return 'local history';
  const h = Math.round(100 * f.historyWeight);
  return `measured: ${h}% local history, ${100 - h}% the cluster`;
}

/**
 * Growth measured for each instance (its capacity forecast: the cluster's own growth blended with
 * local history, shared/capacity/capacity-forecast.ts): the instance grows by the forecast's shards (and
 * bytes) a month; a placed tenant adds what an average tenant of its version there does (the
 * forecast ÷ those tenants, or the layout's figure when it has none yet). Instances with no measured
 * growth (no forecast, or only the model's) keep `fallback`, and the line says so.
 */
export function measuredGrowth(
  forecasts: ReadonlyMap<string, CapacityForecast>,
  fallback: GrowthSource = layoutGrowth,
): GrowthSource {
  return (s) => {
    const model = fallback(s);
    const f = forecasts.get(s.instanceId);
    const measured = (x: CapacityForecast['shards'] | undefined) =>
      x !== undefined &&
      x.perMonth !== null &&
      (x.source === 'cluster' || x.source === 'history' || x.source === 'blended');
    if (f === undefined || !measured(f.shards)) return { ...model, source: `${model.source} (nothing measured yet)` };
    // A shrinking trend (partitions deleted) does not make room grow: not growing.
    const shards = Math.max(0, f.shards.perMonth!);
    const bytes = measured(f.disk) ? Math.max(0, f.disk.perMonth!) : null;
    const tenants = s.layout.tenants;
    return {
      shardsPerMonth: shards,
      shardsPerNewTenantPerMonth: tenants > 0 ? shards / tenants : model.shardsPerNewTenantPerMonth,
      bytesPerMonth: bytes,
      bytesPerNewTenantPerMonth: bytes === null ? null : tenants > 0 ? bytes / tenants : null,
      source: forecastWords(f.shards),
    };
  };
}

export interface PlacementOptions {
  /** Tenants to place (default 1). */
  count?: number;
  /** Growth per instance (default layoutGrowth). */
  growth?: GrowthSource;
  /** Each instance's capacity forecast (HistoryService); one without gets snapshotForecast's. */
  forecasts?: ReadonlyMap<string, CapacityForecast>;
  /** The environment the tenant is for (default DEFAULT_PLACEMENT_ENVIRONMENT). */
  environment?: Environment;
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** Why an instance takes no tenant, or null when it may take one. */
export function refusalOf(c: PlacementCandidate): PlacementRefusal | null {
  const base = { instanceId: c.instanceId, name: c.name, environment: c.environment };
  if (!c.outcome.ok) {
    const e = c.outcome.error;
    return { ...base, kind: 'unreachable', reason: `no capacity snapshot: ${e.code}: ${e.message}` };
  }
  const s = c.outcome.snapshot;
  if (s.cluster.status === 'red') {
    return { ...base, kind: 'red', reason: 'cluster health is red: some primary shards are unassigned' };
  }
  if (s.watermarks.thresholdEnabled) {
    for (const n of s.nodes.filter((x) => x.isData)) {
      const w = n.watermarks;
      const crossed =
        n.diskUsedBytes >= w.floodUsedBytes
          ? ['flood-stage', w.floodUsedBytes]
          : n.diskUsedBytes >= w.highUsedBytes
            ? ['high', w.highUsedBytes]
            : n.diskUsedBytes >= w.lowUsedBytes
              ? ['low', w.lowUsedBytes]
              : null;
      if (crossed) {
        const [which, at] = crossed as [string, number];
        return {
          ...base,
          kind: 'watermark',
          reason:
            `data node ${n.name} is over the ${which} disk watermark: ${pct(n.diskUsedBytes, n.diskTotalBytes)} used, ` +
            `the watermark is at ${n.diskTotalBytes > 0 ? pct(at, n.diskTotalBytes) : formatByteSize(at)}`,
        };
      }
    }
  }
  const admission = admitOneMore(s.room);
  if (!admission.ok) return { ...base, kind: 'full', reason: admission.message.replace(/^No room/, 'no room') };
  return null;
}

/** An instance that may take tenants, with what placement needs from its snapshot. */
interface Accepted {
  candidate: PlacementCandidate;
  snapshot: CapacitySnapshot;
  growth: GrowthFigures;
  forecast: CapacityForecast;
}

/** The figures of an instance once `placed` tenants are on it (no `why` yet). */
function figuresAfter(a: Accepted, placed: number): Omit<PlacementFigures, 'why'> {
  const { room, nodes } = a.snapshot;
  const spt = room.shardsPerNewTenant;
  const shardHeadroomAfter = room.shardHeadroom - placed * spt;
  const byShards = Math.max(0, Math.floor(shardHeadroomAfter / spt));
  const bpt = room.tenantsByDisk === null ? null : room.bytesPerTenant;
  const diskHeadroomAfterBytes = bpt === null ? null : room.diskHeadroomBytes - placed * bpt;
  const byDisk =
    bpt === null || diskHeadroomAfterBytes === null ? null : Math.max(0, Math.floor(diskHeadroomAfterBytes / bpt));
  const binding = byDisk !== null && byDisk < byShards ? 'disk' : 'shards';
  const data = nodes.filter((n) => n.isData);
  const used = data.reduce((sum, n) => sum + n.diskUsedBytes, 0);
  const diskTotalBytes = data.reduce((sum, n) => sum + n.diskTotalBytes, 0);

  const g = a.growth;
  const shardsAMonth = g.shardsPerMonth + placed * g.shardsPerNewTenantPerMonth;
  const shardMonths =
    shardsAMonth > 0 ? (shardHeadroomAfter <= 0 ? 0 : Math.floor(shardHeadroomAfter / shardsAMonth)) : null;
  const bytesAMonth = (g.bytesPerMonth ?? 0) + placed * (g.bytesPerNewTenantPerMonth ?? 0);
  const diskMonths =
    bytesAMonth > 0 && diskHeadroomAfterBytes !== null
      ? diskHeadroomAfterBytes <= 0
        ? 0
        : Math.floor(diskHeadroomAfterBytes / bytesAMonth)
      : null;
  const diskSooner = diskMonths !== null && (shardMonths === null || diskMonths < shardMonths);
  const monthsToLimit = diskSooner ? diskMonths : shardMonths;
  return {
    instanceId: a.candidate.instanceId,
    name: a.candidate.name,
    environment: a.candidate.environment,
    placed,
    roomAfter: binding === 'disk' ? (byDisk as number) : byShards,
    binding,
    shardHeadroomAfter,
    shardLimit: room.shardLimit,
    diskHeadroomAfterBytes,
    diskUsedAfterBytes: bpt === null ? null : used + placed * bpt,
    diskTotalBytes,
    monthsToLimit,
    monthsLimit: diskSooner ? 'disk' : 'shards',
    shortRunway: monthsToLimit !== null && monthsToLimit < SHORT_RUNWAY_MONTHS,
    growthSource: a.growth.source,
    forecast: a.forecast,
  };
}

type Figures = Omit<PlacementFigures, 'why'>;

/**
 * Best first: a runway of at least SHORT_RUNWAY_MONTHS, then the most room after placement, the
 * most months to a limit (none = never), the most disk left, and the instance id (stable ties).
 */
export function compareFigures(a: Figures, b: Figures): number {
  if (a.shortRunway !== b.shortRunway) return a.shortRunway ? 1 : -1;
  if (a.roomAfter !== b.roomAfter) return b.roomAfter - a.roomAfter;
  const months = (f: Figures) => f.monthsToLimit ?? Number.POSITIVE_INFINITY;
  if (months(a) !== months(b)) return months(b) - months(a);
  const disk = (f: Figures) => f.diskHeadroomAfterBytes ?? Number.NEGATIVE_INFINITY;
  if (disk(a) !== disk(b)) return disk(b) - disk(a);
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}

/** Equal on every key but the id. */
function tied(a: Figures, b: Figures): boolean {
  return (
    a.shortRunway === b.shortRunway &&
    a.roomAfter === b.roomAfter &&
    a.monthsToLimit === b.monthsToLimit &&
    a.diskHeadroomAfterBytes === b.diskHeadroomAfterBytes
  );
}

/**
 * One line: room after placement and what binds, disk after, and a short runway once placed (the
 * instance's forecast itself is the same one every screen shows: `forecast`, forecast-text.ts).
 */
export function whyLine(f: Figures): string {
  const what = f.placed === 1 ? 'it' : 'them';
  const takes = f.placed === 1 ? '' : `takes ${f.placed}: `;
  const left =
    f.binding === 'shards'
      ? `${groupDigits(Math.max(0, f.shardHeadroomAfter))} of ${countOf(f.shardLimit, 'shard')} left`
      : `${formatByteSize(Math.max(0, f.diskHeadroomAfterBytes ?? 0))} left below the low watermark`;
  const disk =
    f.diskUsedAfterBytes === null || f.diskTotalBytes <= 0
      ? 'disk after unknown (no tenant size yet)'
      : `disk ${pct(f.diskUsedAfterBytes, f.diskTotalBytes)} used after (${formatByteSize(f.diskUsedAfterBytes)} of ${formatByteSize(f.diskTotalBytes)})`;
  const limit = f.monthsLimit === 'disk' ? 'low disk watermark' : 'shard limit';
  const placedWords = `once ${what === 'it' ? 'it is' : 'they are'} placed`;
  const when =
    f.monthsToLimit === 0
      ? `${limit} within a month ${placedWords}`
      : `${limit} in about ${countOf(f.monthsToLimit ?? 0, 'month')} ${placedWords}`;
  const short =
    f.shortRunway && f.monthsToLimit !== null ? `; ${when} (under ${SHORT_RUNWAY_MONTHS}: ranked last)` : '';
  return `${takes}room for ${groupDigits(f.roomAfter)} more after ${what}, ${f.binding} bind (${left}); ${disk}${short}`;
}

function withWhy(list: Figures[], prefix: (f: Figures) => string = () => ''): PlacementFigures[] {
  return list.map((f, i) => {
    const next = list[i + 1];
    const prev = list[i - 1];
    const twin = next && tied(f, next) ? next : prev && tied(f, prev) ? prev : undefined;
    const tie = twin ? `; tied with ${twin.name}, ordered by instance id` : '';
    return { ...f, why: `${prefix(f)}${whyLine(f)}${tie}` };
  });
}

/** The line that says which instances were compared, and why the others were not. */
function reasonLine(
  environment: Environment,
  version: TracardiVersion,
  home: number,
  others: readonly Environment[],
): string {
  const compared =
    home === 0
      ? `No ${environment} instance of Tracardi ${version} can take it`
      : `Ranked among the ${environment} instances of Tracardi ${version} only`;
  if (others.length === 0) return `${compared}.`;
  return (
    `${compared}: the tenant is for ${environment}, and a ${others.join(' or ')} instance is not an equal home ` +
    `for it whatever its room, so those are listed apart, not compared.`
  );
}

/** Rank the instances of `version` for the next tenant and spread `count` tenants one by one. */
export function placeTenants(
  candidates: readonly PlacementCandidate[],
  version: TracardiVersion,
  options: PlacementOptions = {},
): PlacementReport {
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PLACEMENT_COUNT) {
    throw new ConsoleError(
      'validation',
      `The number of tenants to place must be a whole number from 1 to ${MAX_PLACEMENT_COUNT}.`,
    );
  }
  const growth = options.growth ?? layoutGrowth;
  const environment = options.environment ?? DEFAULT_PLACEMENT_ENVIRONMENT;
  const refused: PlacementRefusal[] = [];
  const accepted: Accepted[] = [];
  for (const c of candidates.filter((x) => x.version === version)) {
    const refusal = refusalOf(c);
    if (refusal) refused.push(refusal);
    else if (c.outcome.ok) {
      const s = c.outcome.snapshot;
      const forecast = options.forecasts?.get(c.instanceId) ?? snapshotForecast(s);
      accepted.push({ candidate: c, snapshot: s, growth: growth(s), forecast });
    }
  }
  const home = accepted.filter((a) => a.candidate.environment === environment);
  const others = ENVIRONMENTS.filter((e) => e !== environment && accepted.some((a) => a.candidate.environment === e));

  const ranking = home.map((a) => figuresAfter(a, 1)).sort(compareFigures);
  // Each other environment ranked among its own, never against the tenant's.
  const elsewhere = others.flatMap((e) =>
    withWhy(
      accepted
        .filter((a) => a.candidate.environment === e)
        .map((a) => figuresAfter(a, 1))
        .sort(compareFigures),
      () => `not compared: a ${e} instance, the tenant is for ${environment}; `,
    ),
  );

  // N tenants: each goes where the same ranking puts one tenant given those already placed.
  const placed = new Map<string, number>();
  let unplaced = 0;
  for (let i = 0; i < count; i++) {
    let best: { a: Accepted; f: Figures } | null = null;
    for (const a of home) {
      const k = (placed.get(a.candidate.instanceId) ?? 0) + 1;
      if (k > a.snapshot.room.room) continue;
      const f = figuresAfter(a, k);
      if (best === null || compareFigures(f, best.f) < 0) best = { a, f };
    }
    if (best === null) {
      unplaced = count - i;
      break;
    }
    placed.set(best.a.candidate.instanceId, (placed.get(best.a.candidate.instanceId) ?? 0) + 1);
  }
  const spread = home
    .filter((a) => placed.has(a.candidate.instanceId))
    .map((a) => figuresAfter(a, placed.get(a.candidate.instanceId) as number))
    .sort((a, b) => b.placed - a.placed || compareFigures(a, b));

  return {
    version,
    environment,
    reason: reasonLine(environment, version, home.length, others),
    count,
    ranking: withWhy(ranking),
    elsewhere,
    refused,
    spread: withWhy(spread),
    unplaced,
  };
}

/** Refuse a version no instance runs, naming the versions that are there. */
export function assertVersionRun(versions: readonly TracardiVersion[], version: TracardiVersion | undefined): void {
  if (version === undefined || versions.includes(version)) return;
  const present = TRACARDI_VERSIONS.filter((v) => versions.includes(v));
  const there = present.length === 0 ? 'no instance is configured' : `the instances run ${present.join(', ')}`;
  throw new ConsoleError('validation', `No instance runs Tracardi ${version}: ${there}.`);
}

/**
 * Placement for every version the candidates run (TRACARDI_VERSIONS order), or for `version` alone.
 * A version no instance runs is refused with the versions that are there.
 */
export function placeFleet(
  candidates: readonly PlacementCandidate[],
  version: TracardiVersion | undefined,
  options: PlacementOptions = {},
): PlacementReport[] {
  assertVersionRun(
    candidates.map((c) => c.version),
    version,
  );
  const present = TRACARDI_VERSIONS.filter((v) => candidates.some((c) => c.version === v));
  return (version === undefined ? present : [version]).map((v) => placeTenants(candidates, v, options));
}
