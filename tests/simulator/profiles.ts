// Per-version footprint, copied from the table in tracardi-contract.md section 4; partition periods
// copied from Tracardi's own tracardi/config.py (not from shared/, on purpose).
import { defaultTenantFor, type Partitioning, type SimVersion } from './naming';

export interface VersionProfile {
  sim: SimVersion;
  /** What GET /info/version answers. */
  version: string;
  dbVersion: string;
  defaultTenant: string;
  aliasHasVersion: boolean;
  /** Types with one index per month (or quarter) and a template per context. */
  partitioned: readonly string[];
  /** Types with one plain index per context. */
  plain: readonly string[];
  /** Types with one `static-` index shared by both contexts. */
  static: readonly string[];
  /** Types that get ELASTIC_INDEX_SHARDS; every other type gets ELASTIC_CONF_INDEX_SHARDS. */
  bigTypes: ReadonlySet<string>;
  /** 0.9 keeps the tenant in MySQL columns of 40 characters. */
  maxTenantLength: number | null;
  /**
   * Where users, plugins and configuration live: 0.9 in one MySQL database shared by every tenant,
   * which GET /install checks first and the first POST /install creates (tracardi-contract.md section 4).
   */
  configurationStore: 'elasticsearch' | 'mysql';
  /** Default period of each partitioned type (the *_partitioning attributes of TracardiConfig). */
  periods: Readonly<Record<string, Partitioning>>;
}

/** The env variable each partitioned type's period is read from (entity reads ITEM_PARTITIONING, sic). */
export const PARTITION_ENV = {
  event: 'EVENT_PARTITIONING',
  profile: 'PROFILE_PARTITIONING',
  session: 'SESSION_PARTITIONING',
  entity: 'ITEM_PARTITIONING',
  item: 'ITEM_PARTITIONING',
  log: 'LOG_PARTITIONING',
  'dispatch-log': 'DISPATCH_LOG_PARTITIONING',
  'console-log': 'CONSOLE_LOG_PARTITIONING',
  'user-log': 'USER_LOG_PARTITIONING',
  'field-update-log': 'FIELD_CHANGE_LOG_PARTITIONING',
} as const;
export type PartitionEnv = (typeof PARTITION_ENV)[keyof typeof PARTITION_ENV];

/**
 * How an instance partitions: one period for every type (the simulator's old switch), or env
 * overrides like `{ EVENT_PARTITIONING: 'quarter' }` on top of the version's defaults.
 */
export type PartitioningOption = Partitioning | Partial<Record<PartitionEnv, Partitioning>>;

/** The period of each partitioned type of `profile` under `option` (default: the version's defaults). */
export function periodsFor(profile: VersionProfile, option?: PartitioningOption): Record<string, Partitioning> {
  const out: Record<string, Partitioning> = {};
  for (const type of profile.partitioned) {
    const env = PARTITION_ENV[type as keyof typeof PARTITION_ENV];
    const fallback = profile.periods[type] ?? 'month';
    out[type] = typeof option === 'string' ? option : (option?.[env] ?? fallback);
  }
  return out;
}

/** Contract defaults (ELASTIC_INDEX_SHARDS, ELASTIC_CONF_INDEX_SHARDS, ELASTIC_INDEX_REPLICAS). */
export const CONTRACT_SHARD_DEFAULTS = { indexShards: 3, confShards: 1, replicas: 1 } as const;
/** What the simulator uses unless told otherwise: cheap on a test cluster. */
export const TEST_SHARD_DEFAULTS = { indexShards: 1, confShards: 1, replicas: 0 } as const;

export interface ShardSettings {
  indexShards: number;
  confShards: number;
  replicas: number;
}

const PROFILE_08: VersionProfile = {
  sim: '0.8.x',
  version: '0.8.2',
  dbVersion: '0820',
  defaultTenant: defaultTenantFor('0820'),
  aliasHasVersion: false,
  partitioned: [
    'event',
    'entity',
    'log',
    'user-log',
    'session',
    'profile',
    'item',
    'console-log',
    'dispatch-log',
    'field-update-log',
  ],
  plain: [
    'user',
    'pro',
    'entity-list',
    'resource',
    'source',
    'event-redirect',
    'flow',
    'rule',
    'segment',
    'live-segment',
    'content',
    'setting',
    'event-management',
    'event_to_profile',
    'debug-info',
    'heartbeats',
    'events-tags',
    'consent-type',
    'consent-data-compliance',
    'event-reshaping',
    'event-validation',
    'destination',
    'import',
    'task',
    'report',
    'identification-point',
    'version',
  ],
  static: ['bridge', 'flow-action-plugins'],
  bigTypes: new Set(['event', 'entity', 'log', 'session', 'profile', 'console-log', 'dispatch-log']),
  maxTenantLength: null,
  configurationStore: 'elasticsearch',
  // github:Tracardi/tracardi branch 0.8.2 (e3fbed2a), tracardi/config.py lines 180-189.
  periods: {
    event: 'month',
    profile: 'quarter',
    session: 'quarter',
    entity: 'quarter',
    item: 'year',
    log: 'month',
    'dispatch-log': 'month',
    'console-log': 'month',
    'user-log': 'year',
    'field-update-log': 'month',
  },
};

const PROFILE_09: VersionProfile = {
  sim: '0.9.x',
  // What the real tracardi-api branch 0.9.0-dev answers on GET /info/version.
  version: '0.9.0-rc5',
  dbVersion: '09x',
  defaultTenant: defaultTenantFor('09x'),
  aliasHasVersion: true,
  partitioned: ['event', 'entity', 'log', 'session', 'profile', 'field-update-log'],
  plain: [],
  static: [],
  bigTypes: new Set(['event', 'entity', 'log', 'session', 'profile']),
  maxTenantLength: 40,
  configurationStore: 'mysql',
  // github:Tracardi/tracardi branch 0.9.0-dev (03c56636), tracardi/config.py lines 217-226 (1.0.x alike).
  periods: {
    event: 'quarter',
    profile: 'quarter',
    session: 'quarter',
    entity: 'quarter',
    log: 'month',
    'field-update-log': 'month',
  },
};

/** The footprint profile of a simulated version. */
export function profileFor(version: SimVersion): VersionProfile {
  return version === '0.8.x' ? PROFILE_08 : PROFILE_09;
}

/** Primary shards of one index of `type` under the given settings. */
export function shardsFor(profile: VersionProfile, type: string, shards: ShardSettings): number {
  return profile.bigTypes.has(type) ? shards.indexShards : shards.confShards;
}
