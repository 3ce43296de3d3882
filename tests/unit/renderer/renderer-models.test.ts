import { describe, expect, it } from 'vitest';
import {
  emptyFormValues,
  fieldOfPath,
  formValuesFrom,
  toInstanceInput,
  validateInstanceForm,
} from '../../../renderer/features/instances/instance-form-model';
import { countByStatus, mergeResults } from '../../../renderer/features/verify/merge-results';
import { parseRoute, routeHash, type Route } from '../../../renderer/lib/routes';
import type { VerificationResult } from '../../../shared/tenants/tenant';
import { CA_PEM } from '../fixtures/ca-pem';

const valid = {
  ...emptyFormValues(),
  id: 'instance1',
  name: 'Instance one',
  environment: 'production' as const,
  apiUrl: 'https://api.instance1.example.com',
  tenantDomainSuffix: 'instance1.example.com',
  tmsUrl: 'http://tms.instance1.example.com:8383',
  esNodes: 'https://es1.example.com:9200\n\nhttps://es2.example.com:9200 ',
  esAuthType: 'basic' as const,
  esUsername: 'elastic',
  expectedAddresses: '10.0.0.1, 10.0.0.2\n10.0.0.3',
  bytesPerTenantEstimate: '2gb',
};

describe('instance form model', () => {
  it('builds the settings object the shared schema accepts, lists split per line', () => {
    const result = validateInstanceForm(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.instance.es.nodes).toEqual(['https://es1.example.com:9200', 'https://es2.example.com:9200']);
    expect(result.instance.es.auth).toEqual({ type: 'basic', username: 'elastic' });
    expect(result.instance.expectedAddresses).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(result.instance.bytesPerTenantEstimate).toBe(2 * 1024 ** 3);
    expect(result.instance.es.tls.verify).toBe(true);
    expect(result.input).not.toHaveProperty('referenceHost');
  });

  it('round-trips an instance through the form values', () => {
    const result = validateInstanceForm({
      ...valid,
      tlsSkipVerify: true,
      tlsCaPem: CA_PEM,
      referenceHost: 'ref.example.com',
    });
    if (!result.ok) throw new Error('expected valid');
    const again = validateInstanceForm(formValuesFrom(result.instance));
    expect(again.ok && again.instance).toEqual(result.instance);
    expect(toInstanceInput(formValuesFrom(result.instance)).es).toMatchObject({
      tls: { verify: false, caPem: CA_PEM },
    });
  });

  it('puts each schema message on its field', () => {
    const result = validateInstanceForm({
      ...valid,
      id: 'Bad Id',
      esNodes: 'ftp://x',
      esUsername: '',
      tlsFingerprint: 'zz',
      esTimeoutMs: 'soon',
      bytesPerTenantEstimate: 'lots',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['bytesPerTenantEstimate', 'esNodes', 'esTimeoutMs', 'esUsername', 'id', 'tlsFingerprint'].sort(),
    );
    expect(result.errors.id).toMatch(/instance id/);
    expect(result.errors.esNodes).toMatch(/http/);
  });

  it('sends the Tracardi index settings and checks them with the schema', () => {
    const ok = validateInstanceForm({
      ...valid,
      footprintIndexShards: '5',
      footprintConfShards: '2',
      footprintReplicas: '0',
    });
    expect(ok.ok && ok.instance.footprint).toEqual({ indexShards: 5, confShards: 2, replicas: 0 });
    const bad = validateInstanceForm({ ...valid, footprintReplicas: '9', footprintIndexShards: 'x' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.footprintReplicas).toBeDefined();
    expect(bad.errors.footprintIndexShards).toBe('a whole number');
  });

  it('maps nested issue paths to form fields', () => {
    expect(fieldOfPath(['es', 'nodes', 0])).toBe('esNodes');
    expect(fieldOfPath(['es', 'auth', 'username'])).toBe('esUsername');
    expect(fieldOfPath(['es', 'tls', 'caFingerprint'])).toBe('tlsFingerprint');
    expect(fieldOfPath(['expectedAddresses', 2])).toBe('expectedAddresses');
    expect(fieldOfPath(['footprint', 'replicas'])).toBe('footprintReplicas');
  });
});

describe('verification results merge', () => {
  const r = (tenant: string, status: VerificationResult['status']) =>
    ({ instanceId: 'i1', tenant, status }) as VerificationResult;

  it('appends new tenants, replaces a re-sent one, keeps arrival order', () => {
    const merged = mergeResults([r('a', 'installed'), r('b', 'partial')], [r('c', 'drift'), r('b', 'installed')]);
    expect(merged.map((x) => `${x.tenant}:${x.status}`)).toEqual(['a:installed', 'b:installed', 'c:drift']);
    expect([...countByStatus(merged)]).toEqual([
      ['installed', 2],
      ['drift', 1],
    ]);
  });
});

describe('hash routes', () => {
  it('parses and formats every screen', () => {
    const routes: Route[] = [
      { screen: 'fleet' },
      { screen: 'instance', id: 'instance-1' },
      { screen: 'tenants' },
      { screen: 'new-tenant' },
      { screen: 'new-tenant', instanceId: 'prod1' },
      { screen: 'verify' },
      { screen: 'instances' },
      { screen: 'audit' },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
    expect(parseRoute('')).toEqual({ screen: 'fleet' });
    expect(parseRoute('#/unknown/thing')).toEqual({ screen: 'fleet' });
  });
});
