/**
 * Per-version footprint of one Tracardi tenant in Elasticsearch (tracardi-contract.md, section 4):
 * which types exist, how many shards each takes, how time-partitioned indices are suffixed, and
 * the names one install creates. The name grammar lives here so that producing names has one home;
 * index-naming.ts re-exports the builders and adds the parsers.
 */
import { ConsoleError } from '../errors/errors';
import type { TracardiVersion } from './instance';

export type DbVersion = '0820' | '09x';
/** `static` is the 0.8.2 context shared by staging and production. */
export type IndexContext = 'staging' | 'production' | 'static';
export type TemplateContext = Exclude<IndexContext, 'static'>;
/**
 * How often a time-partitioned type opens a new index. `day` stands for "a day or finer": Tracardi
 * 0.9+ also knows hour, minute and second, spelled as digits run together (`2026-1211`), which a
 * name alone cannot tell from a day; all of them grow at least daily.
 */
export const PARTITION_PERIODS = ['month', 'quarter', 'year', 'day'] as const;
export type PartitionPeriod = (typeof PARTITION_PERIODS)[number];

export const DEFAULT_INDEX_SHARDS = 3; // ELASTIC_INDEX_SHARDS
export const DEFAULT_CONF_SHARDS = 1; // ELASTIC_CONF_INDEX_SHARDS
export const DEFAULT_REPLICAS = 1; // ELASTIC_INDEX_REPLICAS

export interface ShardOptions {
  /** ELASTIC_INDEX_SHARDS of the instance (default 3). */
  indexShards?: number;
  /** ELASTIC_CONF_INDEX_SHARDS of the instance (default 1). */
  confShards?: number;
}

export interface VersionProfile {
  version: TracardiVersion;
  dbVersion: DbVersion;
  /** Single-tenant default tenant: first 5 hex digits of md5(db_version). */
  defaultTenant: string;
  /** Types that open a new index every period; one index per context at install. */
  partitionedTypes: readonly string[];
  /** One index per context, never partitioned. */
  plainTypes: readonly string[];
  /** One index shared by both contexts (`static-` prefix). */
  staticTypes: readonly string[];
  /** Types whose indices take ELASTIC_INDEX_SHARDS; every other type takes ELASTIC_CONF_INDEX_SHARDS. */
  indexShardTypes: readonly string[];
  /** Default period of each partitioned type, as the version's own tracardi/config.py sets it. */
  partitionPeriods: Readonly<Record<string, PartitionPeriod>>;
  /** The env variable of the instance that changes each partitioned type's period. */
  partitionEnv: Readonly<Record<string, string>>;
  /**
   * Where the instance keeps users, plugins and configuration: 0.8.2 in Elasticsearch indices, 0.9 in
   * one MySQL database shared by its tenants, which does not exist until the first install.
   */
  configurationStore: 'elasticsearch' | 'mysql';
}

const PARTITIONED_082 = [
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
] as const;

const PLAIN_082 = [
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
] as const;

const STATIC_082 = ['bridge', 'flow-action-plugins'] as const;

const PARTITIONED_09 = ['event', 'entity', 'log', 'session', 'profile', 'field-update-log'] as const;

// Periods read from Tracardi's own sources (github:Tracardi/tracardi, tracardi/config.py, the
// TracardiConfig *_partitioning attributes; tracardi/service/storage/index.py Resource maps each
// type to one of them):
// - 0.8.2 (branch 0.8.2, e3fbed2a, and 0.8.2.1): event month, profile/session/entity quarter,
//   item/user-log year, log/dispatch-log/console-log/field-update-log month.
// - 0.9 (branch 0.9.0-dev, 03c56636): as 0.8.2 but event quarter.
// - 1.0.x (branch 1.0.x of the fork github:mattcam/tracardi, 84cccbc4, 2024-10-11): the same defaults
//   as 0.9, db_version '09x' and the same six partitioned types. Its names are 0.9's, so it needs no
//   profile of its own: a 1.0.x instance is configured as 0.9.x (adding a '1.0.x' version would make
//   versionOfDbVersion('09x') ambiguous for every caller of TRACARDI_VERSIONS).
// 0.8.0/0.8.1 (before per-type partitioning) suffixed every type `{year}-{month}`.
// Note: entity reads ITEM_PARTITIONING (sic, config.py of every version above): setting it changes
// both item and entity; there is no ENTITY_PARTITIONING.
const PARTITION_PERIODS_082: Record<string, PartitionPeriod> = {
  event: 'month',
  entity: 'quarter',
  log: 'month',
  'user-log': 'year',
  session: 'quarter',
  profile: 'quarter',
  item: 'year',
  'console-log': 'month',
  'dispatch-log': 'month',
  'field-update-log': 'month',
};
const PARTITION_PERIODS_09: Record<string, PartitionPeriod> = {
  event: 'quarter',
  entity: 'quarter',
  log: 'month',
  session: 'quarter',
  profile: 'quarter',
  'field-update-log': 'month',
};
const PARTITION_ENV: Record<string, string> = {
  event: 'EVENT_PARTITIONING',
  entity: 'ITEM_PARTITIONING',
  log: 'LOG_PARTITIONING',
  'user-log': 'USER_LOG_PARTITIONING',
  session: 'SESSION_PARTITIONING',
  profile: 'PROFILE_PARTITIONING',
  item: 'ITEM_PARTITIONING',
  'console-log': 'CONSOLE_LOG_PARTITIONING',
  'dispatch-log': 'DISPATCH_LOG_PARTITIONING',
  'field-update-log': 'FIELD_CHANGE_LOG_PARTITIONING',
};

export const VERSION_PROFILES: Readonly<Record<TracardiVersion, VersionProfile>> = {
  '0.8.x': {
    version: '0.8.x',
    dbVersion: '0820',
    defaultTenant: 'ffe49',
    partitionedTypes: PARTITIONED_082,
    plainTypes: PLAIN_082,
    staticTypes: STATIC_082,
    indexShardTypes: ['event', 'entity', 'log', 'session', 'profile', 'console-log', 'dispatch-log'],
    partitionPeriods: PARTITION_PERIODS_082,
    partitionEnv: PARTITION_ENV,
    configurationStore: 'elasticsearch',
  },
  '0.9.x': {
    version: '0.9.x',
    dbVersion: '09x',
    defaultTenant: '8504a',
    partitionedTypes: PARTITIONED_09,
    // Configuration moved to MySQL in 0.9: no plain or static indices per tenant.
    plainTypes: [],
    staticTypes: [],
    indexShardTypes: ['event', 'entity', 'log', 'session', 'profile'],
    partitionPeriods: PARTITION_PERIODS_09,
    partitionEnv: PARTITION_ENV,
    configurationStore: 'mysql',
  },
};

/** The footprint profile of a Tracardi version. */
export function versionProfile(version: TracardiVersion): VersionProfile {
  return VERSION_PROFILES[version];
}

/** The db_version a Tracardi version puts in its index names. */
export function dbVersionOf(version: TracardiVersion): DbVersion {
  return VERSION_PROFILES[version].dbVersion;
}

/** The Tracardi version whose names carry this db_version, or null for an unknown one. */
export function versionOfDbVersion(dbVersion: string): TracardiVersion | null {
  if (dbVersion === '0820') return '0.8.x';
  if (dbVersion === '09x') return '0.9.x';
  return null;
}

/** How a known type is stored in a version, or null when the version has no such type. */
export function typeKind(version: TracardiVersion, type: string): 'partitioned' | 'plain' | 'static' | null {
  const p = VERSION_PROFILES[version];
  if (p.partitionedTypes.includes(type)) return 'partitioned';
  if (p.plainTypes.includes(type)) return 'plain';
  if (p.staticTypes.includes(type)) return 'static';
  return null;
}

function shardCount(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  // Elasticsearch refuses an index with fewer than one primary shard.
  if (!Number.isInteger(n) || n < 1)
    throw new ConsoleError('validation', `${what} must be a whole number of at least 1 (got ${String(value)}).`);
  return n;
}

/** Primary shards of one index of `type`: ELASTIC_INDEX_SHARDS or ELASTIC_CONF_INDEX_SHARDS. */
export function primaryShardsOfType(version: TracardiVersion, type: string, opts: ShardOptions = {}): number {
  const big = VERSION_PROFILES[version].indexShardTypes.includes(type);
  return big
    ? shardCount(opts.indexShards, DEFAULT_INDEX_SHARDS, 'ELASTIC_INDEX_SHARDS')
    : shardCount(opts.confShards, DEFAULT_CONF_SHARDS, 'ELASTIC_CONF_INDEX_SHARDS');
}

/** Primary shards one fresh install creates (both contexts, one current partition per type). */
export function primaryShardsPerTenant(version: TracardiVersion, opts: ShardOptions = {}): number {
  const p = VERSION_PROFILES[version];
  let total = 0;
  for (const t of [...p.partitionedTypes, ...p.plainTypes]) total += 2 * primaryShardsOfType(version, t, opts);
  for (const t of p.staticTypes) total += primaryShardsOfType(version, t, opts);
  return total;
}

/** Replicas Tracardi actually creates: forced to 0 on a single data node. */
export function effectiveReplicas(dataNodes: number, replicas: number = DEFAULT_REPLICAS): number {
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new ConsoleError(
      'validation',
      `ELASTIC_INDEX_REPLICAS must be a whole number of at least 0 (got ${String(replicas)}).`,
    );
  return dataNodes <= 1 ? 0 : replicas;
}

/** Shards (primaries and replicas) one new tenant adds to the cluster's open shard count. */
export function shardsPerNewTenant(
  version: TracardiVersion,
  opts: ShardOptions & { dataNodes: number; replicas?: number },
): number {
  return primaryShardsPerTenant(version, opts) * (1 + effectiveReplicas(opts.dataNodes, opts.replicas));
}

/** Period of a partitioned type (overrides mirror the instance's *_PARTITIONING env), null for a non-partitioned one. */
export function partitionPeriod(
  type: string,
  version: TracardiVersion,
  overrides: Readonly<Record<string, PartitionPeriod>> = {},
): PartitionPeriod | null {
  if (!VERSION_PROFILES[version].partitionedTypes.includes(type)) return null;
  return overrides[type] ?? VERSION_PROFILES[version].partitionPeriods[type] ?? 'month';
}

/** Suffix of the index a partitioned type writes to on `date` (UTC): `-2026-11`, `-2026-q4`, `-2026-year`. */
export function partitionSuffix(
  type: string,
  version: TracardiVersion,
  date: Date,
  overrides: Readonly<Record<string, PartitionPeriod>> = {},
): string {
  const period = partitionPeriod(type, version, overrides);
  if (period === null)
    throw new ConsoleError('validation', `Type "${type}" is not time-partitioned in Tracardi ${version}.`);
  // Tracardi formats with Python's datetime.now() (Index._multi_index_suffix): no zero padding
  // (`2026-3`), year partitions spelled `{year}-year`. Servers run in UTC in the published images.
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  if (period === 'month') return `-${y}-${m}`;
  if (period === 'quarter') return `-${y}-q${Math.ceil(m / 3)}`;
  if (period === 'year') return `-${y}-year`;
  // 0.8.2 spells a day `{y}-{m}/{d}`: Elasticsearch refuses `/` in an index name, so no such index exists.
  if (version === '0.8.x')
    throw new ConsoleError('validation', 'Tracardi 0.8.2 cannot create daily partitions (its names contain "/").');
  return `-${y}-${m}${date.getUTCDate()}`;
}

const CONTEXT_PREFIX: Record<IndexContext, string> = { staging: '', production: 'prod-', static: 'static-' };

function checkTenant(tenant: string): void {
  // A dot would shift every part of the name; derived tenants are [a-z0-9] only.
  if (!/^[a-z0-9_-]+$/.test(tenant))
    throw new ConsoleError('validation', `"${tenant}" is not a tenant name (lower-case letters and digits only).`);
}

/** Index name: `[prod-|static-]{db}.{tenant}.tracardi-{type}[{suffix}]` (suffix from partitionSuffix, with its dash). */
export function indexName(
  tenant: string,
  version: TracardiVersion,
  context: IndexContext,
  type: string,
  suffix = '',
): string {
  checkTenant(tenant);
  return `${CONTEXT_PREFIX[context]}${dbVersionOf(version)}.${tenant}.tracardi-${type}${suffix}`;
}

/** Alias name: 0.8.2 `[prod-|static-]{tenant}.tracardi-{type}`; 0.9 carries the version, `[prod-]09x.{tenant}.tracardi-{type}`. */
export function aliasName(tenant: string, version: TracardiVersion, context: IndexContext, type: string): string {
  checkTenant(tenant);
  const db = version === '0.8.x' ? '' : `${dbVersionOf(version)}.`;
  return `${CONTEXT_PREFIX[context]}${db}${tenant}.tracardi-${type}`;
}

/** Template name: `[prod-]template.{db}.{tenant}.tracardi-{type}` (partitioned types only). */
export function templateName(tenant: string, version: TracardiVersion, context: TemplateContext, type: string): string {
  checkTenant(tenant);
  return `${CONTEXT_PREFIX[context]}template.${dbVersionOf(version)}.${tenant}.tracardi-${type}`;
}

export interface PartitionedArtifact {
  context: TemplateContext;
  type: string;
  /** Alias over every partition of the type. */
  aliasName: string;
  /**
   * Index name without the partition suffix: the index of a period is `indexPrefix + partitionSuffix(...)`.
   * Do not match partitions with `indexPrefix-*`: `tracardi-event-*` also matches `tracardi-event-redirect`.
   * Use parseIndexName instead.
   */
  indexPrefix: string;
}

export interface ExpectedArtifacts {
  /** Plain indices of both contexts plus the static ones. */
  plainIndices: string[];
  /** One entry per partitioned type and context; each has at least one index. */
  partitionedTypes: PartitionedArtifact[];
  aliases: string[];
  templates: string[];
}

/** Every template, index family and alias one install of `tenant` creates (Tracardi's own "installed" check). */
export function expectedArtifacts(tenant: string, version: TracardiVersion): ExpectedArtifacts {
  checkTenant(tenant);
  const p = VERSION_PROFILES[version];
  const contexts: TemplateContext[] = ['staging', 'production'];
  const out: ExpectedArtifacts = { plainIndices: [], partitionedTypes: [], aliases: [], templates: [] };
  for (const context of contexts) {
    for (const type of p.partitionedTypes) {
      const alias = aliasName(tenant, version, context, type);
      out.partitionedTypes.push({
        context,
        type,
        aliasName: alias,
        indexPrefix: indexName(tenant, version, context, type),
      });
      out.aliases.push(alias);
      out.templates.push(templateName(tenant, version, context, type));
    }
    for (const type of p.plainTypes) {
      out.plainIndices.push(indexName(tenant, version, context, type));
      out.aliases.push(aliasName(tenant, version, context, type));
    }
  }
  for (const type of p.staticTypes) {
    out.plainIndices.push(indexName(tenant, version, 'static', type));
    out.aliases.push(aliasName(tenant, version, 'static', type));
  }
  return out;
}
