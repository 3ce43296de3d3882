/**
 * Install status verification: for each tenant, where its domains point (DNS), what the instance
 * says (`GET /install` with the tenant's Host) and what Elasticsearch holds (its indices, aliases and
 * templates), reduced to ONE status with a one-line summary. See docs/verification.md.
 *
 * Cost model: per instance a fixed number of requests for the whole run (one Elasticsearch listing
 * of 3 requests, one reference-host lookup, one keychain listing); per tenant two DNS lookups and one
 * HTTP probe, run through a bounded pool.
 */
import type { Client } from '@elastic/elasticsearch';
import { ConsoleError, toConsoleError } from '../../shared/errors';
import { parseIndexName } from '../../shared/index-naming';
import type { Instance } from '../../shared/instance';
import {
  VERIFY_STATUSES,
  type DnsEvidence,
  type EsEvidence,
  type InstallEvidence,
  type TenantRecord,
  type TokenEvidence,
  type VerificationResult,
  type VerifyStatus,
} from '../../shared/tenant';
import { expectedArtifacts } from '../../shared/version-profiles';
import { DnsLookupError, normaliseAddress, normaliseHost, type Resolver } from './dns';
import { classifyEsError } from './es-client';
import { accountFor } from './keychain';
import type { TracardiTarget } from './tracardi-client';

// ---------------------------------------------------------------------------------------------
// Dependencies (structural, so any implementation with these methods fits)

export interface VerifyInstances {
  list(): Promise<{ instance: Instance }[]>;
}
export interface VerifyTenants {
  list(filter?: { instanceId?: string }): Promise<TenantRecord[]>;
  /**
   * Keeps results with their time (one store write per batch); sets state 'installed' the first
   * time a tenant is seen installed.
   */
  recordVerification(results: VerificationResult[]): Promise<unknown>;
}
export interface VerifyTracardi {
  getInstall(target: TracardiTarget, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<InstallEvidence>;
}
export interface VerifyAudit {
  record(entry: {
    action: string;
    outcome: 'ok' | 'refused' | 'failed';
    instanceId?: string;
    tenant?: string;
    detail?: string;
  }): Promise<unknown>;
}
/** Lists keychain accounts (never values): which tenants have a token stored. */
export interface VerifyTokenStore {
  list(prefix: string): Promise<string[]>;
}

export interface VerifyServiceDeps {
  instances: VerifyInstances;
  tenants: VerifyTenants;
  /** An Elasticsearch client for an instance (credentials from the keychain). */
  esClientFactory: (instance: Instance) => Promise<Client>;
  resolver: Resolver;
  tracardi: VerifyTracardi;
  audit?: VerifyAudit;
  /** When given, `token.inKeychain` is read with one listing per instance. */
  tokens?: VerifyTokenStore;
  clock?: () => Date;
  /** Tenants probed at once; default 16. */
  concurrency?: number;
  /** Timeout of each Tracardi probe; default 5000 ms. DNS and ES carry their own. */
  requestTimeoutMs?: number;
  /**
   * How often results are stored during a run; default every 30 s (and once at the end). The tenant
   * store rewrites its whole file per write, so a fleet run writes a few times, never per tenant.
   */
  recordIntervalMs?: number;
}

export type TenantRef = { instanceId: string; tenant: string };
export type VerifyScope = { tenant: TenantRef } | { instanceId: string } | { fleet: true } | { selection: TenantRef[] };

export interface VerifyProgress {
  done: number;
  total: number;
  result?: VerificationResult;
}

export interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** Overrides the service's concurrency for this run. */
  concurrency?: number;
}

export interface VerifyStats {
  tenants: number;
  instances: number;
  /** Elasticsearch requests sent by the run: 3 per instance with tenants in scope, whatever their number. */
  esRequests: number;
  esRequestsByInstance: Record<string, number>;
  durationMs: number;
  concurrency: number;
  byStatus: Record<VerifyStatus, number>;
  /** Instances whose Elasticsearch listing failed (their tenants are 'unreachable'). */
  instanceErrors: { instanceId: string; message: string }[];
  /** Results that could not be stored with the tenant record. */
  recordFailures: { instanceId: string; tenant: string; message: string }[];
}

export interface VerifyRun {
  results: VerificationResult[];
  stats: VerifyStats;
}

// ---------------------------------------------------------------------------------------------
// Pure parts: DNS verdict, artefact matching, status derivation

/** Addresses of each known instance, to name the instance a misrouted domain points at. */
export type KnownInstances = { instanceId: string; addresses: string[] }[];

/**
 * Verdict on one domain: ok when every address it resolves to is one of the instance's; misrouted
 * otherwise (naming another known instance when the address is one of its); failed without an answer.
 * With no expectation (none configured, or the reference host did not resolve) only a domain that
 * points at ANOTHER known instance is flagged; anything else is 'not-checked'.
 */
export function evaluateDns(
  domain: string,
  answer: { addresses: string[] } | { error: string },
  expected: string[] | null,
  known: KnownInstances,
  selfId: string,
): DnsEvidence {
  const exp = (expected ?? []).map(normaliseAddress);
  if ('error' in answer) return { domain, addresses: [], expected: exp, outcome: 'failed', error: answer.error };
  const addresses = answer.addresses.map(normaliseAddress);
  const foreign = addresses.filter((a) => !exp.includes(a));
  const other = known.find(
    (k) => k.instanceId !== selfId && foreign.some((a) => k.addresses.map(normaliseAddress).includes(a)),
  );
  if (other) return { domain, addresses, expected: exp, outcome: 'misrouted', pointsAtInstance: other.instanceId };
  if (exp.length === 0)
    return {
      domain,
      addresses,
      expected: exp,
      outcome: 'not-checked',
      ...(expected === null ? { error: 'expected addresses unknown' } : {}),
    };
  if (foreign.length > 0 || addresses.length === 0) return { domain, addresses, expected: exp, outcome: 'misrouted' };
  return { domain, addresses, expected: exp, outcome: 'ok' };
}

/** One Elasticsearch listing of an instance: names only, fetched once per run. */
export interface EsListing {
  indices: Set<string>;
  /** `${context}|${dbVersion}|${tenant}|${type}` of every partitioned index present. */
  partitionFamilies: Set<string>;
  aliases: Set<string>;
  templates: Set<string>;
}

export function buildListing(indices: string[], aliases: string[], templates: string[]): EsListing {
  const partitionFamilies = new Set<string>();
  for (const name of indices) {
    const p = parseIndexName(name);
    if (p?.partition !== undefined) partitionFamilies.add(`${p.context}|${p.dbVersion}|${p.tenant}|${p.type}`);
  }
  return { indices: new Set(indices), partitionFamilies, aliases: new Set(aliases), templates: new Set(templates) };
}

/** Which of the tenant's expected artefacts the listing holds. Any partition counts for a partitioned type. */
export function evaluateEs(tenant: string, version: Instance['tracardiVersion'], listing: EsListing): EsEvidence {
  const exp = expectedArtifacts(tenant, version);
  const db = version === '0.8.x' ? '0820' : '09x';
  const missing: string[] = [];
  let indicesFound = 0;
  for (const name of exp.plainIndices) {
    if (listing.indices.has(name)) indicesFound++;
    else missing.push(name);
  }
  for (const p of exp.partitionedTypes) {
    if (listing.partitionFamilies.has(`${p.context}|${db}|${tenant}|${p.type}`)) indicesFound++;
    else missing.push(`${p.indexPrefix}-*`);
  }
  const aliasesFound = exp.aliases.filter((a) => listing.aliases.has(a) || (missing.push(a), false)).length;
  const templatesFound = exp.templates.filter((t) => listing.templates.has(t) || (missing.push(t), false)).length;
  const indicesExpected = exp.plainIndices.length + exp.partitionedTypes.length;
  const expectedTotal = indicesExpected + exp.aliases.length + exp.templates.length;
  const found = indicesFound + aliasesFound + templatesFound;
  const outcome = found === expectedTotal ? 'complete' : found === 0 ? 'none' : 'partial';
  return {
    outcome,
    indicesExpected,
    indicesFound,
    aliasesExpected: exp.aliases.length,
    aliasesFound,
    templatesExpected: exp.templates.length,
    templatesFound,
    missing: missing.slice(0, 20),
  };
}

/** ES evidence when the listing could not be read. */
export function esCouldNotTell(error: string, tenant?: string, version?: Instance['tracardiVersion']): EsEvidence {
  const exp = tenant && version ? expectedArtifacts(tenant, version) : null;
  return {
    outcome: 'could-not-tell',
    indicesExpected: exp ? exp.plainIndices.length + exp.partitionedTypes.length : 0,
    indicesFound: 0,
    aliasesExpected: exp?.aliases.length ?? 0,
    aliasesFound: 0,
    templatesExpected: exp?.templates.length ?? 0,
    templatesFound: 0,
    missing: [],
    error,
  };
}

export interface StatusInput {
  record: Pick<TenantRecord, 'state'> & Partial<Pick<TenantRecord, 'installedAt' | 'handedOverAt' | 'revokedAt'>>;
  dns: { api: DnsEvidence; gui: DnsEvidence };
  install: InstallEvidence;
  es: EsEvidence;
  token: TokenEvidence;
}

/**
 * Status precedence, first match wins (docs/verification.md):
 * misrouted > unreachable > drift > installed > partial > revoked > expired > unknown-to-instance >
 * handed-over > registered.
 */
export const STATUS_PRECEDENCE: readonly VerifyStatus[] = [
  'misrouted',
  'unreachable',
  'drift',
  'installed',
  'partial',
  'revoked',
  'expired',
  'unknown-to-instance',
  'handed-over',
  'registered',
];

/** One status and a one-line reason from the evidence. Pure. */
export function deriveStatus(input: StatusInput): { status: VerifyStatus; summary: string } {
  const { record, dns, install, es, token } = input;
  const domains = [
    ['API', dns.api],
    ['GUI', dns.gui],
  ] as const;

  const misrouted = domains.find(([, d]) => d.outcome === 'misrouted');
  if (misrouted) {
    const [which, d] = misrouted;
    const where = d.pointsAtInstance ? `instance "${d.pointsAtInstance}"` : 'an address that is not this instance';
    const addrs = d.addresses.length ? d.addresses.join(', ') : 'nothing';
    return {
      status: 'misrouted',
      summary: `${which} domain ${d.domain} resolves to ${addrs}: ${where} (expected ${d.expected.join(', ') || '?'}).`,
    };
  }

  const dnsFailed = domains.find(([, d]) => d.outcome === 'failed');
  if (install.outcome === 'could-not-tell') {
    return {
      status: 'unreachable',
      summary: `Could not tell: Tracardi GET /install ${install.error ?? 'gave no usable answer'}.`,
    };
  }
  if (es.outcome === 'could-not-tell') {
    return {
      status: 'unreachable',
      summary: `Could not tell: Elasticsearch listing failed (${es.error ?? 'no answer'}).`,
    };
  }
  if (dnsFailed) {
    const [which, d] = dnsFailed;
    const state = install.outcome === 'installed' ? 'installed, but its' : 'its';
    return {
      status: 'unreachable',
      summary: `Tenant is ${state} ${which} domain gives no address: ${d.error ?? d.domain}.`,
    };
  }

  const saysInstalled = install.outcome === 'installed';
  const wasInstalled = record.state === 'installed' || record.installedAt !== undefined;
  const artefacts = `${es.indicesFound}/${es.indicesExpected} indices, ${es.aliasesFound}/${es.aliasesExpected} aliases, ${es.templatesFound}/${es.templatesExpected} templates`;
  const firstMissing = es.missing.slice(0, 3).join(', ');

  if ((wasInstalled || saysInstalled) && !(saysInstalled && es.outcome === 'complete')) {
    const since = record.installedAt ? ` (installed ${record.installedAt.slice(0, 10)})` : '';
    if (es.outcome !== 'complete') {
      const who = saysInstalled ? 'Tracardi reports installed' : 'Was installed' + since;
      return { status: 'drift', summary: `${who}, but artefacts are missing: ${artefacts}; e.g. ${firstMissing}.` };
    }
    return { status: 'drift', summary: `Was installed${since}, but Tracardi now reports ${describeInstall(install)}.` };
  }
  if (saysInstalled) return { status: 'installed', summary: `Installed: schema and admin ok; ${artefacts}.` };

  if (es.outcome === 'partial' || es.outcome === 'complete') {
    return {
      status: 'partial',
      summary: `Partly installed: ${artefacts}; Tracardi reports ${describeInstall(install)}.`,
    };
  }
  if (record.state === 'revoked') {
    return {
      status: 'revoked',
      summary: `Token revoked${record.revokedAt ? ` on ${record.revokedAt.slice(0, 10)}` : ''}; not installed.`,
    };
  }
  if (token.expired) {
    return {
      status: 'expired',
      summary: `Not installed and the installation token expired${token.expiresAt ? ` on ${token.expiresAt.slice(0, 10)}` : ''}; rotate it to hand over a new one.`,
    };
  }
  if (install.outcome === 'unknown-tenant') {
    return {
      status: 'unknown-to-instance',
      summary: `The instance does not accept this tenant: ${describeInstall(install)}.`,
    };
  }
  if (record.state === 'handed-over') {
    return {
      status: 'handed-over',
      summary: `Token handed over${record.handedOverAt ? ` on ${record.handedOverAt.slice(0, 10)}` : ''}; not installed yet.`,
    };
  }
  return { status: 'registered', summary: 'Registered; token not handed over; not installed.' };
}

function describeInstall(i: InstallEvidence): string {
  if (i.outcome === 'unknown-tenant') {
    const why = i.warnings?.length
      ? i.warnings.join('; ')
      : (i.error ?? (i.formOk === false ? 'form_ok=false' : 'tenant unknown'));
    return `unknown tenant (${why.slice(0, 160)})`;
  }
  return `schema_ok=${String(i.schemaOk ?? null)}, admin_ok=${String(i.adminOk ?? null)}`;
}

/** Runs `work` over `items` with at most `limit` at once; stops taking new items once `signal` aborts. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

// ---------------------------------------------------------------------------------------------
// The service

/** What a tenant's own requests found. */
interface Probed {
  dns: { api: DnsEvidence; gui: DnsEvidence };
  install: InstallEvidence;
}

/** Per-instance facts fetched once per run. */
interface InstanceContext {
  instance: Instance;
  expected: Promise<{ addresses: string[] | null; error?: string }>;
  listing: Promise<EsListing | { error: string }>;
  tokens: Promise<Set<string> | null>;
}

/** Names the Elasticsearch listing fetches: every Tracardi index, alias and template has `.tracardi-`. */
const TRACARDI_NAMES = '*.tracardi-*';

export class VerifyService {
  private readonly deps: VerifyServiceDeps;
  private readonly clock: () => Date;
  readonly concurrency: number;
  readonly requestTimeoutMs: number;

  constructor(deps: VerifyServiceDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? (() => new Date());
    this.concurrency = Math.max(1, Math.floor(deps.concurrency ?? 16));
    this.requestTimeoutMs = deps.requestTimeoutMs ?? 5000;
  }

  /** Verify the tenants in scope. Per-tenant failures become statuses; only scope errors and cancellation throw. */
  async verify(scope: VerifyScope, options: VerifyOptions = {}): Promise<VerifyRun> {
    const started = performance.now();
    const { instances, targets } = await this.resolveScope(scope);
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? this.concurrency));
    const stats: VerifyStats = {
      tenants: targets.length,
      instances: new Set(targets.map((t) => t.instanceId)).size,
      esRequests: 0,
      esRequestsByInstance: {},
      durationMs: 0,
      concurrency,
      byStatus: Object.fromEntries(VERIFY_STATUSES.map((s) => [s, 0])) as Record<VerifyStatus, number>,
      instanceErrors: [],
      recordFailures: [],
    };
    const run = new RunState(this.deps, instances, stats, options.signal);
    const recorder = new BatchRecorder(this.deps.tenants, this.deps.recordIntervalMs ?? 30_000, stats);
    const results: VerificationResult[] = new Array(targets.length);
    let done = 0;
    options.onProgress?.({ done, total: targets.length });

    try {
      // A pool slot is held only for a tenant's own requests; joining them with the instance's ES
      // listing happens outside the pool, so a slow listing does not stall the probes.
      const completing: Promise<void>[] = [];
      await runPool(
        targets,
        concurrency,
        async (record, index) => {
          const ctx = run.context(record.instanceId);
          const checkedAt = this.clock();
          const probed = ctx ? await this.probe(record, ctx, run, options.signal) : null;
          completing.push(
            this.complete(record, ctx, probed, checkedAt).then((result) => {
              results[index] = result;
              stats.byStatus[result.status]++;
              recorder.add(result);
              done++;
              options.onProgress?.({ done, total: targets.length, result });
            }),
          );
        },
        options.signal,
      );
      await Promise.all(completing);
      // Results verified before a cancellation are kept too.
      await recorder.flush();
      if (options.signal?.aborted) {
        throw new ConsoleError('invalid-state', `Verification cancelled after ${done} of ${targets.length} tenants.`);
      }
    } catch (err) {
      stats.durationMs = Math.round(performance.now() - started);
      await this.audit(scope, stats, 'failed', toConsoleError(err).message);
      throw err;
    } finally {
      await run.close();
    }
    stats.durationMs = Math.round(performance.now() - started);
    stats.instanceErrors = run.instanceErrors();
    await this.audit(scope, stats, 'ok');
    return { results, stats };
  }

  /** The per-tenant requests (two DNS lookups, one GET /install): what holds a pool slot. */
  private async probe(
    record: TenantRecord,
    ctx: InstanceContext,
    run: RunState,
    signal?: AbortSignal,
  ): Promise<Probed> {
    const [api, gui, install] = await Promise.all([
      this.checkDomain(record.apiDomain, ctx, run),
      this.checkDomain(record.guiDomain, ctx, run),
      this.deps.tracardi
        .getInstall(
          { apiUrl: ctx.instance.apiUrl, tenantHost: record.apiDomain },
          { timeoutMs: this.requestTimeoutMs, ...(signal ? { signal } : {}) },
        )
        .catch((err: unknown): InstallEvidence => {
          if (signal?.aborted) throw err;
          return { outcome: 'could-not-tell', error: toConsoleError(err).message };
        }),
    ]);
    return { dns: { api, gui }, install };
  }

  /** Joins the probes with the instance's listing and token accounts (fetched once per run) and derives the status. */
  private async complete(
    record: TenantRecord,
    ctx: InstanceContext | undefined,
    probed: Probed | null,
    checkedAt: Date,
  ): Promise<VerificationResult> {
    if (!ctx || !probed) {
      const notChecked = (domain: string): DnsEvidence => ({
        domain,
        addresses: [],
        expected: [],
        outcome: 'not-checked',
      });
      return this.result(record, checkedAt, {
        dns: { api: notChecked(record.apiDomain), gui: notChecked(record.guiDomain) },
        install: { outcome: 'could-not-tell', error: `instance "${record.instanceId}" is not configured` },
        es: esCouldNotTell('instance not configured'),
        token: this.tokenEvidence(record, checkedAt, null),
      });
    }
    const { instance } = ctx;
    const [listing, tokens] = await Promise.all([ctx.listing, ctx.tokens]);
    const es =
      'error' in listing
        ? esCouldNotTell(listing.error, record.tenant, instance.tracardiVersion)
        : evaluateEs(record.tenant, instance.tracardiVersion, listing);
    return this.result(record, checkedAt, { ...probed, es, token: this.tokenEvidence(record, checkedAt, tokens) });
  }

  private result(record: TenantRecord, checkedAt: Date, evidence: VerificationResult['evidence']): VerificationResult {
    const { status, summary } = deriveStatus({ record, ...evidence });
    return {
      instanceId: record.instanceId,
      tenant: record.tenant,
      status,
      summary,
      checkedAt: checkedAt.toISOString(),
      evidence,
    };
  }

  private async checkDomain(domain: string, ctx: InstanceContext, run: RunState): Promise<DnsEvidence> {
    const [answer, expected] = await Promise.all([run.lookup(domain), ctx.expected]);
    let verdict = evaluateDns(domain, answer, expected.addresses, [], ctx.instance.id);
    // Only a domain that is not where it should be needs the other instances' addresses.
    if (verdict.outcome === 'misrouted' || verdict.outcome === 'not-checked') {
      verdict = evaluateDns(domain, answer, expected.addresses, await run.knownInstances(), ctx.instance.id);
    }
    if (expected.error && verdict.outcome === 'not-checked') verdict.error = expected.error;
    return verdict;
  }

  private tokenEvidence(record: TenantRecord, now: Date, stored: Set<string> | null): TokenEvidence {
    const expiresAt = record.tokenExpiresAt;
    const expired = expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
    return { expiresAt, expired, inKeychain: stored?.has(record.tenant) ?? false };
  }

  private async resolveScope(scope: VerifyScope): Promise<{ instances: Instance[]; targets: TenantRecord[] }> {
    const instances = (await this.deps.instances.list()).map((s) => s.instance);
    const byId = new Map(instances.map((i) => [i.id, i]));
    const needInstance = (id: string): void => {
      if (!byId.has(id))
        throw new ConsoleError('not-found', `No instance "${id}"; known: ${[...byId.keys()].join(', ') || 'none'}.`, {
          instanceId: id,
        });
    };
    let targets: TenantRecord[];
    if ('fleet' in scope) {
      targets = await this.deps.tenants.list();
    } else if ('instanceId' in scope) {
      needInstance(scope.instanceId);
      targets = await this.deps.tenants.list({ instanceId: scope.instanceId });
    } else {
      const refs = 'tenant' in scope ? [scope.tenant] : scope.selection;
      const ids = [...new Set(refs.map((r) => r.instanceId))];
      ids.forEach(needInstance);
      const records = new Map<string, TenantRecord>();
      for (const id of ids)
        for (const r of await this.deps.tenants.list({ instanceId: id })) records.set(`${r.instanceId}/${r.tenant}`, r);
      const missing = refs.filter((r) => !records.has(`${r.instanceId}/${r.tenant}`));
      if (missing.length) {
        const names = missing
          .slice(0, 5)
          .map((r) => `${r.instanceId}/${r.tenant}`)
          .join(', ');
        const first = missing[0]!;
        throw new ConsoleError(
          'not-found',
          `No tenant ${names}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}.`,
          { instanceId: first.instanceId, tenant: first.tenant },
        );
      }
      const seen = new Set<string>();
      targets = refs.flatMap((r) => {
        const key = `${r.instanceId}/${r.tenant}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [records.get(key)!];
      });
    }
    targets.sort((a, b) => a.instanceId.localeCompare(b.instanceId) || a.tenant.localeCompare(b.tenant));
    return { instances, targets };
  }

  private async audit(scope: VerifyScope, stats: VerifyStats, outcome: 'ok' | 'failed', error?: string): Promise<void> {
    if (!this.deps.audit) return;
    const counts = VERIFY_STATUSES.filter((s) => stats.byStatus[s] > 0).map((s) => `${s} ${stats.byStatus[s]}`);
    const what =
      'fleet' in scope
        ? 'fleet'
        : 'instanceId' in scope
          ? `instance ${scope.instanceId}`
          : 'tenant' in scope
            ? 'one tenant'
            : `selection of ${scope.selection.length}`;
    const detail = `${what}: ${stats.tenants} tenants on ${stats.instances} instances${counts.length ? ` (${counts.join(', ')})` : ''}; ${stats.esRequests} ES requests; ${stats.durationMs} ms${error ? `; ${error}` : ''}`;
    const entry: Parameters<VerifyAudit['record']>[0] = { action: 'verify', outcome, detail };
    if ('instanceId' in scope) entry.instanceId = scope.instanceId;
    if ('tenant' in scope) Object.assign(entry, scope.tenant);
    try {
      await this.deps.audit.record(entry);
    } catch {
      // The audit entry is best effort for a read-only check; the results are what the operator asked for.
    }
  }
}

/**
 * Stores results in batches, one write at a time, in the background of the run: at most one write
 * per interval (a long run keeps what it verified if it is interrupted) and one at the end.
 */
class BatchRecorder {
  private pending: VerificationResult[] = [];
  private chain: Promise<void> = Promise.resolve();
  private lastWrite = performance.now();

  constructor(
    private readonly tenants: VerifyTenants,
    private readonly intervalMs: number,
    private readonly stats: VerifyStats,
  ) {}

  add(result: VerificationResult): void {
    this.pending.push(result);
    if (performance.now() - this.lastWrite >= this.intervalMs) void this.write();
  }

  /** Writes what is pending and waits for every write so far. */
  async flush(): Promise<void> {
    await this.write();
  }

  private write(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.lastWrite = performance.now();
    if (batch.length > 0) {
      this.chain = this.chain.then(async () => {
        try {
          await this.tenants.recordVerification(batch);
        } catch (err) {
          const message = toConsoleError(err).message;
          for (const r of batch)
            this.stats.recordFailures.push({ instanceId: r.instanceId, tenant: r.tenant, message });
        }
      });
    }
    return this.chain;
  }
}

/** Everything a run fetches once and shares between tenants: per-instance facts, DNS answers, clients. */
class RunState {
  private readonly contexts = new Map<string, InstanceContext>();
  private readonly dnsAnswers = new Map<string, Promise<{ addresses: string[] } | { error: string }>>();
  private readonly expected = new Map<string, Promise<{ addresses: string[] | null; error?: string }>>();
  private readonly clients: Promise<Client>[] = [];
  private readonly errors: { instanceId: string; message: string }[] = [];
  private known: Promise<KnownInstances> | undefined;

  constructor(
    private readonly deps: VerifyServiceDeps,
    private readonly instances: Instance[],
    private readonly stats: VerifyStats,
    private readonly signal?: AbortSignal,
  ) {}

  context(instanceId: string): InstanceContext | undefined {
    const existing = this.contexts.get(instanceId);
    if (existing) return existing;
    const instance = this.instances.find((i) => i.id === instanceId);
    if (!instance) return undefined;
    const ctx: InstanceContext = {
      instance,
      expected: this.expectedAddresses(instance),
      listing: this.listing(instance),
      tokens: this.tokenAccounts(instance),
    };
    this.contexts.set(instanceId, ctx);
    return ctx;
  }

  /** One answer per host per run (a GUI domain shared by tenants is looked up once). */
  lookup(host: string): Promise<{ addresses: string[] } | { error: string }> {
    const key = normaliseHost(host);
    let answer = this.dnsAnswers.get(key);
    if (!answer) {
      answer = this.deps.resolver.resolve(key).then(
        (addresses) => (addresses.length ? { addresses } : { error: `${key} has no A or AAAA record` }),
        (err: unknown) => ({
          error: err instanceof DnsLookupError || err instanceof Error ? err.message : String(err),
        }),
      );
      this.dnsAnswers.set(key, answer);
    }
    return answer;
  }

  /** Every configured instance's expected addresses, for naming the target of a misrouted domain. */
  knownInstances(): Promise<KnownInstances> {
    this.known ??= Promise.all(
      this.instances.map(async (instance) => ({
        instanceId: instance.id,
        addresses: (await this.expectedAddresses(instance)).addresses ?? [],
      })),
    );
    return this.known;
  }

  instanceErrors(): { instanceId: string; message: string }[] {
    return [...this.errors];
  }

  async close(): Promise<void> {
    const settled = await Promise.allSettled(this.clients);
    await Promise.allSettled(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])));
  }

  /** The configured addresses, or the reference host's: resolved once per instance per run. */
  private expectedAddresses(instance: Instance): Promise<{ addresses: string[] | null; error?: string }> {
    let found = this.expected.get(instance.id);
    if (!found) {
      const host = instance.referenceHost;
      found =
        instance.expectedAddresses.length > 0 || !host
          ? Promise.resolve({ addresses: instance.expectedAddresses.map(normaliseAddress) })
          : this.lookup(host).then((a) =>
              'error' in a
                ? { addresses: null, error: `reference host ${host}: ${a.error}` }
                : { addresses: a.addresses },
            );
      this.expected.set(instance.id, found);
    }
    return found;
  }

  /** The fixed cost per instance: three name listings, trimmed to names with `.tracardi-`. */
  private async listing(instance: Instance): Promise<EsListing | { error: string }> {
    const count = (): void => {
      this.stats.esRequests++;
      this.stats.esRequestsByInstance[instance.id] = (this.stats.esRequestsByInstance[instance.id] ?? 0) + 1;
    };
    this.stats.esRequestsByInstance[instance.id] ??= 0;
    const opts = this.signal ? { signal: this.signal } : {};
    try {
      const clientPromise = this.deps.esClientFactory(instance);
      this.clients.push(clientPromise);
      const client = await clientPromise;
      count();
      const indices = client.cat.indices(
        { index: TRACARDI_NAMES, h: 'index', format: 'json', expand_wildcards: 'all' },
        opts,
      );
      count();
      const aliases = client.cat.aliases(
        { name: TRACARDI_NAMES, h: 'alias', format: 'json', expand_wildcards: 'all' },
        opts,
      );
      count();
      // A wildcard that matches no template answers 404 (with an empty list): that is "none", not a failure.
      const templates = client.indices.getIndexTemplate(
        { name: TRACARDI_NAMES, filter_path: 'index_templates.name' },
        { ...opts, ignore: [404] },
      );
      const [i, a, t] = await Promise.all([indices, aliases, templates]);
      return buildListing(
        i.map((r) => r.index ?? '').filter(Boolean),
        a.map((r) => r.alias ?? '').filter(Boolean),
        (t.index_templates ?? []).map((x) => x.name),
      );
    } catch (err) {
      const message = classifyEsError(err, instance).message;
      this.errors.push({ instanceId: instance.id, message });
      return { error: message };
    }
  }

  private async tokenAccounts(instance: Instance): Promise<Set<string> | null> {
    if (!this.deps.tokens) return null;
    const prefix = accountFor.tokenPrefix(instance.id);
    try {
      const accounts = await this.deps.tokens.list(prefix);
      return new Set(accounts.map((a) => a.slice(prefix.length)));
    } catch {
      return null; // a locked keychain does not stop a verification; inKeychain reads false
    }
  }
}
