/**
 * Tracardi index, alias and template names (tracardi-contract.md, section 4): produce them (the
 * builders live with the version profiles) and parse them back, so the console can group a
 * cluster's indices by tenant without one request per tenant.
 */
import type { TracardiVersion } from './instance';
import {
  typeKind,
  versionOfDbVersion,
  type DbVersion,
  type IndexContext,
  type PartitionPeriod,
} from './version-profiles';

export { aliasName, expectedArtifacts, indexName, partitionSuffix, templateName } from './version-profiles';

export interface ParsedName {
  tenant: string;
  version: TracardiVersion;
  dbVersion: DbVersion;
  context: IndexContext;
  type: string;
  /** Partition of a time-partitioned index, without the leading dash: `2026-3`, `2026-q4`, `2026-year`. */
  partition?: string;
  /** False when the type is not one this version is known to create (kept: it still costs shards). */
  known: boolean;
}

// Tracardi's suffixes (tracardi/service/storage/index.py, Index._multi_index_suffix): `{y}-{m}` (no
// padding), `{y}-q{q}`, `{y}-year`, and in 0.9/1.0.x the rarer day/hour/minute/second forms
// `{y}-{m}{d}[{h}[{min}[{s}]]]`, digits run together. (0.8.2 spells those with `/`, which
// Elasticsearch refuses in index names, so they never exist.)
const PARTITION = String.raw`\d{4}-(?:q[1-4]|year|\d{1,12})`;
const TENANT = '[a-z0-9_-]+';
const TYPE = '[a-z0-9_-]+';
const INDEX_RE = new RegExp(`^(prod-|static-)?(0820|09x)\\.(${TENANT})\\.tracardi-(${TYPE}?)(?:-(${PARTITION}))?$`);
const ALIAS_082_RE = new RegExp(`^(prod-|static-)?(${TENANT})\\.tracardi-(${TYPE})$`);
const ALIAS_09_RE = new RegExp(`^(prod-)?09x\\.(${TENANT})\\.tracardi-(${TYPE})$`);
const TEMPLATE_RE = new RegExp(`^(prod-)?template\\.(0820|09x)\\.(${TENANT})\\.tracardi-(${TYPE})$`);
const ENDS_IN_PARTITION_RE = new RegExp(`-${PARTITION}$`);

function contextOf(prefix: string | undefined): IndexContext {
  if (prefix === 'prod-') return 'production';
  if (prefix === 'static-') return 'static';
  return 'staging';
}

/** Static context and static types go together; a name mixing them is not Tracardi's. */
function contextFits(version: TracardiVersion, type: string, context: IndexContext): boolean {
  if (context === 'static' && version !== '0.8.x') return false;
  const kind = typeKind(version, type);
  if (kind === null) return true;
  return (kind === 'static') === (context === 'static');
}

/** Parse an index name of either version; null for anything that is not a tenant index. */
export function parseIndexName(name: string): ParsedName | null {
  const m = INDEX_RE.exec(name);
  if (!m) return null;
  const [, prefix, db, tenant, type, partition] = m as unknown as [
    string,
    string | undefined,
    DbVersion,
    string,
    string,
    string | undefined,
  ];
  const version = versionOfDbVersion(db);
  if (version === null) return null;
  const context = contextOf(prefix);
  if (!contextFits(version, type, context)) return null;
  const kind = typeKind(version, type);
  // A partitioned type always has a suffix (the bare name is the 0.9 alias); other types never do.
  if (kind === 'partitioned' && partition === undefined) return null;
  if ((kind === 'plain' || kind === 'static' || context === 'static') && partition !== undefined) return null;
  const parsed: ParsedName = { tenant, version, dbVersion: db, context, type, known: kind !== null };
  if (partition !== undefined) parsed.partition = partition;
  return parsed;
}

/** Parse an alias name of either version (0.8.2 aliases carry no db_version: `0820` is implied); null otherwise. */
export function parseAliasName(name: string): Omit<ParsedName, 'partition'> | null {
  let version: TracardiVersion;
  let prefix: string | undefined;
  let tenant: string;
  let type: string;
  const m09 = ALIAS_09_RE.exec(name);
  const m08 = m09 ? null : ALIAS_082_RE.exec(name);
  if (m09) {
    version = '0.9.x';
    [, prefix, tenant, type] = m09 as unknown as [string, string | undefined, string, string];
  } else if (m08) {
    version = '0.8.x';
    [, prefix, tenant, type] = m08 as unknown as [string, string | undefined, string, string];
  } else {
    return null;
  }
  if (ENDS_IN_PARTITION_RE.test(type)) return null; // an index name, not an alias
  const context = contextOf(prefix);
  if (!contextFits(version, type, context)) return null;
  return {
    tenant,
    version,
    dbVersion: version === '0.8.x' ? '0820' : '09x',
    context,
    type,
    known: typeKind(version, type) !== null,
  };
}

/** Parse a template name of either version; null otherwise. Templates exist for partitioned types only. */
export function parseTemplateName(name: string): Omit<ParsedName, 'partition'> | null {
  const m = TEMPLATE_RE.exec(name);
  if (!m) return null;
  const [, prefix, db, tenant, type] = m as unknown as [string, string | undefined, DbVersion, string, string];
  const version = versionOfDbVersion(db);
  if (version === null || ENDS_IN_PARTITION_RE.test(type)) return null;
  const kind = typeKind(version, type);
  if (kind !== null && kind !== 'partitioned') return null;
  return { tenant, version, dbVersion: db, context: contextOf(prefix), type, known: kind !== null };
}

export interface TenantGroups<T> {
  /** Tenant → its items with their parsed names, in input order. */
  tenants: Map<string, { item: T; parsed: ParsedName }[]>;
  /** Items whose name is not a tenant index (system indices, other applications). */
  other: T[];
}

/**
 * Group items (e.g. `_cat/indices` rows) by the tenant their index name carries. `parse` is
 * parseIndexName or a cache of its answers (the capacity service keeps one per instance).
 */
export function groupByTenant<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  parse: (name: string) => ParsedName | null = parseIndexName,
): TenantGroups<T> {
  const groups: TenantGroups<T> = { tenants: new Map(), other: [] };
  for (const item of items) {
    const parsed = parse(nameOf(item));
    if (parsed === null) {
      groups.other.push(item);
      continue;
    }
    const list = groups.tenants.get(parsed.tenant);
    if (list) list.push({ item, parsed });
    else groups.tenants.set(parsed.tenant, [{ item, parsed }]);
  }
  return groups;
}

export interface PartitionRange {
  period: PartitionPeriod;
  /** UTC milliseconds: the first instant the partition covers, and the first it no longer covers. */
  startMs: number;
  endMs: number;
}

/**
 * Period and time range of a partition suffix (without the leading dash): `2026-3` a month,
 * `2026-q4` a quarter, `2026-year` a year, more digits (or a 2-digit number over 12) a day or finer.
 * A day-or-finer range is read as the day its leading digits name (`2026-1211` is 11 December; the
 * same digits may be an hour of 1 February, a name cannot say). Null for anything else.
 */
export function parsePartition(partition: string): PartitionRange | null {
  // A cluster has a handful of distinct suffixes, each on thousands of indices: each is read once.
  const known = PARTITIONS.get(partition);
  if (known !== undefined) return known;
  const range = readPartition(partition);
  if (PARTITIONS.size >= MAX_REMEMBERED_PARTITIONS) PARTITIONS.clear();
  PARTITIONS.set(partition, range === null ? null : Object.freeze(range));
  return range;
}

/** Suffix → its range (frozen: shared by every caller), or null. */
const PARTITIONS = new Map<string, PartitionRange | null>();
const MAX_REMEMBERED_PARTITIONS = 10_000;

function readPartition(partition: string): PartitionRange | null {
  const m = /^(\d{4})-(q[1-4]|year|\d{1,12})$/.exec(partition);
  if (!m) return null;
  const y = Number(m[1]);
  const rest = m[2] as string;
  if (rest === 'year') return { period: 'year', startMs: Date.UTC(y, 0, 1), endMs: Date.UTC(y + 1, 0, 1) };
  if (rest.startsWith('q')) {
    const q = Number(rest.slice(1));
    return { period: 'quarter', startMs: Date.UTC(y, 3 * (q - 1), 1), endMs: Date.UTC(y, 3 * q, 1) };
  }
  const n = Number(rest);
  if (rest.length <= 2 && !rest.startsWith('0') && n >= 1 && n <= 12)
    return { period: 'month', startMs: Date.UTC(y, n - 1, 1), endMs: Date.UTC(y, n, 1) };
  // Day or finer: a month (two digits 10-12 first, when what follows still starts a day) then a day.
  for (const monthDigits of [2, 1]) {
    const month = Number(rest.slice(0, monthDigits));
    const dayText = rest.slice(monthDigits, monthDigits + 2);
    const day = dayText.length === 2 && Number(dayText) > 31 ? Number(dayText[0]) : Number(dayText);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && !rest.startsWith('0')) {
      const startMs = Date.UTC(y, month - 1, day);
      return { period: 'day', startMs, endMs: startMs + 86_400_000 };
    }
  }
  return null;
}
