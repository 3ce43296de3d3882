/**
 * Every instance's registry, built on first use from the instance's settings: its Elasticsearch
 * (the same client settings, credentials and TLS trust as capacity and verification), its cache in
 * the data folder, and who is at this console. Rebuilt when the instance's connection settings or
 * secrets change.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { TransportRequestParams } from '@elastic/transport';
import type { Instance } from '../../../shared/instances/instance';
import type { OperatorStamp } from '../../../shared/team/operator';
import { classifyEsError, createEsClient, type InstanceSecrets } from '../es-client';
import { esErrorName } from '../es-client/library';
import type { AuditEntry, ChainReportView, RegistryStatus } from '../../../shared/contract/contract';
import { oneLine, toConsoleError } from '../../../shared/errors/errors';
import type { ChainedAuditEntry } from '../../../shared/team/registry';
import type { TeamAudit } from '../audit-log';
import type { AuditFilter, RegistryBackend } from './backend';
import { RegistryCache } from './cache';
import { EsRegistryBackend, type EsRequester } from './es-backend';
import { InstanceRegistry, type SyncOutcome } from './instance-registry';

export interface RegistryInstanceSource {
  get(id: string): Promise<{ instance: Instance }>;
  resolveSecrets(id: string): Promise<InstanceSecrets>;
}

export interface RegistryServiceDeps {
  dataDir: string;
  instances: RegistryInstanceSource;
  operator: () => OperatorStamp;
  clock?: () => Date;
  /** The registry store of an instance; default Elasticsearch (tests: a shared in-memory one). */
  backendFor?: (instance: Instance) => RegistryBackend;
}

/** Requests through the instance's Elasticsearch client: every HTTP status answers, no answer throws. */
export function clientRequester(client: Client, instance: Instance): EsRequester {
  return async (req) => {
    try {
      const params: TransportRequestParams = { method: req.method, path: req.path };
      if (req.querystring) params.querystring = req.querystring;
      if (typeof req.body === 'string') params.bulkBody = req.body;
      else if (req.body !== undefined && req.body !== null) params.body = req.body as Record<string, unknown>;
      // Plain JSON, as the client's accept header asks (createEsClient): the 8.x client's default
      // compatible-with media type for bodies would not match it.
      const contentType = typeof req.body === 'string' ? 'application/x-ndjson' : 'application/json';
      const res = await client.transport.request(params, { meta: true, headers: { 'content-type': contentType } });
      return { statusCode: res.statusCode ?? 200, body: res.body };
    } catch (err) {
      if (esErrorName(err) === 'ResponseError') {
        const meta = (err as { meta?: { statusCode?: number; body?: unknown } }).meta;
        return { statusCode: meta?.statusCode ?? 500, body: meta?.body };
      }
      throw classifyEsError(err, instance);
    }
  };
}

function connectionKey(instance: Instance): string {
  return createHash('sha256')
    .update(JSON.stringify([instance.es, instance.tenantDomainSuffix, instance.footprint]))
    .digest('hex');
}

/** Each instance's registry, built once per connection settings. */
export class RegistryService {
  private readonly deps: RegistryServiceDeps;
  private readonly built = new Map<string, { key: string; registry: InstanceRegistry; close: () => void }>();

  constructor(deps: RegistryServiceDeps) {
    this.deps = deps;
  }

  /** The registry of one instance (not-found for an unknown id). Builds no client yet. */
  async of(instanceId: string): Promise<InstanceRegistry> {
    const { instance } = await this.deps.instances.get(instanceId);
    const key = connectionKey(instance);
    const cached = this.built.get(instanceId);
    if (cached && cached.key === key) return cached.registry;
    cached?.close();
    const built = this.build(instance);
    this.built.set(instanceId, { key, ...built });
    return built.registry;
  }

  private build(instance: Instance): { registry: InstanceRegistry; close: () => void } {
    let backend: RegistryBackend;
    let dataNodes: () => Promise<number>;
    let close = () => {};
    if (this.deps.backendFor) {
      backend = this.deps.backendFor(instance);
      dataNodes = async () => 1;
    } else {
      // The client (and the keychain read for its credentials) on the first request, and again after
      // a refusal of the credentials: a password changed in the keychain is used at once.
      let client: Promise<Client> | null = null;
      const request: EsRequester = async (req) => {
        // Without credentials to send, the keychain is not asked (a console without one still reads).
        client ??= (
          instance.es.auth.type === 'none' ? Promise.resolve({}) : this.deps.instances.resolveSecrets(instance.id)
        ).then((secrets) => createEsClient(instance, secrets));
        const current = client;
        let c: Client;
        try {
          c = await current;
        } catch (err) {
          if (client === current) client = null;
          throw err;
        }
        const res = await clientRequester(c, instance)(req);
        if (res.statusCode === 401 && client === current) {
          client = null;
          void c.close().catch(() => undefined);
        }
        return res;
      };
      close = () => void client?.then((c) => c.close()).catch(() => undefined);
      backend = new EsRegistryBackend(request);
      dataNodes = async () => {
        const res = await request({
          method: 'GET',
          path: '/_cluster/health',
          querystring: { filter_path: 'number_of_data_nodes' },
        });
        return Number((res.body as { number_of_data_nodes?: number } | null)?.number_of_data_nodes ?? 1);
      };
    }
    const registry = new InstanceRegistry({
      instance,
      backend,
      cache: new RegistryCache(this.deps.dataDir, instance.id),
      operator: this.deps.operator,
      clock: this.deps.clock ?? (() => new Date()),
      dataNodes,
    });
    return { registry, close };
  }

  /** Sync one instance's cache; the outcome says whether the registry answered. */
  async sync(instanceId: string): Promise<SyncOutcome> {
    return (await this.of(instanceId)).sync();
  }

  /** Each instance's registry health as the last sync left it (no request). */
  async status(instanceIds: readonly string[]): Promise<RegistryStatus[]> {
    const out: RegistryStatus[] = [];
    for (const id of instanceIds) {
      const registry = await this.of(id);
      out.push({ instanceId: id, scope: registry.scope, health: registry.health(), syncedAt: registry.syncedAt() });
    }
    return out;
  }

  /** Walk the audit chain of each instance; a chain that cannot be read is reported, not thrown. */
  async verifyAudit(instanceIds: readonly string[]): Promise<ChainReportView[]> {
    return Promise.all(
      instanceIds.map(async (id): Promise<ChainReportView> => {
        try {
          const report = await (await this.of(id)).verifyAudit();
          return { instanceId: id, entries: report.entries, problem: report.problem };
        } catch (err) {
          return { instanceId: id, entries: 0, problem: null, error: oneLine(toConsoleError(err).message) };
        }
      }),
    );
  }

  /** Forget an instance this console no longer connects to: its cache and client (the registry stays). */
  forget(instanceId: string): void {
    this.built.get(instanceId)?.close();
    this.built.delete(instanceId);
    new RegistryCache(this.deps.dataDir, instanceId).remove();
  }

  /** Close every client (a CLI run ends, a test tears down). */
  close(): void {
    for (const entry of this.built.values()) entry.close();
    this.built.clear();
  }

  /**
   * The instances' team audit trails for the audit log: append to one instance's chain; read the
   * newest entries of several (each in this console's instance id), naming those that did not answer.
   */
  teamAudit(instanceIds: () => Promise<string[]>): TeamAudit {
    return {
      append: async (instanceId, entry) => {
        const registry = await this.of(instanceId);
        const chained = await registry.appendAudit({
          time: entry.time,
          operator: entry.operator ?? { name: entry.user, workstation: 'unknown' },
          action: entry.action,
          outcome: entry.outcome,
          instanceId,
          ...(entry.tenant !== undefined ? { tenant: entry.tenant } : {}),
          ...(entry.detail !== undefined ? { detail: entry.detail.slice(0, 2000) } : {}),
          ...(entry.redacted ? { redacted: true } : {}),
        });
        return chained.seq;
      },
      recent: async (query) => {
        const ids = query.instanceId !== undefined ? [query.instanceId] : await instanceIds();
        const limit = query.limit ?? 500;
        const since = query.since === undefined ? undefined : new Date(query.since).toISOString();
        const filter: AuditFilter = {
          ...(since !== undefined ? { since } : {}),
          ...(query.action !== undefined ? { action: query.action } : {}),
          ...(query.tenant !== undefined ? { tenant: query.tenant } : {}),
        };
        const entries: AuditEntry[] = [];
        const unreachable: { instanceId: string; reason: string }[] = [];
        await Promise.all(
          ids.map(async (instanceId) => {
            try {
              const registry = await this.of(instanceId);
              for (const e of await registry.recentAudit(limit, filter)) entries.push(asAuditEntry(instanceId, e));
            } catch (err) {
              unreachable.push({ instanceId, reason: oneLine(toConsoleError(err).message) });
            }
          }),
        );
        return { entries, unreachable };
      },
    };
  }
}

/** A chained entry as the audit log shows it: in this console's instance id, with its place in the chain. */
function asAuditEntry(instanceId: string, e: ChainedAuditEntry): AuditEntry {
  return {
    time: e.time,
    user: e.operator.name,
    operator: e.operator,
    action: e.action,
    outcome: e.outcome,
    instanceId,
    ...(e.tenant !== undefined ? { tenant: e.tenant } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.redacted ? { redacted: true as const } : {}),
    team: e.seq,
  };
}
