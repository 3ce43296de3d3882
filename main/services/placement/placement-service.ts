/**
 * Placement over the live fleet: one capacity snapshot of every instance of the version(s) asked
 * (in parallel, each bounded by its own timeout), then the pure ranking of shared/placement.ts with
 * each instance's measured growth (its capacity forecast: the cluster's own growth blended with
 * local history), or the layout model where nothing is measured.
 */
import type { CapacityOutcome } from '../../../shared/capacity';
import type { TracardiVersion } from '../../../shared/instance';
import {
  assertVersionRun,
  layoutGrowth,
  measuredGrowth,
  placeFleet,
  type GrowthSource,
  type PlacementCandidate,
  type PlacementReport,
} from '../../../shared/placement';
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
      // snapshotAll answers in the order of the ids it was given.
      outcome: outcomes[i]!,
    }));
    return placeFleet(candidates, request.version, {
      ...(request.count !== undefined ? { count: request.count } : {}),
      growth: await this.#growth(outcomes),
    });
  }

  /** The measured growth where the history has it, the fallback (layout model) elsewhere. */
  async #growth(outcomes: readonly CapacityOutcome[]): Promise<GrowthSource> {
    const fallback = this.#deps.growth ?? layoutGrowth;
    if (this.#deps.forecasts === undefined) return fallback;
    return measuredGrowth(await recordedForecasts(outcomes, this.#deps.capacity, this.#deps.forecasts), fallback);
  }
}
