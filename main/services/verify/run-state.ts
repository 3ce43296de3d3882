/**
 * What a verification run fetches once and shares between tenants: per-instance facts (expected
 * addresses, the Elasticsearch listing, the keychain's token accounts), DNS answers and ES clients.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Instance } from '../../../shared/instances/instance';
import { DnsLookupError, normaliseAddress, normaliseHost } from '../dns';
import { classifyEsError } from '../es-client';
import { accountFor } from '../keychain';
import { buildListing, type EsListing, type KnownInstances } from './evaluate';
import type { IdentityAnswer } from './identity';
import type { VerifyServiceDeps, VerifyStats } from './types';

/** An identity answer and the Host it was asked with (null: none, a plain request). */
export interface AskedIdentity {
  answer: IdentityAnswer;
  host: string | null;
}

/** Per-instance facts fetched once per run. */
export interface InstanceContext {
  instance: Instance;
  expected: Promise<{ addresses: string[] | null; error?: string }>;
  listing: Promise<EsListing | { error: string }>;
  tokens: Promise<Set<string> | null>;
}

/** Names the Elasticsearch listing fetches: every Tracardi index, alias and template has `.tracardi-`. */
const TRACARDI_NAMES = '*.tracardi-*';

/** Everything a run fetches once and shares between tenants: per-instance facts, DNS answers, clients. */
export class RunState {
  private readonly contexts = new Map<string, InstanceContext>();
  private readonly dnsAnswers = new Map<string, Promise<{ addresses: string[] } | { error: string }>>();
  private readonly expected = new Map<string, Promise<{ addresses: string[] | null; error?: string }>>();
  private readonly clients: Promise<Client>[] = [];
  private readonly errors: { instanceId: string; message: string }[] = [];
  private readonly identities = new Map<string, Promise<AskedIdentity>>();
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

  /**
   * Who answers on the instance's API URL (`Host: host`, or none when null). `shared`: one request
   * per instance for the whole run (the first caller's Host is used); else one per call.
   * Rejects only when the run's signal aborted.
   */
  identity(instance: Instance, host: string | null, shared: boolean, timeoutMs: number): Promise<AskedIdentity> {
    if (!shared) return this.askIdentity(instance, host, timeoutMs);
    let answer = this.identities.get(instance.id);
    if (!answer) {
      answer = this.askIdentity(instance, host, timeoutMs);
      this.identities.set(instance.id, answer);
    }
    return answer;
  }

  private async askIdentity(instance: Instance, host: string | null, timeoutMs: number): Promise<AskedIdentity> {
    this.stats.identityRequests++;
    this.stats.identityRequestsByInstance[instance.id] = (this.stats.identityRequestsByInstance[instance.id] ?? 0) + 1;
    try {
      const d = await this.deps.tracardi.getVersionDetails(
        { apiUrl: instance.apiUrl, ...(host !== null ? { tenantHost: host } : {}) },
        { timeoutMs, ...(this.signal ? { signal: this.signal } : {}) },
      );
      const answer = {
        name: d.name,
        tenant: d.tenant,
        version: d.version,
        dbVersion: d.dbVersion,
        multiTenant: d.multiTenant,
      };
      return { answer, host };
    } catch (err) {
      if (this.signal?.aborted) throw err;
      return { answer: { error: err instanceof Error ? err.message : String(err) }, host };
    }
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
