// warmUp: what the shells run while the renderer loads. It fills the tenant list's cache over the
// real core (settings file in a temp folder), never touches the keychain, and never throws.
import { instanceSchema } from '../../../shared/instances/instance';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, warmUp } from '../../../main/core';
import type { SecretStore } from '../../../main/services/keychain';
import { openSettingsStore } from '../../../main/services/settings-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-console-warm-'));
  dirs.push(d);
  return d;
}

/** A keychain that fails the test if anything asks it anything. */
function untouchableKeychain(calls: string[]): SecretStore {
  return new Proxy({} as SecretStore, {
    get(_target, prop) {
      return () => {
        calls.push(String(prop));
        throw new Error(`keychain touched: ${String(prop)}`);
      };
    },
  });
}

function seedTenants(dataDir: string, n: number): void {
  openSettingsStore(dataDir).update((draft) => {
    // Records from before the team registry (not published yet: nothing answers at 127.0.0.1:1).
    draft.instances = [
      instanceSchema.parse({
        id: 'one',
        name: 'One',
        environment: 'test',
        apiUrl: 'https://api.one.example.test',
        tenantDomainSuffix: 'example.test',
        tracardiVersion: '0.9.x',
        tmsUrl: 'https://tms.one.example.test',
        es: { nodes: ['http://127.0.0.1:1'] },
      }),
    ];
    draft.tenants = Array.from({ length: n }, (_, i) => ({
      instanceId: 'one',
      tenant: `tenant${String.fromCharCode(97 + i)}`,
      apiDomain: `t${i}.example.test`,
      apiUrl: `https://t${i}.example.test`,
      guiDomain: `t${i}-gui.example.test`,
      guiUrl: `https://t${i}-gui.example.test`,
      email: `a${i}@example.com`,
      createdAt: '2026-06-01T00:00:00.000Z',
      tokenExpiresAt: '2026-07-01T00:00:00.000Z',
      state: 'registered',
      warnings: [],
    }));
  });
}

describe('warmUp', () => {
  it('caches the tenant list on a real core without asking the keychain anything', async () => {
    const dataDir = tempDir();
    seedTenants(dataDir, 3);
    const calls: string[] = [];
    const core = await createCore({ dataDir, shell: 'test', secrets: untouchableKeychain(calls) });

    await warmUp(core);
    // Cached: later calls hand out the same row objects, not a fresh parse.
    const first = await core.tenants.rows();
    const second = await core.tenants.rows();
    expect(first.map((r) => r.tenant)).toEqual(['tenanta', 'tenantb', 'tenantc']);
    expect(second[0]).toBe(first[0]);
    expect(calls).toEqual([]);
  });

  it('reads the settings first, then the rows, and yields before either', async () => {
    const order: string[] = [];
    const done = warmUp({
      settings: { read: () => order.push('settings') } as never,
      tenants: { rows: async () => (order.push('rows'), []) } as never,
    });
    order.push('caller continues');
    await done;
    expect(order).toEqual(['caller continues', 'settings', 'rows']);
  });

  it('swallows failures: they are for the call that needs the data to report', async () => {
    let rowsCalled = false;
    await expect(
      warmUp({
        settings: {
          read: () => {
            throw new Error('unreadable');
          },
        } as never,
        tenants: { rows: async () => ((rowsCalled = true), []) } as never,
      }),
    ).resolves.toBeUndefined();
    expect(rowsCalled).toBe(false);
    await expect(
      warmUp({
        settings: { read: () => ({}) } as never,
        tenants: { rows: () => Promise.reject(new Error('bad record')) } as never,
      }),
    ).resolves.toBeUndefined();
  });

  it('leaves a corrupt settings file to the status call, which reports it', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{ not json');
    const core = await createCore({ dataDir, shell: 'test', secrets: untouchableKeychain([]) });
    await expect(warmUp(core)).resolves.toBeUndefined();
    expect(core.settings.status().readOnly).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).toBe('{ not json');
  });
});
