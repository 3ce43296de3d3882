import { describe, expect, it } from 'vitest';
import { toTenantRow, type TenantRecord } from '../../../shared/tenants/tenant';

const record: TenantRecord = {
  instanceId: 'eu-prod',
  tenant: 'acme',
  apiDomain: 'acme.eu.example.com',
  apiUrl: 'https://acme.eu.example.com',
  guiDomain: 'acme-gui.eu.example.com',
  guiUrl: 'https://acme-gui.eu.example.com',
  email: 'ops@acme.example.com',
  createdAt: '2026-11-01T10:00:00.000Z',
  tokenExpiresAt: '2026-12-01T10:00:00.000Z',
  state: 'handed-over',
  handedOverAt: '2026-11-02T10:00:00.000Z',
  capacityOverride: { reason: 'agreed with the DBA', at: '2026-11-01T10:00:00.000Z', by: 'ops' },
  warnings: ['digits dropped'],
  lastVerification: {
    status: 'handed-over',
    summary: 'Handed over, not installed yet.',
    checkedAt: '2026-11-03T10:00:00.000Z',
    evidence: { dns: { api: { domain: 'acme.eu.example.com', addresses: ['10.0.0.1'] } } },
  },
};

describe('toTenantRow', () => {
  it('keeps what the list shows and searches, and nothing else', () => {
    expect(toTenantRow(record)).toEqual({
      instanceId: 'eu-prod',
      tenant: 'acme',
      apiDomain: 'acme.eu.example.com',
      guiDomain: 'acme-gui.eu.example.com',
      email: 'ops@acme.example.com',
      state: 'handed-over',
      lastVerification: { status: 'handed-over', checkedAt: '2026-11-03T10:00:00.000Z' },
    });
    // About half the bytes of the record even before the evidence.
    const { lastVerification: _ignored, ...bare } = record;
    expect(JSON.stringify(toTenantRow(bare)).length).toBeLessThan(JSON.stringify(bare).length * 0.6);
  });

  it('leaves out a last verification without a status or a time', () => {
    for (const lastVerification of [null, 'installed', { status: 'installed' }, { checkedAt: 'x' }, 42]) {
      expect(toTenantRow({ ...record, lastVerification })).not.toHaveProperty('lastVerification');
    }
  });
});
