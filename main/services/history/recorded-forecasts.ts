/**
 * The forecasts of the instances a run of snapshots reached, read once those snapshots are in the
 * history (a first snapshot's listing is what the cluster's growth is measured from). Placement, the
 * watch round and `tenantctl capacity --format prometheus` all ask this way. A history that cannot
 * be read answers no forecast: the callers keep the layout model.
 */
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { CapacityForecast } from '../../../shared/capacity/capacity-forecast';

/** Each instance's capacity forecast (HistoryService). */
export interface ForecastSource {
  forecasts(instanceIds: readonly string[]): Promise<ReadonlyMap<string, CapacityForecast>>;
}

export async function recordedForecasts(
  outcomes: readonly CapacityOutcome[],
  capacity: { flush?(): Promise<void> },
  source: ForecastSource | undefined,
): Promise<ReadonlyMap<string, CapacityForecast>> {
  const reached = outcomes.flatMap((o) => (o.ok ? [o.snapshot.instanceId] : []));
  if (source === undefined || reached.length === 0) return new Map();
  try {
    await capacity.flush?.();
    return await source.forecasts(reached);
  } catch {
    return new Map();
  }
}
