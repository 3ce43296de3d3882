/**
 * Discovery: the tenants present on an instance that the console has no record of, each with its
 * evidence (version profile, contexts, indices, primaries, size, oldest index) and the status
 * verification would give it now. Read-only: nothing on the instance changes.
 *
 * Cost: four Elasticsearch requests per instance whatever the number of tenants (requests.ts); per
 * found tenant one `GET /install` and, on a multi-tenant instance, one TMS `GET /tenant/{name}`,
 * a few at a time. The TMS has no listing, so it can confirm a tenant found in Elasticsearch but
 * cannot name one that is registered and not installed.
 */
import type { Client } from '@elastic/elasticsearch';
import {
  servedTenant,
  proposedDomain,
  type DeletedTenant,
  type DiscoveryReport,
  type FootprintEvidence,
  type FoundTenant,
  type TmsPresence,
} from '../../../shared/tenants/adoption';
import { toConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import type { DnsEvidence, InstallEvidence, TenantRecord, VerificationResult } from '../../../shared/tenants/tenant';
import { deriveTenantName } from '../../../shared/tenants/tenant-name';
import { classifyEsError, createMeter, meteredRequest } from '../es-client';
import type { TmsClient, TmsClientFactory } from '../tms-client';
import {
  buildListing,
  deriveStatus,
  evaluateEs,
  keepsMysql,
  runPool,
  type EsListing,
  type VerifyTracardi,
} from '../verify';
import { readNames, type Footprints } from './footprints';
import { DISCOVERY_REQUESTS, readAliasNames, readIndexFacts, readTemplateNames } from './requests';

export interface DiscoveryDeps {
  instances: { get(id: string): Promise<{ instance: Instance }> };
  records: {
    list(filter: { instanceId: string }): Promise<TenantRecord[]>;
    /** The tenants the team deleted on the instance (registry tombstones, as the list's sync left them). */
    deletedOf?(instanceId: string): Promise<Map<string, DeletedTenant>>;
  };
  /** An Elasticsearch client for an instance (credentials from the keychain); closed after use. */
  esClientFactory: (instance: Instance) => Promise<Client>;
  tms: TmsClientFactory;
  tracardi: VerifyTracardi;
  clock?: () => Date;
  /** Timeout of each Tracardi probe; default 5000 ms. */
  requestTimeoutMs?: number;
  /** Tenants probed at once; default 8. */
  concurrency?: number;
}

/** What the cluster holds, read once per discovery. */
interface ClusterNames {
  footprints: Footprints;
  unrecognised: DiscoveryReport['unrecognised'];
  listing: EsListing;
  esRequests: number;
}

const TMS_CANNOT_LIST =
  'The TMS API has only GET /tenant/{name}: it confirms the tenants found in Elasticsearch but cannot list tenants registered there and not installed yet.';

export class DiscoveryService {
  private readonly clock: () => Date;
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(private readonly deps: DiscoveryDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.timeoutMs = deps.requestTimeoutMs ?? 5000;
    this.concurrency = Math.max(1, deps.concurrency ?? 8);
  }

  /** Every tenant on the instance without a record, with its evidence; and the names that fit no profile. */
  async discover(instanceId: string): Promise<DiscoveryReport> {
    const { instance } = await this.deps.instances.get(instanceId);
    const [names, records] = await Promise.all([this.readCluster(instance), this.deps.records.list({ instanceId })]);
    const recordedNames = new Set(records.map((r) => r.tenant));
    const served = servedTenant(instance);
    const candidates = new Set(names.footprints.keys());
    // A single-tenant instance always has its one tenant, installed or not.
    if (served !== null) candidates.add(served);
    const recorded = [...candidates].filter((t) => recordedNames.has(t)).sort();
    const unrecorded = [...candidates].filter((t) => !recordedNames.has(t)).sort();
    const notes: string[] = [];
    const tms = await this.tmsOf(instance, notes);
    const found = await this.describe(instance, unrecorded, names, tms);
    // A tenant the team deleted comes back here (its data was kept): say who deleted it and when.
    const deleted = (await this.deps.records.deletedOf?.(instanceId)) ?? new Map<string, DeletedTenant>();
    for (const f of found) {
      const tomb = deleted.get(f.tenant);
      if (tomb) f.deleted = tomb;
    }
    if (served !== null)
      notes.push(
        `Single-tenant instance: it serves only ${served}${instance.singleTenantName ? ' (its TENANT_NAME)' : ` (the ${instance.tracardiVersion} default)`}; it has no TMS.`,
      );
    else notes.push(TMS_CANNOT_LIST);
    return {
      instanceId,
      tenancy: instance.tenancy,
      checkedAt: this.clock().toISOString(),
      found,
      recorded,
      unrecognised: names.unrecognised,
      notes,
      esRequests: names.esRequests,
    };
  }

  /**
   * One tenant as discovery sees it, whether or not it has a record (adoption checks the name
   * against the instance with this): null when neither Elasticsearch nor the TMS knows it and it is
   * not the tenant of a single-tenant instance.
   */
  async discoverTenant(instance: Instance, tenant: string): Promise<FoundTenant | null> {
    const names = await this.readCluster(instance);
    const tms = await this.tmsOf(instance, []);
    const [found] = await this.describe(instance, [tenant], names, tms);
    if (!found) return null;
    const known =
      found.footprints.length > 0 || found.tms.outcome === 'registered' || servedTenant(instance) === tenant;
    return known ? found : null;
  }

  private async tmsOf(instance: Instance, notes: string[]): Promise<TmsClient | { error: string } | null> {
    if (instance.tenancy === 'single-tenant') return null;
    try {
      return await this.deps.tms(instance.id);
    } catch (err) {
      const message = toConsoleError(err).message;
      notes.push(`The TMS was not asked: ${message}`);
      return { error: message };
    }
  }

  /** The four requests (requests.ts), sent together; any failure is the instance's Elasticsearch error. */
  private async readCluster(instance: Instance): Promise<ClusterNames> {
    const meter = createMeter();
    let client: Client | undefined;
    try {
      client = await this.deps.esClientFactory(instance);
      const c = client;
      const opts = meteredRequest(meter, AbortSignal.timeout(instance.es.timeoutMs));
      const get = (r: { path: string; querystring: Record<string, string> }, ignore?: number[]) =>
        c.transport.request(
          { method: 'GET', path: r.path, querystring: r.querystring },
          ignore ? { ...opts, ignore } : opts,
        );
      const q = DISCOVERY_REQUESTS;
      const [settings, stats, aliases, templates] = await Promise.all([
        get(q.settings),
        get(q.stats),
        get(q.aliases),
        get(q.templates, [404]),
      ]);
      const read = readNames(readIndexFacts(settings, stats), readAliasNames(aliases), readTemplateNames(templates));
      return {
        footprints: read.footprints,
        unrecognised: read.unrecognised,
        listing: buildListing(read.known.indices, read.known.aliases, read.known.templates),
        esRequests: meter.requests,
      };
    } catch (err) {
      throw classifyEsError(err, instance);
    } finally {
      await client?.close().catch(() => undefined);
    }
  }

  private async describe(
    instance: Instance,
    tenants: string[],
    names: ClusterNames,
    tms: TmsClient | { error: string } | null,
  ): Promise<FoundTenant[]> {
    const served = servedTenant(instance);
    const out: FoundTenant[] = new Array(tenants.length);
    await runPool(tenants, this.concurrency, async (tenant, i) => {
      const footprints = [...(names.footprints.get(tenant)?.values() ?? [])].sort((a, b) =>
        a.version.localeCompare(b.version),
      );
      const presence = await this.tmsPresence(tms, tenant);
      const found: FoundTenant = { instanceId: instance.id, tenant, footprints, tms: presence, verification: null };
      const whyNot = notAdoptable(instance, tenant, footprints, served);
      if (whyNot) found.notAdoptable = whyNot;
      // Tracardi is asked only about a tenant it serves under a Host the console can name.
      if (!whyNot || footprints.some((f) => f.version === instance.tracardiVersion))
        found.verification = await this.verification(instance, tenant, names.listing, presence, served);
      out[i] = found;
    });
    return out;
  }

  private async tmsPresence(tms: TmsClient | { error: string } | null, tenant: string): Promise<TmsPresence> {
    if (tms === null) return { outcome: 'no-tms' };
    if ('error' in tms) return { outcome: 'could-not-tell', error: tms.error };
    try {
      const entry = await tms.getTenant(tenant);
      return entry ? { outcome: 'registered', expire: entry.expire } : { outcome: 'absent' };
    } catch (err) {
      return { outcome: 'could-not-tell', error: toConsoleError(err).message };
    }
  }

  /** The verify service's evaluation (evaluateEs + deriveStatus) on what discovery found; DNS not checked. */
  private async verification(
    instance: Instance,
    tenant: string,
    listing: EsListing,
    tms: TmsPresence,
    served: string | null,
  ): Promise<VerificationResult | null> {
    const checkedAt = this.clock();
    const host = served !== null ? null : proposedDomain(instance, tenant);
    let install: InstallEvidence;
    if (served !== null && served !== tenant) return null;
    if (host !== null && !derivesTo(host, tenant)) {
      install = { outcome: 'could-not-tell', error: `no API domain derives the name ${tenant}` };
    } else {
      install = await this.deps.tracardi
        .getInstall(
          { apiUrl: instance.apiUrl, ...(host !== null ? { tenantHost: host } : {}) },
          { timeoutMs: this.timeoutMs, mysqlDatabase: keepsMysql(instance) },
        )
        .catch((err: unknown): InstallEvidence => ({ outcome: 'could-not-tell', error: toConsoleError(err).message }));
    }
    const es = evaluateEs(tenant, instance.tracardiVersion, listing);
    const notChecked = (domain: string): DnsEvidence => ({
      domain,
      addresses: [],
      expected: [],
      outcome: 'not-checked',
      error: 'found by discovery: its domains are not known yet',
    });
    const expire = tms.outcome === 'registered' ? tms.expire : null;
    const token = {
      expiresAt: expire,
      expired: expire !== null && Date.parse(expire) <= checkedAt.getTime(),
      inKeychain: false,
    };
    const evidence = {
      dns: { api: notChecked(host ?? new URL(instance.apiUrl).hostname), gui: notChecked('(not known)') },
      install,
      es,
      token,
    };
    const { status, summary } = deriveStatus({ record: { state: 'registered' }, ...evidence });
    return { instanceId: instance.id, tenant, status, summary, checkedAt: checkedAt.toISOString(), evidence };
  }
}

function derivesTo(host: string, tenant: string): boolean {
  const d = deriveTenantName(host);
  return d.ok && d.tenant === tenant;
}

/** Why a found tenant cannot be adopted on this instance, or null when it can. */
function notAdoptable(
  instance: Instance,
  tenant: string,
  footprints: FootprintEvidence[],
  served: string | null,
): string | null {
  if (served !== null && tenant !== served)
    return `This single-tenant instance serves only ${served}: the data of ${tenant} is not served by it.`;
  if (served === null && !derivesTo(proposedDomain(instance, tenant), tenant))
    return `No API domain derives the name ${tenant} (Tracardi keeps [a-z0-9] of the first label): no Host reaches it.`;
  if (footprints.length > 0 && !footprints.some((f) => f.version === instance.tracardiVersion)) {
    const versions = footprints.map((f) => f.version).join(', ');
    return `Its data is of Tracardi ${versions}; this instance runs ${instance.tracardiVersion} and does not serve it.`;
  }
  return null;
}
