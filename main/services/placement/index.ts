/**
 * Placement: where the next tenant(s) of a Tracardi version go, from a capacity snapshot of every
 * instance. The public API: `import { PlacementService } from './services/placement'`. The ranking
 * is pure (shared/capacity/placement.ts); this service only gathers the snapshots.
 */
export { PlacementService, type PlacementServiceDeps, type PlaceRequest } from './placement-service';
