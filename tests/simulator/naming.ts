// The simulator's own reading of tracardi-contract.md sections 1 and 4. Deliberately written without
// looking at shared/: two independent implementations of the same rules catch each other's bugs.
import { createHash } from 'node:crypto';

export type SimVersion = '0.8.x' | '0.9.x';
export type Context = 'staging' | 'production';
/** Tracardi's period values that make names Elasticsearch accepts (0.8.2's day/hour forms contain `/`). */
export type Partitioning = 'month' | 'quarter' | 'year';

/** Which character set a Tracardi build keeps from the first host label (contract section 1 table). */
export type HostRule = 'documented' | 'letters-only';

export type TenantResult = { ok: true; tenant: string } | { ok: false; reason: string };

const LOCAL_HOSTS = new Set(['localhost', '0.0.0.0', '127.0.0.1']);

/** First 5 hex digits of md5(db_version): the default tenant of a single-tenant instance. */
export function defaultTenantFor(dbVersion: string): string {
  return createHash('md5').update(dbVersion).digest('hex').slice(0, 5);
}

/** Drops the port from a Host header value (IPv6 literals keep their brackets). */
export function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  return host.replace(/:\d*$/, '');
}

/** Tenant from a Host header, contract section 1; `defaultTenant` serves the local names. */
export function tenantFromHost(
  hostHeader: string | undefined,
  defaultTenant: string,
  rule: HostRule = 'documented',
): TenantResult {
  const raw = stripPort((hostHeader ?? '').trim());
  // The documented rule lower-cases first; the letters-only code (f64b8433) does not.
  const host = rule === 'documented' ? raw.toLowerCase() : raw;
  if (LOCAL_HOSTS.has(host.toLowerCase())) return { ok: true, tenant: defaultTenant };
  const labels = host.split('.');
  if (labels.length < 3) return { ok: false, reason: `Hostname ${raw} must have 3 parts.` };
  const first = labels[0] ?? '';
  const tenant = rule === 'documented' ? first.replace(/[^a-z0-9]/g, '') : first.replace(/[^a-z]/g, '');
  if (tenant.length < 3)
    return { ok: false, reason: `Tenant name [${tenant}] from host ${raw} is shorter than 3 characters.` };
  if (/^[0-9]+$/.test(tenant)) return { ok: false, reason: `Tenant name [${tenant}] from host ${raw} is only digits.` };
  return { ok: true, tenant };
}

/** Name prefix of a context; `static` indices are shared by both contexts. */
export function contextPrefix(context: Context | 'static'): string {
  return context === 'production' ? 'prod-' : context === 'static' ? 'static-' : '';
}

/** Partition suffix for a date: `-{YYYY}-{M}` (month, not zero padded), `-{YYYY}-q{Q}`, `-{YYYY}-year`. */
export function partitionSuffix(date: Date, partitioning: Partitioning): string {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  if (partitioning === 'year') return `-${year}-year`;
  return partitioning === 'month' ? `-${year}-${month}` : `-${year}-q${Math.ceil(month / 3)}`;
}

/** Matches `{base}-{YYYY}-{M}`, `{base}-{YYYY}-q{Q}` and `{base}-{YYYY}-year` for one exact base name. */
export function isPartitionOf(index: string, base: string): boolean {
  if (!index.startsWith(`${base}-`)) return false;
  return /^-\d{4}-(?:[1-9]|1[0-2]|q[1-4]|year)$/.test(index.slice(base.length));
}

/** Builds the names of one tenant's artefacts for one db_version. */
export class TenantNames {
  constructor(
    readonly dbVersion: string,
    readonly tenant: string,
    /** 0.9 aliases carry the db_version, 0.8.2 aliases do not. */
    readonly aliasHasVersion: boolean,
  ) {}

  /** Index name without partition suffix: `[prod-|static-]{db}.{tenant}.tracardi-{type}`. */
  index(context: Context | 'static', type: string): string {
    return `${contextPrefix(context)}${this.dbVersion}.${this.tenant}.tracardi-${type}`;
  }

  alias(context: Context | 'static', type: string): string {
    const version = this.aliasHasVersion ? `${this.dbVersion}.` : '';
    return `${contextPrefix(context)}${version}${this.tenant}.tracardi-${type}`;
  }

  /** `[prod-]template.{db}.{tenant}.tracardi-{type}` (the contract gives no static templates). */
  template(context: Context, type: string): string {
    return `${contextPrefix(context)}template.${this.dbVersion}.${this.tenant}.tracardi-${type}`;
  }

  /** Wildcard patterns that cover every index and alias of this tenant, and nothing of another tenant. */
  indexPatterns(): string[] {
    const contexts = ['staging', 'production', 'static'] as const;
    const out = new Set<string>();
    for (const c of contexts) {
      out.add(`${this.index(c, '*')}`);
      out.add(`${this.alias(c, '*')}`);
    }
    return [...out];
  }

  templatePatterns(): string[] {
    return [this.template('staging', '*'), this.template('production', '*')];
  }
}
