// Tracardi 0.9's MySQL database in every verdict, against REAL Elasticsearch and the simulator, as the
// real 0.9.0-rc5 showed it: before the first install GET /install answers every field false with no
// warning (its database does not exist yet), for its own tenant and for any Host; that is "not
// installed", never "unknown to the instance". With MySQL down it answers 500 with the driver's
// message: "Tracardi's database is not reachable", the message as detail.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { instanceSchema, type Instance, type InstanceInput } from '../../shared/instances/instance';
import type { TenantRecord, VerificationResult } from '../../shared/tenants/tenant';
import { MapResolver } from '../../main/services/dns';
import { createEsClient } from '../../main/services/es-client';
import { TracardiClient } from '../../main/services/tracardi-client';
import { VerifyService, type VerifyTenants } from '../../main/services/verify';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../simulator';
import { cleanupTenant, registerInTms, simulatedInstall } from '../support/verify-fixtures';

const TMS_KEY = 'verify-database-api-key';
const ADDR = '10.0.8.1';
const run = Array.from(randomBytes(5), (b) => String.fromCharCode(97 + (b % 26))).join('');
const SOLO = `vdbsolo${run}`;
const KNOWN = `vdbknown${run}`;
const STRANGER = `vdbstranger${run}`;
const DOWN = `vdbdown${run}`;

class MemoryTenants implements VerifyTenants {
  readonly records = new Map<string, TenantRecord>();
  async list(filter: { instanceId?: string } = {}): Promise<TenantRecord[]> {
    return [...this.records.values()].filter((r) => !filter.instanceId || r.instanceId === filter.instanceId);
  }
  async recordVerification(_results: VerificationResult[]): Promise<void> {}
  add(instance: Instance, tenant: string): void {
    const apiDomain = `${tenant}.${instance.tenantDomainSuffix}`;
    this.records.set(`${instance.id}/${tenant}`, {
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
    });
  }
}

describe("Tracardi 0.9's database in the verdicts (real Elasticsearch, simulator)", () => {
  const esUrl = inject('esUrls')[0]!;
  const instances: Instance[] = [];
  const sims: TracardiSimulator[] = [];
  let tms: TmsSimulator;
  let tenants: MemoryTenants;
  let tracardi: TracardiClient;
  let service: VerifyService;

  const instance = (input: Partial<InstanceInput> & Pick<InstanceInput, 'id' | 'apiUrl'>): Instance => {
    const parsed = instanceSchema.parse({
      name: input.id,
      environment: 'test',
      tenantDomainSuffix: `${input.id}.test`,
      tracardiVersion: '0.9.x',
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
  const verify = async (instanceId: string) => {
    const { results } = await service.verify({ instanceId });
    return (tenant: string) => results.find((r) => r.tenant === tenant)!;
  };

  beforeAll(async () => {
    await Promise.all([SOLO, KNOWN, STRANGER, DOWN].map((t) => cleanupTenant(esUrl, t)));
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
    await Promise.all([SOLO, KNOWN, STRANGER, DOWN].map((t) => cleanupTenant(esUrl, t)));
  });

  it("a fresh single-tenant 0.9: the instance's own tenant is not installed yet, not unknown to it", async () => {
    const st = await sim({ version: '0.9.x', multiTenant: false, tenantName: SOLO, database: 'absent' });
    const inst = instance({ id: 'vdb-st', apiUrl: st.url, tenancy: 'single-tenant', singleTenantName: SOLO });
    tenants.add(inst, SOLO);
    const r = (await verify('vdb-st'))(SOLO);
    expect(r.status, r.summary).toBe('registered');
    expect(r.summary).toBe(
      "Registered; token not handed over; not installed (Tracardi's database does not exist yet: nothing was installed there).",
    );
    expect(r.evidence.install).toMatchObject({
      outcome: 'not-installed',
      database: 'not-created',
      schemaOk: false,
      adminOk: false,
      formOk: false,
    });
    expect(r.evidence.identity?.outcome).toBe('match');
  });

  it('a fresh multi-tenant 0.9: every tenant reads not installed; once its database exists, one the TMS does not know is unknown to it', async () => {
    const mt = await sim({ version: '0.9.x', tmsUrl: tms.url, tmsApiKey: TMS_KEY, database: 'absent' });
    const inst = instance({ id: 'vdb-mt', apiUrl: mt.url });
    tenants.add(inst, KNOWN);
    tenants.add(inst, STRANGER);
    await registerInTms(tms, TMS_KEY, KNOWN, `tok-${KNOWN}`);

    const fresh = await verify('vdb-mt');
    for (const t of [KNOWN, STRANGER]) {
      expect(fresh(t).status, fresh(t).summary).toBe('registered');
      expect(fresh(t).evidence.install).toMatchObject({ outcome: 'not-installed', database: 'not-created' });
    }

    const res = await simulatedInstall(mt, `${KNOWN}.vdb-mt.test`, `tok-${KNOWN}`);
    expect(res.status, res.text).toBe(200);
    expect(mt.database()).toBe('created');
    const working = await verify('vdb-mt');
    expect(working(KNOWN).status, working(KNOWN).summary).toBe('installed');
    expect(working(STRANGER).status, working(STRANGER).summary).toBe('unknown-to-instance');
    expect(working(STRANGER).evidence.install).not.toHaveProperty('database');
  });

  it("MySQL down: unreachable, reading Tracardi's database is not reachable, the driver's message as detail", async () => {
    const st = await sim({ version: '0.9.x', multiTenant: false, tenantName: DOWN });
    const inst = instance({ id: 'vdb-down', apiUrl: st.url, tenancy: 'single-tenant', singleTenantName: DOWN });
    tenants.add(inst, DOWN);
    st.setDatabase('down');
    const r = (await verify('vdb-down'))(DOWN);
    expect(r.status).toBe('unreachable');
    expect(r.summary).toBe(
      "Tracardi's database is not reachable (GET /install answered HTTP 500: (pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '127.0.0.1'\") (Background on this error at: https://sqlalche.me/e/20/e3q8)).",
    );
    expect(r.evidence.install).toMatchObject({ outcome: 'could-not-tell', httpStatus: 500, database: 'unreachable' });
    expect(r.evidence.identity?.error).toMatch(/^Tracardi's database is not reachable \(/);

    st.setDatabase('created');
    expect((await verify('vdb-down'))(DOWN).status).toBe('registered');
  });
});
