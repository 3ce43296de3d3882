/**
 * Two real processes write the one settings file at the same time, each changing its own
 * instance, many times: with the store's cross-process lock no change is lost (without it, each
 * read-modify-write can overwrite the other process's last one).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSettingsStore } from '../../../main/services/settings-store';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const writer = path.join(repo, 'tests/support/settings-writer.ts');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-settings-race-'));
const PER_PROCESS = 150;

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(id: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, id, String(PER_PROCESS)], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('settings file shared by processes', { timeout: 120_000 }, () => {
  it(`two processes, ${PER_PROCESS} updates each to different instances at once: nothing is lost`, async () => {
    const store = openSettingsStore(dataDir);
    const instance = (id: string) => ({
      id,
      name: `Instance ${id}`,
      environment: 'test' as const,
      apiUrl: `https://api.${id}.example.com`,
      tenantDomainSuffix: `${id}.example.com`,
      tracardiVersion: '0.9.x' as const,
      tmsUrl: `https://tms.${id}.example.com`,
      es: { nodes: [`https://es.${id}.example.com:9200`] },
    });
    store.update((draft) => {
      draft.instances.push(instance('left') as never, instance('right') as never);
    });

    const [left, right] = await Promise.all([run('left'), run('right')]);
    expect(left.code, left.stderr).toBe(0);
    expect(right.code, right.stderr).toBe(0);

    const saved = JSON.parse(fs.readFileSync(store.path, 'utf8')) as {
      instances: { id: string; expectedAddresses: string[] }[];
    };
    for (const id of ['left', 'right']) {
      const addresses = saved.instances.find((i) => i.id === id)?.expectedAddresses ?? [];
      expect(addresses, id).toHaveLength(PER_PROCESS);
      expect(new Set(addresses).size, id).toBe(PER_PROCESS);
    }
    expect(fs.existsSync(`${store.path}.lock`)).toBe(false);
  });
});
