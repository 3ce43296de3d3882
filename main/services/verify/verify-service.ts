/**
 * Install status verification: for each tenant, where its domains point (DNS), who answers on the
 * instance's API URL (`GET /info/version/details`), what the instance says (`GET /install` with the
 * tenant's Host; with no tenant Host on a single-tenant instance) and what Elasticsearch holds (its
 * indices, aliases and templates), reduced to ONE status with a one-line summary. See
 * docs/verification.md.
 *
 * Cost model: per instance a fixed number of requests for the whole run (one Elasticsearch listing
 * of 3 requests, one reference-host lookup, one keychain listing, one identity request where the
 * answer ignores the Host); per tenant two DNS lookups and one HTTP probe (two on a multi-tenant 0.9,
 * whose identity answer names the Host's tenant), run through a bounded pool.
 */
import { countOf, groupDigits } from '../../../shared/text/counts';
import { ConsoleError, toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import {
  VERIFY_STATUSES,
  type DnsEvidence,
  type IdentityEvidence,
  type InstallEvidence,
  type TenantRecord,
  type TokenEvidence,
  type VerificationResult,
  type VerifyStatus,
} from '../../../shared/tenants/tenant';
import { BatchRecorder } from './batch-recorder';
import { deriveStatus, esCouldNotTell, evaluateDns, evaluateEs } from './evaluate';
import { evaluateIdentity, expectedIdentity, identityPlan, keepsMysql } from './identity';
import { runPool } from './pool';
import { RunState, type InstanceContext } from './run-state';
import type { VerifyAudit, VerifyOptions, VerifyRun, VerifyScope, VerifyServiceDeps, VerifyStats } from './types';

/** What a tenant's own requests found. */
interface Probed {
  dns: { api: DnsEvidence; gui: DnsEvidence };
  install: InstallEvidence;
  identity: IdentityEvidence;
}

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
      identityRequests: 0,
      identityRequestsByInstance: {},
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
      if (options.audit !== false) await this.audit(scope, stats, 'failed', toConsoleError(err).message);
      throw err;
    } finally {
      await run.close();
    }
    stats.durationMs = Math.round(performance.now() - started);
    stats.instanceErrors = run.instanceErrors();
    if (options.audit !== false) await this.audit(scope, stats, 'ok');
    return { results, stats };
  }

  /**
   * The per-tenant requests (two DNS lookups, one GET /install, and the identity request where it
   * is per tenant; the per-instance one is shared): what holds a pool slot.
   */
  private async probe(
    record: TenantRecord,
    ctx: InstanceContext,
    run: RunState,
    signal?: AbortSignal,
  ): Promise<Probed> {
    const { instance } = ctx;
    const plan = identityPlan(instance);
    // A single-tenant instance ignores the Host: ask it plainly, as the API URL names it.
    const host = plan.tenantHost ? record.apiDomain : null;
    const expected = expectedIdentity(instance, record.tenant);
    // A record of another tenant than the one a single-tenant instance serves: asking /install would
    // only report on the served tenant, so it is not asked.
    const notServed = expected.tenancy === 'single-tenant' && expected.name !== record.tenant;
    const [api, gui, install, asked] = await Promise.all([
      this.checkDomain(record.apiDomain, ctx, run),
      this.checkDomain(record.guiDomain, ctx, run),
      notServed
        ? Promise.resolve<InstallEvidence>({
            outcome: 'unknown-tenant',
            error: `not asked: this single-tenant instance answers only for tenant "${expected.name}"`,
          })
        : this.deps.tracardi
            .getInstall(
              { apiUrl: instance.apiUrl, ...(host !== null ? { tenantHost: host } : {}) },
              { timeoutMs: this.requestTimeoutMs, mysqlDatabase: keepsMysql(instance), ...(signal ? { signal } : {}) },
            )
            .catch((err: unknown): InstallEvidence => {
              if (signal?.aborted) throw err;
              return { outcome: 'could-not-tell', error: toConsoleError(err).message };
            }),
      run.identity(instance, host, plan.perInstance, this.requestTimeoutMs),
    ]);
    const identity = evaluateIdentity(expected, asked.answer, {
      host: asked.host,
      perInstance: plan.perInstance,
      recordTenant: record.tenant,
    });
    return { dns: { api, gui }, install, identity };
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
    const counts = VERIFY_STATUSES.filter((s) => stats.byStatus[s] > 0).map(
      (s) => `${s} ${groupDigits(stats.byStatus[s])}`,
    );
    const what =
      'fleet' in scope
        ? 'fleet'
        : 'instanceId' in scope
          ? `instance ${scope.instanceId}`
          : 'tenant' in scope
            ? 'one tenant'
            : `selection of ${countOf(scope.selection.length, 'tenant')}`;
    const detail = `${what}: ${countOf(stats.tenants, 'tenant')} on ${countOf(stats.instances, 'instance')}${counts.length ? ` (${counts.join(', ')})` : ''}; ${countOf(stats.esRequests, 'Elasticsearch request')}; ${groupDigits(stats.durationMs)} ms${error ? `; ${error}` : ''}`;
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
