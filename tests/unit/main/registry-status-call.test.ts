/**
 * registry.status as the window's read-only banner polls it: without `sync` it reports what the last
 * sync left (no request), with `sync` it syncs every instance's registry first, so a registry that went
 * away or came back shows without a list refresh, and another operator's change it finds reaches the
 * Changes feed as a list refresh would have put it there. Over the real handlers and core, the
 * registry in memory (a unit test has no Elasticsearch).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallResponse, RegistryStatus } from '../../../shared/contract/contract';
import { createCore, type Core } from '../../../main/core';
import { MemoryRegistryBackend } from '../../../main/services/registry';
import { createHandlers } from '../../../main/handlers';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { dispatch } from '../../../main/transport/dispatch';
import { tenantDocId, type RegistryTenantDoc } from '../../../shared/team/registry';
import type { TenantRow } from '../../../shared/tenants/tenant';

let dir: string;
let core: Core;
let backend: MemoryRegistryBackend;

const bob = { name: 'Bob Beta', workstation: 'ws-bob' };
function doc(tenant: string): RegistryTenantDoc {
  return {
    scope: 'inst1.example.com',
    tenant,
    phase: 'active',
    record: {
      apiDomain: `${tenant}.inst1.example.com`,
      apiUrl: `https://${tenant}.inst1.example.com`,
      guiDomain: `${tenant}-gui.inst1.example.com`,
      guiUrl: `https://${tenant}-gui.inst1.example.com`,
      email: 'ops@example.com',
      createdAt: '2026-12-07T10:00:00.000Z',
      tokenExpiresAt: null,
      state: 'registered',
      warnings: [],
    },
    createdBy: bob,
    updatedBy: bob,
    updatedAt: '2026-12-07T10:00:00.000Z',
    change: 'created it',
    holder: null,
    pending: null,
    rev: 1,
    verifiedBy: null,
    deleted: null,
  } as RegistryTenantDoc;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-registry-status-'));
  backend = new MemoryRegistryBackend();
  core = await createCore({
    dataDir: dir,
    secrets: new InMemorySecretStore(),
    env: {},
    registryBackend: () => backend,
  });
  await core.instances.add({
    id: 'inst1',
    name: 'Instance one',
    environment: 'staging',
    apiUrl: 'https://api.inst1.example.com',
    tenantDomainSuffix: 'inst1.example.com',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.inst1.example.com',
    es: { nodes: ['https://es.inst1.example.com:9200'], auth: { type: 'none' } },
  });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Syncs of one registry closer than 250 ms share the first (a screen's burst): polls are seconds apart.
const apart = () => new Promise((resolve) => setTimeout(resolve, 300));

async function status(args: unknown): Promise<RegistryStatus[]> {
  const out: CallResponse = await dispatch(createHandlers(core), 'registry.status', args, { checkResults: true });
  if (!out.ok) throw new Error(out.error.message);
  return out.value as RegistryStatus[];
}

describe('registry.status', () => {
  it('without sync reports the last sync (none yet); with sync reads each registry first', async () => {
    expect(await status({})).toEqual([
      { instanceId: 'inst1', scope: 'inst1.example.com', health: { state: 'unknown' }, syncedAt: null },
    ]);
    const [synced] = await status({ sync: true });
    expect(synced?.health.state).toBe('ok');
    expect(synced?.syncedAt).not.toBeNull();
  });

  it('a registry that stops answering shows at the next synced poll, not before; and its return', async () => {
    await status({ sync: true });
    backend.down = new Error('connect ECONNREFUSED 127.0.0.1:9200');
    expect((await status({}))[0]?.health.state).toBe('ok');
    await apart();
    const [down] = await status({ sync: true });
    expect(down?.health).toMatchObject({ state: 'unreachable', error: expect.stringContaining('ECONNREFUSED') });
    // The banner's "last in sync at" stays the last good sync.
    expect(down?.syncedAt).not.toBeNull();
    backend.down = null;
    await apart();
    expect((await status({ sync: true }))[0]?.health.state).toBe('ok');
  });

  it("another operator's change found by a synced poll reaches the Changes feed", async () => {
    await backend.create(tenantDocId('inst1.example.com', 'early'), doc('early'));
    await status({ sync: true }); // the baseline
    await backend.create(tenantDocId('inst1.example.com', 'acme'), doc('acme'));
    await apart();
    await status({ sync: true });
    const feed = core.watch.changes(0).entries.filter((e) => e.kind === 'team');
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({ tenant: 'acme', subject: 'acme on Instance one', severity: 'info' });
    expect(feed[0]?.detail).toMatch(/^Bob Beta on ws-bob created it at /);
  });

  it('a registry unreachable at its last sync does not hold the tenant list: the list answers from its cache while the retry waits', async () => {
    await backend.create(tenantDocId('inst1.example.com', 'acme'), doc('acme'));
    await status({ sync: true });
    backend.down = new Error('connect ECONNREFUSED 127.0.0.1:9200');
    await apart();
    expect((await status({ sync: true }))[0]?.health.state).toBe('unreachable');
    // Now a black-holed address: every request waits for its timeout (here, until released).
    backend.down = null;
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stalled = backend as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const originals = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    for (const name of ['exists', 'changeToken', 'recent', 'page', 'mget', 'indexUuid']) {
      const original = stalled[name]!.bind(backend);
      originals.set(name, original);
      stalled[name] = async (...args: unknown[]) => {
        await gate;
        return original(...args);
      };
    }
    const timeout = setTimeout(release, 4_000);
    await apart();
    const t0 = performance.now();
    const list = await dispatch(createHandlers(core), 'tenants.list', {}, { checkResults: true });
    const waited = performance.now() - t0;
    expect(list.ok && (list.value as TenantRow[]).map((r) => r.tenant)).toEqual(['acme']);
    expect(waited).toBeLessThan(1_500);
    // The retry goes on; once the registry answers it is in sync again, and the next list waits for it.
    clearTimeout(timeout);
    release();
    await apart();
    expect((await status({}))[0]?.health.state).toBe('ok');
    for (const [name, original] of originals) stalled[name] = original;
    await backend.create(tenantDocId('inst1.example.com', 'bolt'), doc('bolt'));
    await apart();
    const again = await dispatch(createHandlers(core), 'tenants.list', {}, { checkResults: true });
    expect(again.ok && (again.value as TenantRow[]).map((r) => r.tenant)).toEqual(['acme', 'bolt']);
  });

  it('refuses anything but { sync }', async () => {
    const out = await dispatch(createHandlers(core), 'registry.status', { sync: 'yes' }, { checkResults: true });
    expect(out).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
