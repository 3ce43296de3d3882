// The identity check as pure functions: how a run asks each kind of instance who it is, what it
// expects to hear, and the verdicts (wrong-instance, the single-tenant "serves only" verdict) that
// win over drift.
import { describe, expect, it } from 'vitest';
import { instanceSchema, type Instance } from '../../../shared/instances/instance';
import type { DnsEvidence, IdentityEvidence, InstallEvidence } from '../../../shared/tenants/tenant';
import { deriveStatus, type StatusInput } from '../../../main/services/verify';
import {
  evaluateIdentity,
  expectedIdentity,
  identityPlan,
  servedTenant,
  versionFamily,
} from '../../../main/services/verify/identity';

function instance(patch: Partial<Instance> = {}): Instance {
  return instanceSchema.parse({
    id: 'i1',
    name: 'i1',
    environment: 'test',
    apiUrl: 'http://127.0.0.1:1',
    tenantDomainSuffix: 'i1.test',
    tracardiVersion: '0.9.x',
    tmsUrl: 'http://127.0.0.1:2',
    es: { nodes: ['http://127.0.0.1:3'] },
    ...patch,
  });
}
const meta = (recordTenant: string, host: string | null = `${recordTenant}.i1.test`) => ({
  host,
  perInstance: false,
  recordTenant,
});
const mt09 = { name: '8504a', tenant: 'acme', version: '0.9.0', dbVersion: '09x', multiTenant: true };
const st08 = { name: 'ffe49', tenant: null, version: '0.8.2', dbVersion: '0820', multiTenant: null };

describe('identityPlan: one request per instance where the answer ignores the Host', () => {
  it('single-tenant: per instance, no tenant Host', () => {
    expect(identityPlan(instance({ tenancy: 'single-tenant' }))).toEqual({ perInstance: true, tenantHost: false });
    expect(identityPlan(instance({ tenancy: 'single-tenant', tracardiVersion: '0.8.x' }))).toEqual({
      perInstance: true,
      tenantHost: false,
    });
  });
  it('multi-tenant 0.8.x: per instance (no per-tenant identity), with a tenant Host', () => {
    expect(identityPlan(instance({ tracardiVersion: '0.8.x' }))).toEqual({ perInstance: true, tenantHost: true });
  });
  it('multi-tenant 0.9.x: per tenant (its `tenant` follows the Host)', () => {
    expect(identityPlan(instance())).toEqual({ perInstance: false, tenantHost: true });
  });
});

describe('expectedIdentity and servedTenant', () => {
  it('single-tenant serves TENANT_NAME, else the version default', () => {
    expect(servedTenant(instance({ tracardiVersion: '0.8.x' }))).toBe('ffe49');
    expect(servedTenant(instance())).toBe('8504a');
    expect(servedTenant(instance({ singleTenantName: 'shop' }))).toBe('shop');
    expect(expectedIdentity(instance({ tenancy: 'single-tenant', tracardiVersion: '0.8.x' }), 'x')).toEqual({
      version: '0.8.x',
      dbVersion: '0820',
      tenancy: 'single-tenant',
      name: 'ffe49',
    });
  });
  it("multi-tenant 0.9 expects the record's tenant; 0.8 and the unknown TENANT_NAME are not compared", () => {
    expect(expectedIdentity(instance(), 'acme')).toEqual({
      version: '0.9.x',
      dbVersion: '09x',
      tenancy: 'multi-tenant',
      tenant: 'acme',
    });
    expect(expectedIdentity(instance({ tracardiVersion: '0.8.x' }), 'acme')).not.toHaveProperty('tenant');
  });
  it('versionFamily', () => {
    expect(versionFamily('0.8.2')).toBe('0.8.x');
    expect(versionFamily('0.8.2.1')).toBe('0.8.x');
    expect(versionFamily('0.9')).toBe('0.9.x');
    expect(versionFamily('dev')).toBeNull();
  });
});

describe('evaluateIdentity', () => {
  const mt = expectedIdentity(instance(), 'acme');
  it('a matching multi-tenant 0.9 answer, whatever its TENANT_NAME', () => {
    const e = evaluateIdentity(mt, { ...mt09, name: 'whatever' }, meta('acme'));
    expect(e.outcome).toBe('match');
    expect(e.mismatches).toEqual([]);
  });
  it('another version answers: db_version and version named', () => {
    const e = evaluateIdentity(mt, st08, meta('acme'));
    expect(e.outcome).toBe('mismatch');
    expect(e.mismatches).toEqual(['db_version 0820 (expected 09x)', 'version 0.8.2 (expected 0.9.x)']);
  });
  it('a single-tenant 0.9 answers a multi-tenant URL', () => {
    const e = evaluateIdentity(mt, { ...mt09, name: 'other', tenant: 'other', multiTenant: false }, meta('acme'));
    expect(e.mismatches).toEqual(['is single-tenant, serving only "other" (expected multi-tenant)']);
  });
  it('a 0.9 that derives another tenant from the Host', () => {
    const e = evaluateIdentity(mt, { ...mt09, tenant: 'acmex' }, meta('acme'));
    expect(e.mismatches).toEqual(['answers as tenant "acmex" (expected "acme")']);
  });
  it('single-tenant: the name must be the served tenant; a multi-tenant answer is wrong', () => {
    const st = expectedIdentity(instance({ tenancy: 'single-tenant', tracardiVersion: '0.8.x' }), 'ffe49');
    expect(evaluateIdentity(st, st08, meta('ffe49', null)).outcome).toBe('match');
    const other = evaluateIdentity(st, { ...st08, name: 'shop' }, meta('ffe49', null));
    expect(other.mismatches).toEqual(['serves tenant "shop" (expected "ffe49")']);
    const st9 = expectedIdentity(instance({ tenancy: 'single-tenant', singleTenantName: 'shop' }), 'shop');
    expect(evaluateIdentity(st9, { ...mt09, name: 'shop', tenant: 'shop' }, meta('shop', null)).mismatches).toEqual([
      'is multi-tenant (expected single-tenant)',
    ]);
  });
  it('single-tenant: a record of another name is marked servesOnly, even when the answer matches', () => {
    const st = expectedIdentity(instance({ tenancy: 'single-tenant', tracardiVersion: '0.8.x' }), 'acme');
    const e = evaluateIdentity(st, st08, meta('acme', null));
    expect(e).toMatchObject({ outcome: 'match', servesOnly: 'ffe49', host: null });
  });
  it('no answer, or an answer that names nothing: could-not-tell', () => {
    expect(evaluateIdentity(mt, { error: 'connection refused' }, meta('acme'))).toMatchObject({
      outcome: 'could-not-tell',
      error: 'connection refused',
    });
    const empty = { name: null, tenant: null, version: null, dbVersion: null, multiTenant: null };
    expect(evaluateIdentity(mt, empty, meta('acme')).outcome).toBe('could-not-tell');
  });
});

describe('deriveStatus with identity evidence', () => {
  const dnsOk = (domain: string): DnsEvidence => ({
    domain,
    addresses: ['10.0.1.1'],
    expected: ['10.0.1.1'],
    outcome: 'ok',
  });
  const installed: InstallEvidence = {
    outcome: 'installed',
    httpStatus: 200,
    schemaOk: true,
    adminOk: true,
    formOk: true,
  };
  const input = (identity: IdentityEvidence, patch: Partial<StatusInput> = {}): StatusInput => ({
    record: { state: 'installed', installedAt: '2026-01-01T00:00:00Z' },
    dns: { api: dnsOk('acme.i1.test'), gui: dnsOk('acme-gui.i1.test') },
    install: installed,
    // Artefacts missing: without the identity check this is drift.
    es: {
      outcome: 'none',
      indicesExpected: 6,
      indicesFound: 0,
      aliasesExpected: 12,
      aliasesFound: 0,
      templatesExpected: 12,
      templatesFound: 0,
      missing: ['09x.acme.tracardi-event-*'],
    },
    token: { expiresAt: null, expired: false, inKeychain: true },
    identity,
    ...patch,
  });
  const mt = expectedIdentity(instance(), 'acme');

  it('wrong-instance, not drift, naming who answered', () => {
    const out = deriveStatus(input(evaluateIdentity(mt, st08, meta('acme'))));
    expect(out.status).toBe('wrong-instance');
    expect(out.summary).toContain('name "ffe49"');
    expect(out.summary).toContain('version 0.8.2');
    expect(out.summary).toContain('db_version 0820');
    expect(deriveStatus(input(evaluateIdentity(mt, mt09, meta('acme')))).status).toBe('drift');
  });
  it('misrouted DNS still comes first; wrong-instance beats a failed install probe', () => {
    const wrong = evaluateIdentity(mt, st08, meta('acme'));
    const misrouted = { ...dnsOk('acme.i1.test'), addresses: ['10.9.9.9'], outcome: 'misrouted' as const };
    expect(deriveStatus(input(wrong, { dns: { api: misrouted, gui: dnsOk('g') } })).status).toBe('misrouted');
    expect(deriveStatus(input(wrong, { install: { outcome: 'could-not-tell', error: 'HTTP 500' } })).status).toBe(
      'wrong-instance',
    );
  });
  it('could not tell who answered: unreachable', () => {
    const out = deriveStatus(input(evaluateIdentity(mt, { error: 'no answer within 5000 ms' }, meta('acme'))));
    expect(out).toMatchObject({ status: 'unreachable' });
    expect(out.summary).toContain('/info/version/details no answer within 5000 ms');
  });
  it('a tenant Host refused by both endpoints stays unknown-to-instance, not unreachable', () => {
    const refused = evaluateIdentity(mt, { error: 'HTTP 400: Hostname x.com must have 3 parts.' }, meta('acme'));
    const out = deriveStatus(
      input(refused, {
        record: { state: 'registered' },
        install: { outcome: 'unknown-tenant', httpStatus: 400, error: 'HTTP 400: Hostname x.com must have 3 parts.' },
      }),
    );
    expect(out.status).toBe('unknown-to-instance');
  });
  it('single-tenant, a record of another name: unknown-to-instance saying which tenant it serves, not drift', () => {
    const st = expectedIdentity(instance({ tenancy: 'single-tenant', tracardiVersion: '0.8.x' }), 'acme');
    const out = deriveStatus(
      input(evaluateIdentity(st, st08, meta('acme', null)), {
        install: { outcome: 'unknown-tenant', error: 'not asked' },
      }),
    );
    expect(out.status).toBe('unknown-to-instance');
    expect(out.summary).toContain('serves only tenant "ffe49"');
  });
});
