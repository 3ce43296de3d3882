/**
 * One watch round: verify the fleet, snapshot every instance's capacity (both at once), and turn
 * what they answer into the detection's input (shared/watch/watch-detect.ts). The capacity history another
 * part of the console keeps is recorded inside `snapshotAll`, so a round adds to it too.
 */
import type { CapacityOutcome, CapacitySnapshot } from '../../../shared/capacity/capacity';
import {
  forecastSentence,
  PLAIN_FORMAT,
  snapshotForecast,
  wholeMonths,
  type CapacityForecast,
} from '../../../shared/capacity/capacity-forecast';
import type { Instance } from '../../../shared/instances/instance';
import type { VerificationResult } from '../../../shared/tenants/tenant';
import type { DiskLevel } from '../../../shared/watch/watch';
import { recordedForecasts, type ForecastSource } from '../history';
import type { InstanceLimits, RoundInput } from '../../../shared/watch/watch-detect';

/** What a round needs of the core (structural: the real services or test doubles fit). */
export interface RoundDeps {
  instances: { list(): Promise<{ instance: Pick<Instance, 'id' | 'name'> }[]> };
  verify: {
    verify(
      scope: { fleet: true },
      options?: { signal?: AbortSignal; audit?: boolean },
    ): Promise<{ results: VerificationResult[]; stats: { instanceErrors: { instanceId: string; message: string }[] } }>;
  };
  capacity: {
    snapshotAll(ids?: readonly string[]): Promise<CapacityOutcome[]>;
    /** Resolves once every snapshot taken so far is in the history (the forecasts read it). */
    flush?(): Promise<void>;
  };
  /**
   * The forecasts the History screen and placement show (growth measured from the cluster, blended
   * with local history), read after the round's snapshots are recorded. Without it, or when it
   * fails, the layout model's figure in the snapshot stands.
   */
  history?: ForecastSource;
}

/** The worst watermark level over the snapshot's data nodes (none when the threshold is off). */
export function diskLevelOf(snapshot: CapacitySnapshot): InstanceLimits['disk'] {
  let worst: InstanceLimits['disk'] = null;
  const rank: Record<DiskLevel, number> = { ok: 0, low: 1, high: 2, flood: 3 };
  for (const n of snapshot.nodes.filter((x) => x.isData)) {
    const used = n.diskUsedBytes;
    const level: DiskLevel = !snapshot.watermarks.thresholdEnabled
      ? 'ok'
      : used >= n.watermarks.floodUsedBytes
        ? 'flood'
        : used >= n.watermarks.highUsedBytes
          ? 'high'
          : used >= n.watermarks.lowUsedBytes
            ? 'low'
            : 'ok';
    const usedShare = n.diskTotalBytes > 0 ? used / n.diskTotalBytes : 0;
    if (!worst || rank[level] > rank[worst.level] || (level === worst.level && usedShare > worst.usedShare))
      worst = { level, node: n.name, usedShare };
  }
  return worst;
}

/**
 * The limits a round compares, from one snapshot and the instance's forecast (the history's, else
 * the snapshot's own): months to the shard limit are the forecast's whole months, and the detail is
 * the forecast in the words every screen uses.
 */
export function limitsOf(snapshot: CapacitySnapshot, forecast?: CapacityForecast): InstanceLimits {
  const base = {
    shardsOpen: snapshot.shards.open,
    shardLimit: snapshot.shards.limit,
    disk: diskLevelOf(snapshot),
  };
  const shards = (forecast ?? snapshotForecast(snapshot)).shards;
  if (shards.source === 'none')
    return { ...base, monthsUntilShardLimit: snapshot.growth.monthsUntilShardLimit, growthSource: 'model' };
  return {
    ...base,
    monthsUntilShardLimit: wholeMonths(shards),
    growthSource: shards.source,
    forecastLine: forecastSentence('shards', shards, PLAIN_FORMAT),
  };
}

/** Run the round's requests and gather its input. Rejects only when verification itself fails. */
export async function gatherRound(deps: RoundDeps, signal?: AbortSignal): Promise<RoundInput> {
  const instances = (await deps.instances.list()).map((s) => ({ id: s.instance.id, name: s.instance.name }));
  if (instances.length === 0) return { instances, results: [], instanceErrors: [], capacity: [] };
  const [run, outcomes] = await Promise.all([
    // The round keeps its own audit entry (WatchService): none per verification run.
    deps.verify.verify({ fleet: true }, { ...(signal ? { signal } : {}), audit: false }),
    deps.capacity.snapshotAll(instances.map((i) => i.id)),
  ]);
  const forecasts = await recordedForecasts(outcomes, deps.capacity, deps.history);
  return {
    instances,
    results: run.results.map((r) => ({
      instanceId: r.instanceId,
      tenant: r.tenant,
      status: r.status,
      summary: r.summary,
    })),
    instanceErrors: run.stats.instanceErrors,
    capacity: outcomes.map((o) =>
      o.ok
        ? {
            instanceId: o.snapshot.instanceId,
            ok: true as const,
            limits: limitsOf(o.snapshot, forecasts.get(o.snapshot.instanceId)),
          }
        : { instanceId: o.instanceId, ok: false as const, message: o.error.message },
    ),
  };
}
