import { describe, expect, it } from 'vitest';
import {
  asVerification,
  buildRows,
  EMPTY_FILTERS,
  filterTenants,
  type InstanceInfo,
  type TenantFilters,
} from '../../../renderer/features/tenants/filter-tenants';
import {
  toTenantRow,
  type TenantRecord,
  type VerificationResult,
  type VerifyStatus,
} from '../../../shared/tenants/tenant';

function verification(instanceId: string, tenant: string, status: VerifyStatus): VerificationResult {
  const dns = { domain: `${tenant}.x`, addresses: [], expected: [], outcome: 'ok' as const };
  return {
    instanceId,
    tenant,
    status,
    summary: `${status} because`,
    checkedAt: '2025-01-01T00:00:00Z',
    evidence: {
      dns: { api: dns, gui: dns },
      install: { outcome: 'installed' },
      es: {
        outcome: 'complete',
        indicesExpected: 1,
        indicesFound: 1,
        aliasesExpected: 1,
        aliasesFound: 1,
        templatesExpected: 1,
        templatesFound: 1,
        missing: [],
      },
      token: { expiresAt: null, expired: false, inKeychain: true },
    },
  };
}

function record(instanceId: string, tenant: string, extra: Partial<TenantRecord> = {}): TenantRecord {
  return {
    instanceId,
    tenant,
    apiDomain: `${tenant}.${instanceId}.example.com`,
    apiUrl: `https://${tenant}.${instanceId}.example.com`,
    guiDomain: `${tenant}-gui.${instanceId}.example.com`,
    guiUrl: `https://${tenant}-gui.${instanceId}.example.com`,
    email: `ops@${tenant}.com`,
    createdAt: '2025-01-01T00:00:00Z',
    tokenExpiresAt: null,
    state: 'registered',
    warnings: [],
    ...extra,
  };
}

const instances = new Map<string, InstanceInfo>([
  ['prod1', { name: 'Production EU', environment: 'production', colour: '#ff0000' }],
  ['stage1', { name: 'Staging', environment: 'staging', colour: '#00ff00' }],
]);

const records = [
  record('stage1', 'globex', { state: 'installed', lastVerification: verification('stage1', 'globex', 'installed') }),
  record('prod1', 'acme', { state: 'handed-over', lastVerification: verification('prod1', 'acme', 'drift') }),
  record('prod1', 'initech', { email: 'peter@initech.com' }),
  record('stage1', 'acmeshop', { state: 'revoked', lastVerification: { garbage: true } }),
  record('orphan', 'hooli'),
];
// As `tenants.list` sends them: slim rows, no evidence.
const rows = buildRows(records.map(toTenantRow), instances);
const names = (filters: Partial<TenantFilters>) =>
  filterTenants(rows, { ...EMPTY_FILTERS, ...filters }).map((r) => r.key);

describe('buildRows', () => {
  it('sorts by instance then tenant, keys rows by instance/tenant and joins the instance', () => {
    expect(rows.map((r) => r.key)).toEqual([
      'orphan/hooli',
      'prod1/acme',
      'prod1/initech',
      'stage1/acmeshop',
      'stage1/globex',
    ]);
    expect(rows[1]?.instance?.environment).toBe('production');
    expect(rows[0]?.instance).toBeNull();
  });

  it('keeps a last verification only when it has the expected shape', () => {
    expect(rows.find((r) => r.key === 'prod1/acme')?.verification?.status).toBe('drift');
    expect(rows.find((r) => r.key === 'stage1/acmeshop')?.verification).toBeNull();
    expect(asVerification({ status: 'nonsense', summary: '', evidence: {} })).toBeNull();
    expect(asVerification(null)).toBeNull();
  });
});

describe('filterTenants', () => {
  it('returns the rows unchanged (same array) when nothing filters', () => {
    expect(filterTenants(rows, EMPTY_FILTERS)).toBe(rows);
    expect(filterTenants(rows, { ...EMPTY_FILTERS, search: '   ' })).toBe(rows);
  });

  it('searches tenant, domains, e-mail and instance name, case-insensitively, every term required', () => {
    expect(names({ search: 'ACME' })).toEqual(['prod1/acme', 'stage1/acmeshop']);
    expect(names({ search: 'acme staging' })).toEqual(['stage1/acmeshop']);
    expect(names({ search: 'peter@' })).toEqual(['prod1/initech']);
    expect(names({ search: 'globex-gui.stage1' })).toEqual(['stage1/globex']);
    expect(names({ search: 'production eu' })).toEqual(['prod1/acme', 'prod1/initech']);
    expect(names({ search: 'nothing-like-this' })).toEqual([]);
  });

  it('filters by instance, record state, last verification status (or never verified) and environment', () => {
    expect(names({ instanceId: 'stage1' })).toEqual(['stage1/acmeshop', 'stage1/globex']);
    expect(names({ state: 'revoked' })).toEqual(['stage1/acmeshop']);
    expect(names({ verifyStatus: 'drift' })).toEqual(['prod1/acme']);
    expect(names({ verifyStatus: 'never' })).toEqual(['orphan/hooli', 'prod1/initech', 'stage1/acmeshop']);
    expect(names({ environment: 'production' })).toEqual(['prod1/acme', 'prod1/initech']);
  });

  it('combines filters', () => {
    expect(names({ environment: 'staging', search: 'acme' })).toEqual(['stage1/acmeshop']);
    expect(names({ instanceId: 'prod1', verifyStatus: 'never', search: 'init' })).toEqual(['prod1/initech']);
    expect(names({ instanceId: 'prod1', state: 'installed' })).toEqual([]);
  });

  // How fast is bench/ui.ts's to say (the filter keystroke, in Chromium): no timing asserts here.
  it('filters 10,000 rows', () => {
    const many = buildRows(
      Array.from({ length: 10_000 }, (_, i) => toTenantRow(record(i % 2 ? 'prod1' : 'stage1', `tenant${i}`))),
      instances,
    );
    // Odd numbers are on prod1 (production); the filter keeps the rows' order.
    const production = filterTenants(many, { ...EMPTY_FILTERS, search: 'tenant19', environment: 'production' });
    expect(production.map((r) => r.record.tenant)).toEqual(
      many
        .filter((r) => r.record.instanceId === 'prod1' && r.record.tenant.includes('tenant19'))
        .map((r) => r.record.tenant),
    );
    expect(filterTenants(many, { ...EMPTY_FILTERS, search: 'tenant9999' }).map((r) => r.record.tenant)).toEqual([
      'tenant9999',
    ]);
  });
});
