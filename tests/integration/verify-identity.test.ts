// The identity check against REAL Elasticsearch and the simulator: an instance whose API URL is
// answered by another Tracardi is wrong-instance (never drift), and a single-tenant instance is
// verified without a tenant Host, by its one tenant's name, with one identity request per run.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { instanceSchema, type Instance, type InstanceInput } from '../../shared/instances/instance';
import type { TenantRecord, VerificationResult } from '../../shared/tenants/tenant';
import { MapResolver } from '../../main/services/dns';
import { createEsClient } from '../../main/services/es-client';
import { TracardiClient } from '../../main/services/tracardi-client';
import { VerifyService, type VerifyTenants } from '../../main/services/verify';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../simulator';
import { cleanupTenant, registerInTms, simulatedInstall } from '../support/verify-fixtures';

const TMS_KEY = 'verify-identity-api-key';
const ADDR = '10.0.7.1';
const ST_TOKEN = 'global-install-token';

class MemoryTenants implements VerifyTenants {
  readonly records = new Map<string, TenantRecord>();
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    return [...this.records.values()].filter((r) => !filter.instanceId || r.instanceId === filter.instanceId);
  }
  async recordVerification(results: VerificationResult[]): Promise<void> {
    for (const v of results) {
      const r = this.records.get(`${v.instanceId}/${v.tenant}`);
      if (r && v.status === 'installed') {
        r.state = 'installed';
        r.installedAt ??= v.checkedAt;
      }
    }
  }
  add(instance: Instance, tenant: string): TenantRecord {
    const apiDomain = `${tenant}.${instance.tenantDomainSuffix}`;
    const record: TenantRecord = {
      instanceId: instance.id,
      tenant,
      apiDomain,
      apiUrl: `https://${apiDomain}`,
      guiDomain: `${tenant}-gui.${instance.tenantDomainSuffix}`,
      guiUrl: `https://${tenant}-gui.${instance.tenantDomainSuffix}`,
      email: `ops@${tenant}.test`,
      createdAt: new Date().toISOString(),
      tokenExpiresAt: null,
      state: 'registered',
      warnings: [],
    };
    this.records.set(`${instance.id}/${tenant}`, record);
    return record;
  }
}

describe('identity in every verdict (real Elasticsearch, simulator)', () => {
  const esUrl = inject('esUrls')[0]!;
  const instances: Instance[] = [];
  const sims: TracardiSimulator[] = [];
  let tms: TmsSimulator;
  let tenants: MemoryTenants;
  let tracardi: TracardiClient;
  let service: VerifyService;
  const used = ['vimtacme', 'vishop', 'viother', 'viwrong'];

  const instance = (
    input: Partial<InstanceInput> & Pick<InstanceInput, 'id' | 'apiUrl' | 'tracardiVersion'>,
  ): Instance => {
    const parsed = instanceSchema.parse({
      name: input.id,
      environment: 'test',
      tenantDomainSuffix: `${input.id}.test`,
      tmsUrl: tms.url,
      es: { nodes: [esUrl] },
      expectedAddresses: [ADDR],
      ...input,
    });
    instances.push(parsed);
    return parsed;
  };
  const sim = async (options: Omit<Parameters<typeof startTracardi>[0], 'esUrl'>) => {
    const s = await startTracardi({ esUrl, ...options });
    sims.push(s);
    return s;
  };

  beforeAll(async () => {
    await Promise.all(used.map((t) => cleanupTenant(esUrl, t)));
    tms = await startTms({ apiKey: TMS_KEY });
    tenants = new MemoryTenants();
    tracardi = new TracardiClient({ timeoutMs: 10_000 });
    service = new VerifyService({
      instances: { list: async () => instances.map((i) => ({ instance: i })) },
      tenants,
      esClientFactory: (i) => createEsClient(i, {}),
      resolver: new MapResolver({ '*.test': [ADDR] }),
      tracardi,
      concurrency: 4,
      requestTimeoutMs: 10_000,
    });
  });

  afterAll(async () => {
    tracardi?.close();
    await Promise.allSettled(sims.map((s) => s.stop()));
    await tms?.stop();
    await Promise.all(used.map((t) => cleanupTenant(esUrl, t)));
  });

  it('a multi-tenant API URL answered by another Tracardi is wrong-instance naming it, never drift', async () => {
    const real = await sim({ version: '0.9.x', tmsUrl: tms.url, tmsApiKey: TMS_KEY });
    const inst = instance({ id: 'vi-mt', apiUrl: real.url, tracardiVersion: '0.9.x' });
    tenants.add(inst, 'vimtacme');
    await registerInTms(tms, TMS_KEY, 'vimtacme', 'tok-vimtacme');
    const res = await simulatedInstall(real, 'vimtacme.vi-mt.test', 'tok-vimtacme');
    expect(res.status, res.text).toBe(200);
    const before = (await service.verify({ instanceId: 'vi-mt' })).results[0]!;
    expect(before.status).toBe('installed');
    expect(before.evidence.identity).toMatchObject({ outcome: 'match', host: 'vimtacme.vi-mt.test' });

    // The record's API URL now reaches another Tracardi (a wrong DNS record, a load balancer on the
    // wrong pool): a single-tenant 0.8.2 takes over the same address and port.
    const port = real.port;
    await real.stop();
    const other = await sim({ version: '0.8.x', multiTenant: false, tenantName: 'viother', port });
    const after = (await service.verify({ instanceId: 'vi-mt' })).results[0]!;
    expect(after.status).toBe('wrong-instance');
    expect(after.summary).toContain('name "viother"');
    expect(after.summary).toContain('version 0.8.2');
    expect(after.summary).toContain('db_version 0820');
    expect(after.evidence.identity).toMatchObject({
      outcome: 'mismatch',
      answered: { name: 'viother', version: '0.8.2', dbVersion: '0820', tenant: null, multiTenant: null },
      mismatches: ['db_version 0820 (expected 09x)', 'version 0.8.2 (expected 0.9.x)'],
    });
    // What the other one said about the install was asked, but does not count: still installed on record.
    expect(other.calls.map((c) => c.path).sort()).toEqual(['/info/version/details', '/install']);
    expect(tenants.records.get('vi-mt/vimtacme')!.state).toBe('installed');

    // Another 0.9 that is single-tenant answers too: its `multi-tenant: false` and `tenant` give it away.
    await other.stop();
    await sim({ version: '0.9.x', multiTenant: false, tenantName: 'viother', port });
    const again = (await service.verify({ instanceId: 'vi-mt' })).results[0]!;
    expect(again.status).toBe('wrong-instance');
    expect(again.evidence.identity?.mismatches).toEqual([
      'is single-tenant, serving only "viother" (expected multi-tenant)',
    ]);
  });

  it('single-tenant: no tenant Host, the one tenant by name and global token, others get "serves only"', async () => {
    const st = await sim({ version: '0.9.x', multiTenant: false, tenantName: 'vishop', installationToken: ST_TOKEN });
    const inst = instance({
      id: 'vi-st',
      apiUrl: st.url,
      tracardiVersion: '0.9.x',
      tenancy: 'single-tenant',
      singleTenantName: 'vishop',
    });
    tenants.add(inst, 'vishop');
    tenants.add(inst, 'viother');

    const first = await service.verify({ instanceId: 'vi-st' });
    const byTenant = (run: typeof first, t: string) => run.results.find((r) => r.tenant === t)!;
    expect(byTenant(first, 'vishop')).toMatchObject({ status: 'registered' });
    expect(byTenant(first, 'vishop').evidence.identity).toMatchObject({ outcome: 'match', host: null });
    const other = byTenant(first, 'viother');
    expect(other.status).toBe('unknown-to-instance');
    expect(other.summary).toContain('serves only tenant "vishop"');
    expect(other.evidence.identity?.servesOnly).toBe('vishop');
    // At the simulator: one identity request for the instance, one /install for its one tenant (the
    // other record is not asked), and no tenant Host: the API URL's own host arrived.
    expect(first.stats.identityRequestsByInstance).toEqual({ 'vi-st': 1 });
    expect(st.calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual(['GET /info/version/details', 'GET /install']);
    expect(new Set(st.calls.map((c) => c.host))).toEqual(new Set([`127.0.0.1:${st.port}`]));

    // The tenant's operator installs with the global INSTALLATION_TOKEN (the Host does not matter).
    const wrong = await simulatedInstall(st, 'anything.example.com', 'not-the-token');
    expect(wrong.status).toBe(403);
    const ok = await simulatedInstall(st, 'anything.example.com', ST_TOKEN);
    expect(ok.status, ok.text).toBe(200);
    const second = await service.verify({ instanceId: 'vi-st' });
    expect(byTenant(second, 'vishop')).toMatchObject({ status: 'installed' });
    expect(byTenant(second, 'vishop').evidence.es.outcome).toBe('complete');
    expect(byTenant(second, 'viother').status).toBe('unknown-to-instance');
    expect(second.stats.identityRequests).toBe(1);

    // An instance configured for another TENANT_NAME on the same URL: who answered is not who was expected.
    const misnamed = instance({
      id: 'vi-st2',
      apiUrl: st.url,
      tracardiVersion: '0.9.x',
      tenancy: 'single-tenant',
      singleTenantName: 'viwrong',
    });
    tenants.add(misnamed, 'viwrong');
    const third = (await service.verify({ instanceId: 'vi-st2' })).results[0]!;
    expect(third.status).toBe('wrong-instance');
    expect(third.evidence.identity?.mismatches).toEqual(['serves tenant "vishop" (expected "viwrong")']);
  });
});
