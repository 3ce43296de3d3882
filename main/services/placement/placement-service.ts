/**
 * Placement over the live fleet: one capacity snapshot of every instance of the version(s) asked
 * (in parallel, each bounded by its own timeout), then the pure ranking of shared/capacity/placement.ts with
 * each instance's measured growth (its capacity forecast: the cluster's own growth blended with
 * local history), or the layout model where nothing is measured.
 */
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { CapacityForecast } from '../../../shared/capacity/capacity-forecast';
import type { Environment, TracardiVersion } from '../../../shared/instances/instance';
import {
  assertVersionRun,
  layoutGrowth,
  measuredGrowth,
  placeFleet,
  type GrowthSource,
  type PlacementCandidate,
  type PlacementReport,
} from '../../../shared/capacity/placement';
import type { CapacityService } from '../capacity';
import { recordedForecasts, type ForecastSource } from '../history';
import type { InstanceService } from '../instances';

export interface PlacementServiceDeps {
  instances: Pick<InstanceService, 'list'>;
  capacity: Pick<CapacityService, 'snapshotAll' | 'flush'>;
  /** The measured growth; without it (or where it measured nothing) the fallback ranks alone. */
  forecasts?: ForecastSource;
  /** Growth where nothing is measured; default the snapshot's partition layout (layoutGrowth). */
  growth?: GrowthSource;
}

export interface PlaceRequest {
  /** Only this version's instances; default one report per version the fleet runs. */
  version?: TracardiVersion;
  /** Tenants to place (default 1). */
  count?: number;
  /** The environment the tenant is for (default production): only its instances are ranked. */
  environment?: Environment;
}

/** Ranks the fleet's instances for the next tenant(s). */
export class PlacementService {
  readonly #deps: PlacementServiceDeps;

  constructor(deps: PlacementServiceDeps) {
    this.#deps = deps;
  }

  /** Snapshot the instances, then rank; a version no instance runs is refused before any cluster is asked. */
  async place(request: PlaceRequest = {}): Promise<PlacementReport[]> {
    const summaries = await this.#deps.instances.list();
    assertVersionRun(
      summaries.map((s) => s.instance.tracardiVersion),
      request.version,
    );
    const chosen = summaries.filter(
      (s) => request.version === undefined || s.instance.tracardiVersion === request.version,
    );
    const outcomes = await this.#deps.capacity.snapshotAll(chosen.map((s) => s.instance.id));
    const candidates: PlacementCandidate[] = chosen.map((s, i) => ({
      instanceId: s.instance.id,
      name: s.instance.name,
      version: s.instance.tracardiVersion,
      environment: s.instance.environment,
      // snapshotAll answers in the order of the ids it was given.
      outcome: outcomes[i]!,
    }));
    const forecasts = await this.#forecasts(outcomes);
    const fallback = this.#deps.growth ?? layoutGrowth;
    return placeFleet(candidates, request.version, {
      ...(request.count !== undefined ? { count: request.count } : {}),
      ...(request.environment !== undefined ? { environment: request.environment } : {}),
      // The measured growth where the history has it, the fallback (layout model) elsewhere.
      growth: this.#deps.forecasts === undefined ? fallback : measuredGrowth(forecasts, fallback),
      forecasts,
    });
  }

  /** The instances' forecasts, read once these snapshots are in the history (none without a history). */
  async #forecasts(outcomes: readonly CapacityOutcome[]): Promise<ReadonlyMap<string, CapacityForecast>> {
    if (this.#deps.forecasts === undefined) return new Map();
    return recordedForecasts(outcomes, this.#deps.capacity, this.#deps.forecasts);
  }
}
