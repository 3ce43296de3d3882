// The tenant list over local records (kept in the settings file from before the team registry): parsed
// once per settings state, and a change to the file is seen at once, even one that keeps their number.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instanceSchema } from '../../../shared/instances/instance';
import { tenantRecordSchema } from '../../../shared/tenants/tenant';
import { createCore } from '../../../main/core';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { openSettingsStore } from '../../../main/services/settings-store';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-console-local-list-'));
  dirs.push(d);
  return d;
}

const instance = (id: string) =>
  instanceSchema.parse({
    id,
    name: id,
    environment: 'test',
    apiUrl: `https://api.${id}.example.test`,
    tenantDomainSuffix: 'example.test',
    tracardiVersion: '0.9.x',
    tmsUrl: `https://tms.${id}.example.test`,
    // Nothing answers here: the records stay local (not published), as before a first connect.
    es: { nodes: ['http://127.0.0.1:1'] },
  });

const record = (instanceId: string, i: number, email = `a${i}@example.com`) => ({
  instanceId,
  tenant: `${instanceId}t${i}`,
  apiDomain: `${instanceId}t${i}.example.test`,
  apiUrl: `https://${instanceId}t${i}.example.test`,
  guiDomain: `${instanceId}t${i}-gui.example.test`,
  guiUrl: `https://${instanceId}t${i}-gui.example.test`,
  email,
  createdAt: '2026-06-01T00:00:00.000Z',
  tokenExpiresAt: '2026-07-01T00:00:00.000Z',
  state: 'registered',
  warnings: [],
});

function seed(dataDir: string): void {
  openSettingsStore(dataDir).update((draft) => {
    draft.instances = [instance('one'), instance('two')];
    draft.tenants = [
      record('one', 1),
      record('two', 1),
      record('one', 2),
      { instanceId: 'two', tenant: 'not a record' }, // skipped, as ever
      record('gone', 1), // an instance no longer in the settings: listed under none
    ];
  });
}

describe('the tenant list over local records', () => {
  it('parses them once per settings state, not on every call', async () => {
    const dataDir = tempDir();
    seed(dataDir);
    const core = await createCore({ dataDir, shell: 'test', secrets: new InMemorySecretStore() });
    const parse = vi.spyOn(tenantRecordSchema, 'safeParse');
    const first = await core.tenants.rows({ cachedOnly: true });
    const parsedFirst = parse.mock.calls.length;
    const second = await core.tenants.rows({ cachedOnly: true });
    expect(first.map((r) => r.tenant)).toEqual(['onet1', 'onet2', 'twot1']);
    expect(parsedFirst).toBeGreaterThan(0);
    expect(parse.mock.calls.length).toBe(parsedFirst);
    expect(second[0]).toBe(first[0]);
  });

  it('shows a change to the settings file at once, even one that keeps the number of records', async () => {
    const dataDir = tempDir();
    seed(dataDir);
    const core = await createCore({ dataDir, shell: 'test', secrets: new InMemorySecretStore() });
    expect((await core.tenants.rows({ cachedOnly: true })).find((r) => r.tenant === 'onet2')?.email).toBe(
      'a2@example.com',
    );
    // Another process (a tenantctl, an older console) rewrites the file: same count, a new address.
    openSettingsStore(dataDir).update((draft) => {
      draft.tenants = draft.tenants.map((t) =>
        (t as { tenant?: string }).tenant === 'onet2' ? record('one', 2, 'new@example.com') : t,
      );
    });
    const rows = await core.tenants.rows({ cachedOnly: true });
    expect(rows.find((r) => r.tenant === 'onet2')?.email).toBe('new@example.com');
    expect(rows.map((r) => r.tenant)).toEqual(['onet1', 'onet2', 'twot1']);
    expect((await core.tenants.get('one', 'onet2')).email).toBe('new@example.com');
  });
});
