// The status derivation of verification as a pure function over evidence: every status is
// reachable, and where several apply, the documented precedence decides. Also the pure helpers
// (DNS verdict, artefact matching, pool) and the service's run mechanics over in-memory fakes.
import type { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { instanceSchema } from '../../../shared/instances/instance';
import {
  VERIFY_STATUSES,
  type TenantRecord,
  type VerificationResult,
  type DnsEvidence,
  type EsEvidence,
  type InstallEvidence,
  type TokenEvidence,
  type VerifyStatus,
} from '../../../shared/tenants/tenant';
import { expectedArtifacts, partitionSuffix } from '../../../shared/instances/version-profiles';
import {
  STATUS_PRECEDENCE,
  buildListing,
  deriveStatus,
  evaluateDns,
  evaluateEs,
  runPool,
  VerifyService,
  type StatusInput,
} from '../../../main/services/verify';
import { interpretInstall } from '../../../main/services/tracardi-client';
import { DnsLookupError, MapResolver } from '../../../main/services/dns';

const dnsOk = (domain: string): DnsEvidence => ({
  domain,
  addresses: ['10.0.1.1'],
  expected: ['10.0.1.1'],
  outcome: 'ok',
});
const esOf = (
  outcome: EsEvidence['outcome'],
  found = outcome === 'complete' ? 12 : outcome === 'partial' ? 5 : 0,
): EsEvidence => ({
  outcome,
  indicesExpected: 12,
  indicesFound: found,
  aliasesExpected: 12,
  aliasesFound: outcome === 'complete' ? 12 : 0,
  templatesExpected: 12,
  templatesFound: outcome === 'complete' ? 12 : 0,
  missing: outcome === 'complete' ? [] : ['09x.acme.tracardi-event-*'],
  ...(outcome === 'could-not-tell' ? { error: 'es-timeout' } : {}),
});
const installed: InstallEvidence = {
  outcome: 'installed',
  httpStatus: 200,
  schemaOk: true,
  adminOk: true,
  formOk: true,
  warnings: [],
};
const notInstalled: InstallEvidence = {
  outcome: 'not-installed',
  httpStatus: 200,
  schemaOk: false,
  adminOk: false,
  formOk: true,
  warnings: [],
};
const unknownTenant: InstallEvidence = {
  outcome: 'unknown-tenant',
  httpStatus: 200,
  schemaOk: false,
  adminOk: false,
  formOk: false,
  warnings: ['Tenant [acme] not allowed.'],
};
const couldNotTell: InstallEvidence = { outcome: 'could-not-tell', httpStatus: 500, error: 'HTTP 500' };
const tokenValid: TokenEvidence = { expiresAt: '2099-01-01T00:00:00.000Z', expired: false, inKeychain: true };
const tokenExpired: TokenEvidence = { expiresAt: '2020-01-01T00:00:00.000Z', expired: true, inKeychain: true };

/** A registered, never-installed tenant whose checks all came back clean and empty. */
function base(patch: Partial<StatusInput> = {}): StatusInput {
  return {
    record: { state: 'registered' },
    dns: { api: dnsOk('acme.i1.test'), gui: dnsOk('acme-gui.i1.test') },
    install: notInstalled,
    es: esOf('none'),
    token: tokenValid,
    ...patch,
  };
}

const status = (input: StatusInput): VerifyStatus => deriveStatus(input).status;

describe('deriveStatus: every status is reachable', () => {
  const cases: [VerifyStatus, StatusInput][] = [
    ['registered', base()],
    ['handed-over', base({ record: { state: 'handed-over', handedOverAt: '2026-01-02T00:00:00Z' } })],
    ['installed', base({ install: installed, es: esOf('complete') })],
    ['partial', base({ es: esOf('partial') })],
    [
      'misrouted',
      base({
        dns: {
          api: { ...dnsOk('acme.i1.test'), addresses: ['10.0.2.1'], outcome: 'misrouted', pointsAtInstance: 'i2' },
          gui: dnsOk('g'),
        },
      }),
    ],
    [
      'drift',
      base({
        record: { state: 'installed', installedAt: '2026-01-01T00:00:00Z' },
        install: installed,
        es: esOf('partial'),
      }),
    ],
    [
      'wrong-instance',
      base({
        record: { state: 'installed', installedAt: '2026-01-01T00:00:00Z' },
        es: esOf('partial'),
        identity: {
          outcome: 'mismatch',
          expected: { version: '0.9.x', dbVersion: '09x', tenancy: 'multi-tenant', tenant: 'acme' },
          answered: { name: 'ffe49', tenant: null, version: '0.8.2', dbVersion: '0820', multiTenant: null },
          mismatches: ['db_version 0820 (expected 09x)', 'version 0.8.2 (expected 0.9.x)'],
          host: 'acme.i1.test',
          perInstance: false,
        },
      }),
    ],
    ['unreachable', base({ install: couldNotTell })],
    ['expired', base({ token: tokenExpired })],
    ['unknown-to-instance', base({ install: unknownTenant })],
    ['revoked', base({ record: { state: 'revoked', revokedAt: '2026-02-01T00:00:00Z' } })],
  ];
  it.each(cases)('%s', (expected, input) => {
    const out = deriveStatus(input);
    expect(out.status).toBe(expected);
    expect(out.summary.length).toBeGreaterThan(10);
    expect(out.summary).not.toMatch(/\n/);
  });
  it('covers every status of shared/tenants/tenant.ts, and the precedence lists each once', () => {
    expect(new Set(cases.map(([s]) => s))).toEqual(new Set(VERIFY_STATUSES));
    expect([...STATUS_PRECEDENCE].sort()).toEqual([...VERIFY_STATUSES].sort());
  });
});

describe('deriveStatus: precedence', () => {
  const misroutedDns = {
    api: dnsOk('a'),
    gui: { ...dnsOk('g'), addresses: ['10.9.9.9'], outcome: 'misrouted' as const },
  };

  it('misrouted beats everything, including a failed probe and an installed tenant', () => {
    expect(status(base({ dns: misroutedDns, install: couldNotTell }))).toBe('misrouted');
    expect(status(base({ dns: misroutedDns, install: installed, es: esOf('complete') }))).toBe('misrouted');
    const out = deriveStatus(base({ dns: misroutedDns }));
    expect(out.summary).toMatch(/GUI domain g resolves to 10\.9\.9\.9/);
  });

  it('names the other instance a misrouted domain points at', () => {
    const dns = {
      api: { ...dnsOk('acme.i1.test'), addresses: ['10.0.2.1'], outcome: 'misrouted' as const, pointsAtInstance: 'i2' },
      gui: dnsOk('g'),
    };
    expect(deriveStatus(base({ dns })).summary).toContain('instance "i2"');
  });

  it('could-not-tell is unreachable, never "not installed" — even for a tenant recorded installed', () => {
    expect(
      status(
        base({
          install: couldNotTell,
          record: { state: 'installed', installedAt: '2026-01-01T00:00:00Z' },
          es: esOf('none'),
        }),
      ),
    ).toBe('unreachable');
    expect(status(base({ install: couldNotTell, token: tokenExpired }))).toBe('unreachable');
    expect(status(base({ es: esOf('could-not-tell'), install: installed }))).toBe('unreachable');
    expect(deriveStatus(base({ install: couldNotTell })).summary).toMatch(/^Could not tell/);
  });

  it('a domain without an address is unreachable (after misrouted)', () => {
    const failed: DnsEvidence = {
      domain: 'acme.i1.test',
      addresses: [],
      expected: ['10.0.1.1'],
      outcome: 'failed',
      error: 'acme.i1.test does not resolve',
    };
    expect(status(base({ dns: { api: failed, gui: dnsOk('g') }, install: installed, es: esOf('complete') }))).toBe(
      'unreachable',
    );
    expect(status(base({ dns: { api: failed, gui: misroutedDns.gui } }))).toBe('misrouted');
    // In words: the domain that fails and what the lookup said, installed or not.
    expect(deriveStatus(base({ dns: { api: failed, gui: dnsOk('g') } })).summary).toBe(
      'The API domain has no address: acme.i1.test does not resolve.',
    );
    expect(
      deriveStatus(base({ dns: { api: dnsOk('a'), gui: failed }, install: installed, es: esOf('complete') })).summary,
    ).toBe('Installed, but the GUI domain has no address: acme.i1.test does not resolve.');
  });

  it('drift: recorded installed (state or installedAt) but artefacts or Tracardi say otherwise', () => {
    const wasInstalled = { state: 'installed' as const, installedAt: '2026-01-01T00:00:00Z' };
    expect(status(base({ record: wasInstalled, install: installed, es: esOf('partial') }))).toBe('drift');
    expect(status(base({ record: wasInstalled, install: notInstalled, es: esOf('complete') }))).toBe('drift');
    expect(status(base({ record: wasInstalled, install: unknownTenant, es: esOf('none') }))).toBe('drift');
    // revoked after install: still compared against the install
    expect(
      status(
        base({
          record: { state: 'revoked', installedAt: '2026-01-01T00:00:00Z' },
          install: notInstalled,
          es: esOf('none'),
          token: tokenExpired,
        }),
      ),
    ).toBe('drift');
    // Tracardi claims installed while artefacts are missing: drift even without a record of it
    expect(status(base({ install: installed, es: esOf('partial') }))).toBe('drift');
    expect(deriveStatus(base({ record: wasInstalled, install: installed, es: esOf('partial') })).summary).toContain(
      '09x.acme.tracardi-event-*',
    );
  });

  it('installed needs both Tracardi and Elasticsearch, and beats revoked/expired tokens', () => {
    expect(
      status(base({ install: installed, es: esOf('complete'), record: { state: 'revoked' }, token: tokenExpired })),
    ).toBe('installed');
    expect(status(base({ install: notInstalled, es: esOf('complete') }))).toBe('partial');
  });

  it('partial beats revoked, expired and unknown-to-instance', () => {
    expect(
      status(base({ es: esOf('partial'), record: { state: 'revoked' }, token: tokenExpired, install: unknownTenant })),
    ).toBe('partial');
  });

  it('revoked > expired > unknown-to-instance > handed-over > registered', () => {
    expect(status(base({ record: { state: 'revoked' }, token: tokenExpired, install: unknownTenant }))).toBe('revoked');
    expect(status(base({ record: { state: 'handed-over' }, token: tokenExpired, install: unknownTenant }))).toBe(
      'expired',
    );
    expect(status(base({ record: { state: 'handed-over' }, install: unknownTenant }))).toBe('unknown-to-instance');
    expect(status(base({ record: { state: 'handed-over' } }))).toBe('handed-over');
  });
});

describe('interpretInstall (GET /install answers)', () => {
  it('installed only when schema_ok && admin_ok', () => {
    expect(interpretInstall(200, { schema_ok: true, admin_ok: true, form_ok: true, warning: null }).outcome).toBe(
      'installed',
    );
    expect(interpretInstall(200, { schema_ok: true, admin_ok: false, form_ok: true, warning: null }).outcome).toBe(
      'not-installed',
    );
    expect(interpretInstall(200, { schema_ok: true, admin_ok: null, form_ok: null, warning: null }).outcome).toBe(
      'not-installed',
    );
  });
  it('form_ok false or a warning: the instance does not accept the tenant', () => {
    expect(interpretInstall(200, { schema_ok: false, admin_ok: false, form_ok: false, warning: null }).outcome).toBe(
      'unknown-tenant',
    );
    const w = interpretInstall(200, {
      schema_ok: false,
      admin_ok: false,
      form_ok: true,
      warning: ['Tenant [x] not allowed.'],
    });
    expect(w.outcome).toBe('unknown-tenant');
    expect(w.warnings).toEqual(['Tenant [x] not allowed.']);
  });
  it('0.9 before its first install (no MySQL database): every field false, no warning, is not installed', () => {
    // What the real 0.9.0-rc5 answered on a fresh instance, for its default tenant and any Host.
    const fresh = { schema_ok: false, admin_ok: false, form_ok: false, warning: null };
    expect(interpretInstall(200, fresh, '', { mysqlDatabase: true })).toEqual({
      outcome: 'not-installed',
      httpStatus: 200,
      schemaOk: false,
      adminOk: false,
      formOk: false,
      warnings: [],
      database: 'not-created',
    });
    // 0.8.2 keeps no database: no path of its gives that answer, so it stays a refusal there.
    expect(interpretInstall(200, fresh, '', { mysqlDatabase: false }).outcome).toBe('unknown-tenant');
    // A warning, or form_ok false next to another field, is still the instance refusing the tenant.
    const refused = { ...fresh, warning: ['Tenant [x] is not registered in the tenant management service.'] };
    expect(interpretInstall(200, refused, '', { mysqlDatabase: true }).outcome).toBe('unknown-tenant');
    expect(interpretInstall(200, { ...fresh, schema_ok: true }, '', { mysqlDatabase: true }).outcome).toBe(
      'unknown-tenant',
    );
    expect(interpretInstall(200, { ...fresh, admin_ok: null }, '', { mysqlDatabase: true }).outcome).toBe(
      'unknown-tenant',
    );
  });
  it("a 5xx naming the MySQL driver: Tracardi's database is not reachable, the driver's text as detail", () => {
    // The real 0.9.0-rc5 with its MariaDB stopped: the first answer (a pooled connection) and the next ones.
    for (const detail of [
      "(pymysql.err.OperationalError) (2013, 'Lost connection to MySQL server during query')\n[SQL: SHOW DATABASES LIKE 'tracardi';]\n(Background on this error at: https://sqlalche.me/e/20/e3q8)",
      "(pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '127.0.0.1'\")\n(Background on this error at: https://sqlalche.me/e/20/e3q8)",
    ]) {
      const e = interpretInstall(500, { detail });
      expect(e).toMatchObject({ outcome: 'could-not-tell', httpStatus: 500, database: 'unreachable' });
      expect(e.error).toMatch(
        /^Tracardi's database is not reachable \(GET \/install answered HTTP 500: \(pymysql\.err\.OperationalError\) \(20\d\d, /,
      );
      expect(e.error).not.toContain('\n');
    }
    expect(interpretInstall(500, { detail: 'boom' })).not.toHaveProperty('database');
    expect(interpretInstall(502, undefined, '<html>bad gateway</html>')).not.toHaveProperty('database');
  });
  it('5xx and non-install answers are could-not-tell', () => {
    expect(interpretInstall(500, { detail: 'boom' })).toMatchObject({ outcome: 'could-not-tell', httpStatus: 500 });
    expect(interpretInstall(502, undefined, '<html>bad gateway</html>').outcome).toBe('could-not-tell');
    expect(interpretInstall(200, { hello: 1 }).outcome).toBe('could-not-tell');
    expect(interpretInstall(401, { detail: 'Unauthorized' }).outcome).toBe('could-not-tell');
  });
  it('a refused tenant Host is unknown-tenant', () => {
    expect(interpretInstall(403, { detail: 'Tenant [x] not allowed.' }).outcome).toBe('unknown-tenant');
  });
});

describe("deriveStatus: Tracardi 0.9's database", () => {
  const fresh = interpretInstall(200, { schema_ok: false, admin_ok: false, form_ok: false, warning: null }, '', {
    mysqlDatabase: true,
  });
  it('before the first install the tenant is registered or handed over, never unknown to the instance', () => {
    expect(deriveStatus(base({ install: fresh }))).toEqual({
      status: 'registered',
      summary:
        "Registered; token not handed over; not installed (Tracardi's database does not exist yet: nothing was installed there).",
    });
    expect(deriveStatus(base({ record: { state: 'handed-over' }, install: fresh })).status).toBe('handed-over');
    // A record that was installed reads drift: the database it was installed in is gone.
    const lost = deriveStatus(base({ record: { state: 'installed' }, install: fresh, es: esOf('complete') }));
    expect(lost).toMatchObject({ status: 'drift', summary: expect.stringContaining('no database yet') });
  });
  it("with the database down the tenant is unreachable and the summary says why, the driver's text after", () => {
    const down = interpretInstall(500, {
      detail:
        "(pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '127.0.0.1'\")\n(Background on this error at: https://sqlalche.me/e/20/e3q8)",
    });
    expect(deriveStatus(base({ install: down }))).toEqual({
      status: 'unreachable',
      summary:
        "Tracardi's database is not reachable (GET /install answered HTTP 500: (pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '127.0.0.1'\") (Background on this error at: https://sqlalche.me/e/20/e3q8)).",
    });
  });
});

describe('evaluateDns', () => {
  const known = [
    { instanceId: 'i1', addresses: ['10.0.1.1'] },
    { instanceId: 'i2', addresses: ['10.0.2.1', '2001:db8::1'] },
  ];
  it('ok, misrouted to a known instance, misrouted elsewhere, failed', () => {
    expect(evaluateDns('a.i1.test', { addresses: ['10.0.1.1'] }, ['10.0.1.1'], known, 'i1').outcome).toBe('ok');
    expect(evaluateDns('a.i1.test', { addresses: ['10.0.2.1'] }, ['10.0.1.1'], known, 'i1')).toMatchObject({
      outcome: 'misrouted',
      pointsAtInstance: 'i2',
    });
    expect(evaluateDns('a.i1.test', { addresses: ['2001:DB8:0:0:0:0:0:1'] }, ['10.0.1.1'], known, 'i1')).toMatchObject({
      outcome: 'misrouted',
      pointsAtInstance: 'i2',
    });
    const elsewhere = evaluateDns('a.i1.test', { addresses: ['192.0.2.7'] }, ['10.0.1.1'], known, 'i1');
    expect(elsewhere.outcome).toBe('misrouted');
    expect(elsewhere.pointsAtInstance).toBeUndefined();
    expect(evaluateDns('a.i1.test', { addresses: ['10.0.1.1', '192.0.2.7'] }, ['10.0.1.1'], known, 'i1').outcome).toBe(
      'misrouted',
    );
    expect(evaluateDns('a.i1.test', { error: 'does not resolve' }, ['10.0.1.1'], known, 'i1').outcome).toBe('failed');
  });
  it('without expected addresses only another instance is flagged', () => {
    expect(evaluateDns('a.i1.test', { addresses: ['192.0.2.7'] }, [], known, 'i1').outcome).toBe('not-checked');
    expect(evaluateDns('a.i1.test', { addresses: ['10.0.2.1'] }, null, known, 'i1')).toMatchObject({
      outcome: 'misrouted',
      pointsAtInstance: 'i2',
    });
  });
});

describe('evaluateEs', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  const fullListing = (tenant: string, version: '0.8.x' | '0.9.x', dropIndex?: string) => {
    const exp = expectedArtifacts(tenant, version);
    const indices = [
      ...exp.plainIndices,
      ...exp.partitionedTypes.map((p) => p.indexPrefix + partitionSuffix(p.type, version, now)),
    ].filter((i) => i !== dropIndex);
    return buildListing(indices, exp.aliases, exp.templates);
  };
  it('complete for 0.9.x and 0.8.x installs (36 and 172 artefacts)', () => {
    const e9 = evaluateEs('acme', '0.9.x', fullListing('acme', '0.9.x'));
    expect(e9).toMatchObject({
      outcome: 'complete',
      indicesExpected: 12,
      aliasesExpected: 12,
      templatesExpected: 12,
      missing: [],
    });
    const e8 = evaluateEs('acme', '0.8.x', fullListing('acme', '0.8.x'));
    expect(e8).toMatchObject({ outcome: 'complete', indicesExpected: 76, aliasesExpected: 76, templatesExpected: 20 });
  });
  it('any partition of a type counts; a lost partitioned index is partial', () => {
    const older = buildListing(['09x.acme.tracardi-event-2024-q1'], [], []);
    expect(evaluateEs('acme', '0.9.x', older).indicesFound).toBe(1);
    const lost = evaluateEs(
      'acme',
      '0.9.x',
      fullListing('acme', '0.9.x', `prod-09x.acme.tracardi-profile${partitionSuffix('profile', '0.9.x', now)}`),
    );
    expect(lost.outcome).toBe('partial');
    expect(lost.missing).toEqual(['prod-09x.acme.tracardi-profile-*']);
  });
  it('another tenant or version does not count', () => {
    expect(evaluateEs('acme', '0.9.x', fullListing('acmex', '0.9.x')).outcome).toBe('none');
    expect(evaluateEs('acme', '0.9.x', fullListing('acme', '0.8.x')).outcome).toBe('none');
    // `event-redirect` (a 0.8.2 plain type) is not a partition of `event`
    expect(evaluateEs('acme', '0.8.x', buildListing(['0820.acme.tracardi-event-redirect'], [], [])).indicesFound).toBe(
      1,
    );
    expect(buildListing(['0820.acme.tracardi-event-redirect'], [], []).partitionFamilies.size).toBe(0);
  });
});

describe('MapResolver', () => {
  it('exact beats wildcard, longest wildcard wins, unknown is not-found', async () => {
    const r = new MapResolver({
      '*.i1.test': ['10.0.1.1'],
      '*.eu.i1.test': ['10.0.1.2'],
      'special.i1.test': ['10.0.2.1'],
    });
    expect(await r.resolve('acme.i1.test')).toEqual(['10.0.1.1']);
    expect(await r.resolve('ACME.eu.i1.test.')).toEqual(['10.0.1.2']);
    expect(await r.resolve('special.i1.test')).toEqual(['10.0.2.1']);
    await expect(r.resolve('i1.test')).rejects.toBeInstanceOf(DnsLookupError);
    await expect(r.resolve('nowhere.test')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('runPool', () => {
  it('never runs more than the limit at once and runs every item', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(
      Array.from({ length: 50 }, (_, i) => i),
      7,
      async (item) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((ok) => setTimeout(ok, 1 + (item % 3)));
        seen.push(item);
        running--;
      },
    );
    expect(peak).toBe(7);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('VerifyService with in-memory dependencies', () => {
  const instance = instanceSchema.parse({
    id: 'i1',
    name: 'i1',
    environment: 'test',
    apiUrl: 'http://127.0.0.1:1',
    tenantDomainSuffix: 'i1.test',
    tracardiVersion: '0.9.x',
    tmsUrl: 'http://127.0.0.1:2',
    es: { nodes: ['http://127.0.0.1:3'] },
    expectedAddresses: ['10.0.1.1'],
  });
  const records: TenantRecord[] = Array.from({ length: 10 }, (_, i) => ({
    instanceId: 'i1',
    tenant: `t${String.fromCharCode(97 + i)}aa`,
    apiDomain: `t${String.fromCharCode(97 + i)}aa.i1.test`,
    apiUrl: '',
    guiDomain: `t${String.fromCharCode(97 + i)}aa-gui.i1.test`,
    guiUrl: '',
    email: 'a@b.c',
    createdAt: '2026-01-01T00:00:00Z',
    tokenExpiresAt: null,
    state: 'registered',
    warnings: [],
  }));
  const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

  function build(listingMs: number) {
    let listings = 0;
    let listingDone = false;
    let probesBeforeListing = 0;
    let inFlight = 0;
    let peak = 0;
    const stored: VerificationResult[][] = [];
    const audits: unknown[] = [];
    const client = {
      cat: {
        indices: async () => {
          listings++;
          await sleep(listingMs);
          listingDone = true;
          return [];
        },
        aliases: async () => [],
      },
      indices: { getIndexTemplate: async () => ({}) },
      close: async () => {},
    } as unknown as Client;
    const service = new VerifyService({
      instances: { list: async () => [{ instance }] },
      tenants: { list: async () => records, recordVerification: async (r) => void stored.push(r) },
      esClientFactory: async () => client,
      resolver: new MapResolver({ '*.i1.test': ['10.0.1.1'] }),
      tracardi: {
        getInstall: async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await sleep(40);
          inFlight--;
          if (!listingDone) probesBeforeListing++;
          return {
            outcome: 'not-installed',
            httpStatus: 200,
            schemaOk: false,
            adminOk: false,
            formOk: true,
            warnings: [],
          };
        },
        // A multi-tenant 0.9 names the Host's tenant.
        getVersionDetails: async (target: { tenantHost?: string }) => ({
          name: '8504a',
          tenant: (target.tenantHost ?? '').split('.')[0] ?? null,
          version: '0.9.0',
          dbVersion: '09x',
          multiTenant: true,
        }),
      },
      audit: { record: async (e) => void audits.push(e) },
      concurrency: 2,
    });
    return {
      service,
      stored,
      audits,
      listings: () => listings,
      peak: () => peak,
      probesBeforeListing: () => probesBeforeListing,
    };
  }

  it('probes at most `concurrency` tenants at once, lists ES once, stores once, audits once', async () => {
    const t = build(0);
    const progress: number[] = [];
    const run = await t.service.verify({ instanceId: 'i1' }, { onProgress: (p) => progress.push(p.done) });
    expect(run.results.map((r) => r.status)).toEqual(Array(10).fill('registered'));
    expect(t.peak()).toBe(2);
    expect(t.listings()).toBe(1);
    expect(run.stats.esRequests).toBe(3);
    // A multi-tenant 0.9 names the tenant per Host: one identity request per tenant.
    expect(run.stats.identityRequests).toBe(10);
    expect(run.results.every((r) => r.evidence.identity?.outcome === 'match')).toBe(true);
    expect(t.stored).toHaveLength(1);
    expect(t.stored[0]).toHaveLength(10);
    expect(t.audits).toHaveLength(1);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('audit: false (a watch round) writes no entry, whether the run succeeds or fails', async () => {
    const t = build(0);
    await t.service.verify({ fleet: true }, { audit: false });
    const controller = new AbortController();
    await expect(
      t.service.verify(
        { fleet: true },
        { audit: false, signal: controller.signal, onProgress: () => controller.abort() },
      ),
    ).rejects.toMatchObject({ code: 'invalid-state' });
    expect(t.audits).toEqual([]);
    await t.service.verify({ fleet: true });
    expect(t.audits).toHaveLength(1);
  });

  it('a slow Elasticsearch listing overlaps the probes instead of stalling the pool', async () => {
    const t = build(300);
    const run = await t.service.verify({ fleet: true });
    // Behaviour, not speed (bench/verify.ts measures that): probes finish while the listing is
    // still out. A pool waiting for the listing would finish none before it.
    expect(t.probesBeforeListing()).toBeGreaterThan(0);
    expect(run.results).toHaveLength(10);
  });

  it('cancelling stops taking tenants, keeps what was verified, and fails the run', async () => {
    const t = build(0);
    const controller = new AbortController();
    const run = t.service.verify(
      { fleet: true },
      { signal: controller.signal, onProgress: (p) => p.done === 3 && controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ code: 'invalid-state' });
    expect(t.stored.flat().length).toBeGreaterThanOrEqual(3);
    expect(t.stored.flat().length).toBeLessThan(10);
    expect(t.audits).toEqual([expect.objectContaining({ action: 'verify', outcome: 'failed' })]);
  });
});
