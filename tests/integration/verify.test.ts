// Verification against REAL Elasticsearch (two clusters from globalSetup) and the Tracardi + TMS
// simulator on loopback: instance "inst-a" runs 0.9.x on cluster A, "inst-b" 0.8.x on cluster B.
// Tenant domains reach the instances through a MapResolver (no real DNS); the Tracardi probe goes to
// the simulator's address with the tenant's Host header. Each instance's Elasticsearch is reached
// through a counting proxy, so the "fixed number of ES requests per instance" is measured on the wire.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { instanceSchema, type Instance, type InstanceInput } from '../../shared/instances/instance';
import type { TenantRecord, VerificationResult } from '../../shared/tenants/tenant';
import { AuditLog } from '../../main/services/audit-log';
import { MapResolver } from '../../main/services/dns';
import { createEsClient } from '../../main/services/es-client';
import { TracardiClient } from '../../main/services/tracardi-client';
import { VerifyService, type VerifyTenants } from '../../main/services/verify';
import { runCli } from '../../main/cli/index';
import type { Core } from '../../main/core';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../simulator';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { cleanupTenant as cleanup, registerInTms, simulatedInstall } from '../support/verify-fixtures';

const ADDR_A = '10.0.1.1';
const ADDR_B = '10.0.2.1';
const TMS_KEY = 'verify-test-api-key';

/** Tenant records as the lifecycle service keeps them, in memory (same recordVerification rule). */
class MemoryTenants implements VerifyTenants {
  readonly records = new Map<string, TenantRecord>();
  writes = 0;
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    return [...this.records.values()].filter(
      (r) => filter.instanceId === undefined || r.instanceId === filter.instanceId,
    );
  }
  async recordVerification(results: VerificationResult[]): Promise<void> {
    this.writes++;
    for (const v of results) {
      const r = this.records.get(`${v.instanceId}/${v.tenant}`);
      if (!r) continue;
      r.lastVerification = v;
      if (v.status === 'installed') {
        r.installedAt ??= v.checkedAt;
        if (r.state !== 'revoked') r.state = 'installed';
      }
    }
  }
  add(record: TenantRecord): void {
    this.records.set(`${record.instanceId}/${record.tenant}`, record);
  }
  get(instanceId: string, tenant: string): TenantRecord {
    return this.records.get(`${instanceId}/${tenant}`)!;
  }
}

describe('verify against real Elasticsearch and the simulator', () => {
  const esUrls = inject('esUrls');
  let dataDir: string;
  let tmsA: TmsSimulator;
  let tmsB: TmsSimulator;
  let simA: TracardiSimulator;
  let simB: TracardiSimulator;
  let proxyA: CountingProxy;
  let proxyB: CountingProxy;
  let instA: Instance;
  let instB: Instance;
  let tenants: MemoryTenants;
  let resolver: MapResolver;
  let audit: AuditLog;
  let tracardi: TracardiClient;
  let service: VerifyService;
  const installed: { esUrl: string; tenant: string }[] = [];
  const tokens = new Map<string, string>();

  const suffix = (i: Instance) => i.tenantDomainSuffix;
  /** A record (state registered) plus its TMS entry with a fresh token. */
  async function addTenant(
    inst: Instance,
    tms: TmsSimulator,
    tenant: string,
    opts: { expired?: boolean; inTms?: boolean } = {},
  ): Promise<TenantRecord> {
    const token = `tok-${tenant}-${Math.random().toString(36).slice(2)}`;
    tokens.set(`${inst.id}/${tenant}`, token);
    const expiresAt = new Date(Date.now() + (opts.expired ? -86_400_000 : 30 * 86_400_000)).toISOString();
    if (opts.inTms !== false) await registerInTms(tms, TMS_KEY, tenant, token, expiresAt);
    const apiDomain = `${tenant}.${suffix(inst)}`;
    const guiDomain = `${tenant}-gui.${suffix(inst)}`;
    const record: TenantRecord = {
      instanceId: inst.id,
      tenant,
      apiDomain,
      apiUrl: `https://${apiDomain}`,
      guiDomain,
      guiUrl: `https://${guiDomain}`,
      email: `ops@${tenant}.test`,
      createdAt: new Date().toISOString(),
      tokenExpiresAt: expiresAt,
      state: 'registered',
      warnings: [],
    };
    tenants.add(record);
    return record;
  }

  async function install(inst: Instance, sim: TracardiSimulator, tenant: string): Promise<void> {
    const res = await simulatedInstall(sim, `${tenant}.${suffix(inst)}`, tokens.get(`${inst.id}/${tenant}`)!);
    expect(res.status, res.text).toBe(200);
    installed.push({ esUrl: inst === instA ? esUrls[0]! : esUrls[1]!, tenant });
  }

  const one = async (inst: Instance, tenant: string): Promise<VerificationResult> => {
    const run = await service.verify({ tenant: { instanceId: inst.id, tenant } });
    expect(run.results).toHaveLength(1);
    return run.results[0]!;
  };

  beforeAll(async () => {
    expect(esUrls).toHaveLength(2);
    // Leftovers of an interrupted earlier run would turn "registered" into "partial".
    await Promise.all([
      ...['vfacme', 'vfumbrella', 'vfinitech', 'vfhooli'].map((t) => cleanup(esUrls[0]!, t)),
      cleanup(esUrls[1]!, 'vfglobex'),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'verify-it-'));
    [tmsA, tmsB] = await Promise.all([startTms({ apiKey: TMS_KEY }), startTms({ apiKey: TMS_KEY })]);
    [simA, simB] = await Promise.all([
      startTracardi({ version: '0.9.x', esUrl: esUrls[0]!, tmsUrl: tmsA.url, tmsApiKey: TMS_KEY }),
      startTracardi({ version: '0.8.x', esUrl: esUrls[1]!, tmsUrl: tmsB.url, tmsApiKey: TMS_KEY }),
    ]);
    [proxyA, proxyB] = await Promise.all([startCountingProxy(esUrls[0]!), startCountingProxy(esUrls[1]!)]);
    const instance = (
      input: Partial<InstanceInput> &
        Pick<InstanceInput, 'id' | 'apiUrl' | 'tenantDomainSuffix' | 'tracardiVersion' | 'tmsUrl' | 'es'>,
    ) => instanceSchema.parse({ name: input.id, environment: 'test', ...input });
    instA = instance({
      id: 'inst-a',
      apiUrl: simA.url,
      tenantDomainSuffix: 'a.test',
      tracardiVersion: '0.9.x',
      tmsUrl: tmsA.url,
      es: { nodes: [proxyA.url] },
      expectedAddresses: [ADDR_A],
    });
    // inst-b names its addresses through a reference host, resolved once per run.
    instB = instance({
      id: 'inst-b',
      apiUrl: simB.url,
      tenantDomainSuffix: 'b.test',
      tracardiVersion: '0.8.x',
      tmsUrl: tmsB.url,
      es: { nodes: [proxyB.url] },
      referenceHost: 'ingress.b.test',
    });
    resolver = new MapResolver({ '*.a.test': [ADDR_A], '*.b.test': [ADDR_B] });
    tenants = new MemoryTenants();
    audit = new AuditLog({ dataDir });
    tracardi = new TracardiClient({ timeoutMs: 10_000 });
    service = new VerifyService({
      instances: { list: async () => [{ instance: instA }, { instance: instB }] },
      tenants,
      esClientFactory: (i) => createEsClient(i, {}),
      resolver,
      tracardi,
      audit,
      concurrency: 8,
      requestTimeoutMs: 10_000,
    });
  });

  afterAll(async () => {
    tracardi?.close();
    await Promise.all(installed.map((t) => cleanup(t.esUrl, t.tenant)));
    await Promise.allSettled([simA?.stop(), simB?.stop(), tmsA?.stop(), tmsB?.stop(), proxyA?.stop(), proxyB?.stop()]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('registered, then installed after a simulated install with the right token (0.9.x)', async () => {
    await addTenant(instA, tmsA, 'vfacme');
    const before = await one(instA, 'vfacme');
    expect(before.status).toBe('registered');
    expect(before.evidence.install).toMatchObject({ outcome: 'not-installed', schemaOk: false });
    expect(before.evidence.es.outcome).toBe('none');
    expect(before.evidence.dns.api).toMatchObject({ outcome: 'ok', addresses: [ADDR_A] });
    // The probe reached the simulator with the tenant's Host, so the simulator derived "vfacme".
    expect(simA.calls.some((c) => c.path === '/install' && c.method === 'GET' && c.tenant === 'vfacme')).toBe(true);

    await install(instA, simA, 'vfacme');
    const after = await one(instA, 'vfacme');
    expect(after.status, after.summary).toBe('installed');
    expect(after.evidence.es).toMatchObject({
      outcome: 'complete',
      indicesExpected: 12,
      indicesFound: 12,
      aliasesFound: 12,
      templatesFound: 12,
    });
    expect(tenants.get('inst-a', 'vfacme')).toMatchObject({ state: 'installed', installedAt: after.checkedAt });
    expect(tenants.get('inst-a', 'vfacme').lastVerification).toEqual(after);
  });

  it('installed on the 0.8.x instance too (76 indices, 20 templates), with a reference host', async () => {
    await addTenant(instB, tmsB, 'vfglobex');
    expect((await one(instB, 'vfglobex')).status).toBe('registered');
    await install(instB, simB, 'vfglobex');
    const r = await one(instB, 'vfglobex');
    expect(r.status, r.summary).toBe('installed');
    expect(r.evidence.es).toMatchObject({
      indicesExpected: 76,
      indicesFound: 76,
      aliasesFound: 76,
      templatesExpected: 20,
      templatesFound: 20,
    });
    expect(r.evidence.dns.api).toMatchObject({ outcome: 'ok', expected: [ADDR_B] });
  }, 300_000); // a 0.8.2 install creates 76 indices and 20 templates: about a minute on a 2-core box

  it('a wrong token is refused (403) and the tenant stays not installed', async () => {
    await addTenant(instA, tmsA, 'vfinitech');
    const res = await simulatedInstall(simA, 'vfinitech.a.test', 'not-the-token');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/Invalid installation token/);
    const r = await one(instA, 'vfinitech');
    expect(r.status).toBe('registered');
    expect(r.evidence.install.outcome).toBe('not-installed');
    expect(r.evidence.es.outcome).toBe('none');
    expect(tenants.get('inst-a', 'vfinitech').state).toBe('registered');
  });

  it('deleting one of the tenant’s indices is drift', async () => {
    await addTenant(instA, tmsA, 'vfumbrella');
    await install(instA, simA, 'vfumbrella');
    expect((await one(instA, 'vfumbrella')).status).toBe('installed');
    const listed = (await (
      await fetch(`${esUrls[0]}/_cat/indices/prod-09x.vfumbrella.tracardi-session-*?h=index&format=json`)
    ).json()) as { index: string }[];
    expect(listed).toHaveLength(1);
    const del = await fetch(`${esUrls[0]}/${listed[0]!.index}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const r = await one(instA, 'vfumbrella');
    expect(r.status, r.summary).toBe('drift');
    expect(r.evidence.es.outcome).toBe('partial');
    expect(r.evidence.es.missing).toContain('prod-09x.vfumbrella.tracardi-session-*');
    expect(r.summary).toContain('prod-09x.vfumbrella.tracardi-session-*');
  });

  it('a tenant domain pointing at the other instance is misrouted, naming that instance', async () => {
    await addTenant(instA, tmsA, 'vfhooli');
    resolver.set('vfhooli-gui.a.test', [ADDR_B]);
    const r = await one(instA, 'vfhooli');
    expect(r.status).toBe('misrouted');
    expect(r.evidence.dns.gui).toMatchObject({ outcome: 'misrouted', pointsAtInstance: 'inst-b', addresses: [ADDR_B] });
    expect(r.summary).toContain('instance "inst-b"');
    resolver.delete('vfhooli-gui.a.test');
    expect((await one(instA, 'vfhooli')).status).toBe('registered');
  });

  it('Tracardi answering 500 is unreachable ("could not tell"), never "not installed"; so is a hanging probe', async () => {
    // vfacme is installed: a 500 must not make it look uninstalled or drifted
    simA.setFault({ kind: 'status', status: 500, route: 'GET /install', times: 1 });
    const r = await one(instA, 'vfacme');
    expect(r.status).toBe('unreachable');
    expect(r.evidence.install).toMatchObject({ outcome: 'could-not-tell', httpStatus: 500 });
    expect(r.summary).toMatch(/^Could not tell/);
    expect(tenants.get('inst-a', 'vfacme').state).toBe('installed');

    const quick = new VerifyService({
      instances: { list: async () => [{ instance: instA }] },
      tenants,
      esClientFactory: (i) => createEsClient(i, {}),
      resolver,
      tracardi,
      requestTimeoutMs: 300,
    });
    simA.setFault({ kind: 'hang', route: 'GET /install', times: 1 });
    const started = Date.now();
    const hung = (await quick.verify({ tenant: { instanceId: 'inst-a', tenant: 'vfacme' } })).results[0]!;
    expect(hung.status).toBe('unreachable');
    expect(hung.evidence.install.error).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    simA.setFault(null);
  });

  it('an expired token of a tenant that is not installed is expired; a tenant missing from the TMS is unknown-to-instance', async () => {
    await addTenant(instA, tmsA, 'vfsoylent', { expired: true });
    const r = await one(instA, 'vfsoylent');
    expect(r.status).toBe('expired');
    expect(r.evidence.token.expired).toBe(true);
    await addTenant(instA, tmsA, 'vfcyberdyne', { inTms: false });
    const u = await one(instA, 'vfcyberdyne');
    expect(u.status).toBe('unknown-to-instance');
    expect(u.evidence.install).toMatchObject({ outcome: 'unknown-tenant', formOk: false });
  });

  it('costs a fixed 3 Elasticsearch requests per instance, for 1 tenant and for 20 more', async () => {
    // inst-b: exactly one tenant so far
    proxyB.reset();
    const single = await service.verify({ instanceId: 'inst-b' });
    expect(single.results).toHaveLength(1);
    expect(single.stats.esRequestsByInstance).toEqual({ 'inst-b': 3 });
    expect(single.stats.identityRequests).toBe(1);
    expect(proxyB.count()).toBe(3);

    const names = Array.from(
      { length: 20 },
      (_, i) => `vfbulk${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`,
    );
    for (const name of names) await addTenant(instB, tmsB, name);
    proxyB.reset();
    const writes = tenants.writes;
    const details = () => simB.calls.filter((c) => c.path === '/info/version/details').length;
    const detailsBefore = details();
    const progress: number[] = [];
    const many = await service.verify({ instanceId: 'inst-b' }, { onProgress: (p) => progress.push(p.done) });
    expect(many.results).toHaveLength(21);
    expect(many.stats.esRequests).toBe(3);
    expect(many.stats.identityRequests).toBe(1);
    expect(details() - detailsBefore).toBe(1); // measured at the simulator, for 21 tenants
    expect(proxyB.count()).toBe(3);
    expect(progress).toEqual(Array.from({ length: 22 }, (_, i) => i));
    expect(many.stats.byStatus).toMatchObject({ installed: 1, registered: 20 });
    expect(tenants.writes - writes).toBe(1); // results stored in one batch, not per tenant

    // The fleet: 3 per instance, and the reference host of inst-b looked up once per run.
    proxyA.reset();
    proxyB.reset();
    const lookups = resolver.lookups;
    const fleet = await service.verify({ fleet: true });
    expect(fleet.stats.esRequestsByInstance).toEqual({ 'inst-a': 3, 'inst-b': 3 });
    // Who answers: once for the 0.8.x instance (no per-tenant identity), per tenant on the 0.9 one.
    const perInstance = (id: string) => fleet.results.filter((r) => r.instanceId === id).length;
    expect(fleet.stats.identityRequestsByInstance).toEqual({ 'inst-a': perInstance('inst-a'), 'inst-b': 1 });
    expect(fleet.results.every((r) => r.evidence.identity?.outcome === 'match')).toBe(true);
    expect(proxyA.count() + proxyB.count()).toBe(6);
    // two domains per tenant + one reference host
    expect(resolver.lookups - lookups).toBe(2 * fleet.results.length + 1);
    // results are stored in batches, not one write per tenant
    expect(fleet.results.map((r) => tenants.get(r.instanceId, r.tenant).lastVerification)).toEqual(fleet.results);
  });

  it('audits one "verify" entry per run with counts, never per tenant', async () => {
    const before = (await audit.list({ action: 'verify' })).length;
    const run = await service.verify({ instanceId: 'inst-a' });
    const entries = await audit.list({ action: 'verify' });
    expect(entries.length - before).toBe(1);
    expect(entries[0]).toMatchObject({ action: 'verify', outcome: 'ok', instanceId: 'inst-a' });
    expect(entries[0]!.detail).toContain(`${run.results.length} tenants on 1 instance (`);
    expect(entries[0]!.detail).toContain('3 Elasticsearch requests');
    const log = await readFile(audit.file, 'utf8');
    expect(log).not.toMatch(/tok-/); // tokens never reach the log
  });

  /** tenantctl over a core that holds this test's verify service. */
  async function cli(
    args: string[],
    verify: VerifyService = service,
  ): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const core = { settings: { status: () => ({ problems: [] }) }, verify } as unknown as Core;
    const before = process.exitCode;
    try {
      const code = await runCli(['node', 'tenantctl', ...args], {
        env: {},
        streams: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
        createCore: async () => core,
      });
      return { code, out, err };
    } finally {
      process.exitCode = before;
    }
  }

  it('tenantctl tenants verify: a table and exit 0 whatever the statuses; --json; exit 1 when ES cannot be listed; 2 without a scope', async () => {
    const table = await cli(['tenants', 'verify', 'inst-a']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^TENANT\s+STATUS\s+SUMMARY/m);
    expect(table.out).toMatch(/^vfacme\s+installed\s+Installed: schema and admin ok/m);
    expect(table.out).toMatch(/^vfsoylent\s+expired\s+/m);
    expect(table.out).toMatch(/3 Elasticsearch request\(s\)/);
    expect(table.err).toMatch(/verified \d+\/\d+/);

    const one = await cli(['tenants', 'verify', 'inst-a', 'vfinitech', '--json']);
    expect(one.code).toBe(0);
    const parsed = JSON.parse(one.out) as { results: VerificationResult[]; stats: { esRequests: number } };
    expect(parsed.results.map((r) => [r.tenant, r.status])).toEqual([['vfinitech', 'registered']]);
    expect(parsed.stats.esRequests).toBe(3);
    expect(one.err).toBe(''); // no progress noise for one tenant or --json

    // An instance whose Elasticsearch refuses connections: every tenant "unreachable", exit 1.
    const deadEs = { ...instA, es: { ...instA.es, nodes: ['http://127.0.0.1:9'], timeoutMs: 1000 } };
    const broken = new VerifyService({
      instances: { list: async () => [{ instance: deadEs }] },
      tenants,
      esClientFactory: (i) => createEsClient(i, {}),
      resolver,
      tracardi,
    });
    const failed = await cli(['tenants', 'verify', 'inst-a', 'vfinitech'], broken);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/vfinitech\s+unreachable\s+Could not tell: Elasticsearch listing failed/);
    expect(failed.err).toMatch(/warning: instance inst-a: Elasticsearch could not be listed: .*connection refused/);

    expect((await cli(['tenants', 'verify'])).code).toBe(2);
    expect((await cli(['tenants', 'verify', 'inst-a', '--all'])).code).toBe(2);
    const unknown = await cli(['tenants', 'verify', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No instance "nope"/);
  });

  it('an unknown instance or tenant fails the run (not-found) instead of reporting a status', async () => {
    await expect(service.verify({ instanceId: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.verify({ tenant: { instanceId: 'inst-a', tenant: 'ghost' } })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
