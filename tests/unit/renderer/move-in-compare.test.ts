import { describe, expect, it } from 'vitest';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { compareRecords } from '../../../renderer/features/team/move-in-compare';

const time = (iso: string) => `<${iso}>`;

describe('two records of one tenant side by side', () => {
  const team: TenantRecord = {
    instanceId: 'eu1',
    tenant: 'acme',
    apiDomain: 'acme.eu1.example.com',
    apiUrl: 'https://acme.eu1.example.com',
    guiDomain: 'acme-gui.eu1.example.com',
    guiUrl: 'https://acme-gui.eu1.example.com',
    email: 'team@example.com',
    createdAt: '2026-12-01T00:00:00.000Z',
    tokenExpiresAt: null,
    state: 'registered',
    warnings: [],
    createdBy: { name: 'Bob', workstation: 'ws-2' },
  };
  it('marks the fields that differ, leaves out what neither has, never marks the team’s own stamps', () => {
    const rows = compareRecords({ ...team, email: 'mine@example.com', createdBy: undefined }, team, time);
    expect(rows.find((r) => r.field === 'Contact e-mail')).toEqual({
      field: 'Contact e-mail',
      local: 'mine@example.com',
      team: 'team@example.com',
      differs: true,
    });
    expect(rows.find((r) => r.field === 'API domain')?.differs).toBe(false);
    expect(rows.find((r) => r.field === 'Created by')).toEqual({
      field: 'Created by',
      local: '—',
      team: 'Bob on ws-2',
      differs: false,
    });
    expect(rows.some((r) => r.field === 'Revoked')).toBe(false);
  });
});
