/**
 * Capacity snapshots: how full each instance's Elasticsearch is and how many more tenants fit. The
 * public API: `import { CapacityService } from './services/capacity'`.
 *
 * A steady snapshot is THREE requests sent together (health, nodes stats, settings), whatever the
 * number of indices or tenants, each trimmed with filter_path (docs/capacity.md lists them). The
 * cluster facts (UUID, node versions) are read with the first snapshot, after DEFAULTS_TTL_MS, and at
 * once when a node joins or restarts; the per-index sizes on the first snapshot, after SIZES_TTL_MS,
 * and when health shows indices come or go; with a history, one more request then reads the creation
 * dates of tenant indices not seen before. Grouping indices by tenant and the
 * room/growth model are pure code (shared/instances/index-naming.ts, shared/capacity/capacity-model.ts).
 */
export {
  CapacityService,
  type CapacityServiceDeps,
  type Clock,
  type EsReaderFactory,
  type SnapshotAllOptions,
  type SnapshotRecorder,
  SECRETS_RECHECK_MS,
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
export { IndexWorkMemo } from './index-work';
export {
  buildSnapshot,
  computeIndexWork,
  groupIndices,
  lowestVersion,
  type IndexGrouping,
  type IndexWork,
} from './snapshot';
