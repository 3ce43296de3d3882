// The registry cache's list of every document (the Tenants screen's first rows come from it): one
// stat of the folder when nothing changed, not one per bucket file; another process's write seen at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RegistryCache } from '../../../main/services/registry';
import type { RegistryTenantDoc } from '../../../shared/team/registry';
import { registryDoc } from '../../support/registry-doc';

const BUCKETS = 64; // the cache's files per instance

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const by = { name: 'Ada', workstation: 'ws' };

const SCOPE = 'one.example.test';
const stored = (tenant: string, seqNo: number) => ({
  id: `${SCOPE}/${tenant}`,
  doc: registryDoc(SCOPE, tenant, by),
  version: { seqNo, primaryTerm: 1 },
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-console-cache-cold-'));
  dirs.push(d);
  return d;
}

/** The stats of the cache's folder and files while `fn` runs. */
function statsOf(dataDir: string, fn: () => unknown): number {
  const stat = vi.spyOn(fs, 'statSync');
  try {
    fn();
    return stat.mock.calls.filter(([p]) => String(p).startsWith(path.join(dataDir, 'registry'))).length;
  } finally {
    stat.mockRestore();
  }
}

const tenants = (docs: { doc: RegistryTenantDoc }[]) => docs.map((d) => d.doc.tenant).sort();

describe('the registry cache: listing every document', () => {
  it('lists nothing for an instance never synced, with one stat (not 64 that each throw)', () => {
    const dataDir = tempDir();
    const cache = new RegistryCache(dataDir, 'one');
    let listed: unknown[] = [];
    expect(statsOf(dataDir, () => (listed = cache.all(SCOPE)))).toBe(1);
    expect(listed).toEqual([]);
    expect(cache.get(SCOPE, 'acme')).toBeNull();
  });

  it('reads the files again only when the folder changed, and sees another process write', () => {
    const dataDir = tempDir();
    const folder = path.join(dataDir, 'registry', 'one');
    new RegistryCache(dataDir, 'one').merge(
      SCOPE,
      [stored('acme', 0), stored('globex', 1)],
      { cursor: 1 },
      {
        replaceAll: true,
      },
    );
    // Written a while ago (the usual case: the last change was not this second).
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(folder, old, old);
    const cache = new RegistryCache(dataDir, 'one');
    expect(tenants(cache.all(SCOPE))).toEqual(['acme', 'globex']);
    let again: { doc: RegistryTenantDoc }[] = [];
    expect(statsOf(dataDir, () => (again = cache.all(SCOPE)))).toBe(1);
    expect(tenants(again)).toEqual(['acme', 'globex']);
    expect(cache.all('other.example.test')).toEqual([]);

    // Another process (a second cache on the folder) adds a document: seen at once.
    new RegistryCache(dataDir, 'one').merge(SCOPE, [stored('initech', 2)], { cursor: 2 });
    expect(tenants(cache.all(SCOPE))).toEqual(['acme', 'globex', 'initech']);
    // A change within the folder's time step (a clock tick): not trusted by its stamp, every file
    // looked at again (another change in the same tick would leave the stamp as it is).
    new RegistryCache(dataDir, 'one').merge(SCOPE, [stored('hooli', 3)], { cursor: 3 });
    vi.spyOn(Date, 'now').mockReturnValue(fs.statSync(folder).mtimeMs + 50);
    expect(tenants(cache.all(SCOPE))).toEqual(['acme', 'globex', 'hooli', 'initech']);
    expect(statsOf(dataDir, () => (again = cache.all(SCOPE)))).toBeGreaterThan(BUCKETS);
    expect(tenants(again)).toEqual(['acme', 'globex', 'hooli', 'initech']);

    // The folder removed (the instance removed by another shell): nothing listed.
    fs.rmSync(folder, { recursive: true });
    expect(cache.all(SCOPE)).toEqual([]);
  });
});
