/**
 * Capacity snapshots: how full each instance's Elasticsearch is and how many more tenants fit. The
 * public API: `import { CapacityService } from './services/capacity'`.
 *
 * One snapshot is FIVE requests sent together, whatever the number of indices or tenants, each trimmed
 * with filter_path (docs/capacity.md lists them); a sixth, the per-index sizes, is read on the first
 * snapshot, after SIZES_TTL_MS, and when health shows indices come or go; with a history, a seventh
 * then reads the creation dates of tenant indices not seen before. Grouping indices by tenant and the
 * room/growth model are pure code (shared/index-naming.ts, shared/capacity-model.ts).
 */
export {
  CapacityService,
  type CapacityServiceDeps,
  type Clock,
  type EsClientFactory,
  type SnapshotAllOptions,
  type SnapshotRecorder,
} from './capacity-service';
export { creationDatesRequest, DEFAULTS_TTL_MS, SIZES_TTL_MS, SNAPSHOT_REQUESTS } from './requests';
export {
  joinIndexRows,
  readCreationDates,
  type HealthReply,
  type IndexRow,
  type IndexStatsReply,
  type RawCapacity,
  type SizesReason,
} from './replies';
export {
  defaultsAfterChange,
  effectiveSettings,
  explicitKeys,
  flattenSettings,
  type EffectiveSettings,
} from './settings';
export { buildSnapshot, groupIndices, lowestVersion, type IndexGrouping } from './snapshot';
