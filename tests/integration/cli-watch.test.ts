// `tenantctl watch --once` as cron runs it: the compiled CLI (out/main/cli.js) in a child process,
// a real settings file and keychain, the real test Elasticsearch and the Tracardi + TMS simulator.
// A tenant goes from installed to drift between two rounds: the second round says so (one line,
// exit 1); the third has nothing new to say but still exits 1; without a baseline the problem is
// reported as present. Run inside a keychain session:
//   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-watch.test.ts
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore } from '../../main/core';
import { accountFor, KeytarSecretStore } from '../../main/services/keychain';
import type { WatchChange } from '../../shared/watch/watch';
import type { TmsSimulator, TracardiSimulator } from '../simulator';
import { cleanupTenant, simulatedInstall, unresolvableInstanceWithTenant } from '../support/verify-fixtures';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(repo, 'out', 'main', 'cli.js');
const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
const serviceName = `tracardi-tenant-console-cli-watch-${process.pid}-${randomBytes(4).toString('hex')}`;
const SUFFIX = 'viwatch.invalid';
const TENANT = 'viwatchacme';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('tenantctl watch --once', { timeout: 300_000 }, () => {
  let esUrl: string;
  let dataDir: string;
  let tms: TmsSimulator;
  let tracardi: TracardiSimulator;
  const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };

  function watchOnce(extra: string[] = []): Promise<Run> {
    const rule = `*.${SUFFIX}:${tracardi.port}:127.0.0.1`;
    const args = [CLI, '--data-dir', dataDir, 'watch', '--once', '--resolve', rule, ...extra];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is not built: run npx electron-vite build first.`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-watch-'));
    const fleet = await unresolvableInstanceWithTenant({
      esUrls: inject('esUrls'),
      dataDir,
      env,
      apiKey: API_KEY,
      id: 'viw',
      name: 'Watched',
      suffix: SUFFIX,
      tenant: TENANT,
    });
    ({ esUrl, tms, tracardi } = fleet);
    const { core } = fleet;
    // The installed tenant's token is spent: the console no longer reveals it, so read the keychain.
    const token = (await core.secrets.get(accountFor.token('viw', TENANT)))!;
    expect(token).toBeTruthy();
    const installed = await simulatedInstall(tracardi, `${TENANT}.${SUFFIX}`, token);
    expect(installed.status).toBe(200);
    await core.capacity.close();
  }, 300_000);

  afterAll(async () => {
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('')) await keychain.delete(a);
    await Promise.allSettled([tracardi?.stop(), tms?.stop()]);
    if (esUrl) await cleanupTenant(esUrl, TENANT);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports installed -> drift between two rounds with exit 1, then nothing new, and never a token', async () => {
    const first = await watchOnce(['--json']);
    expect(first.code, first.stderr).toBe(0);
    const baseline = JSON.parse(first.stdout) as { first: boolean; problems: number; changes: WatchChange[] };
    expect(baseline).toEqual({ first: true, problems: 0, changes: [] });
    expect(fs.existsSync(path.join(dataDir, 'watch-baseline.json'))).toBe(true);

    // Lose one of the tenant's indices: the record says installed, so this is drift.
    const listed = (await (
      await fetch(`${esUrl}/_cat/indices/*.${TENANT}.tracardi-session-*?h=index&format=json`)
    ).json()) as { index: string }[];
    expect(listed.length).toBeGreaterThan(0);
    expect((await fetch(`${esUrl}/${listed[0]!.index}`, { method: 'DELETE' })).status).toBe(200);

    const second = await watchOnce();
    expect(second.code, second.stderr).toBe(1);
    const lines = second.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^\\S+Z  PROBLEM    ${TENANT} on Watched: installed -> drift - .*tracardi-session`),
    );
    expect(lines[1]).toMatch(/1 change; 1 problem now\.$/);

    const third = await watchOnce(['--json']);
    expect(third.code).toBe(1);
    expect(JSON.parse(third.stdout)).toMatchObject({ first: false, problems: 1, changes: [] });

    // The feed kept the change; no token is in it, nor in the baseline.
    const core = await createCore({ dataDir, env, shell: 'test' });
    // The installed tenant's token is spent: the console no longer reveals it, so read the keychain.
    const token = (await core.secrets.get(accountFor.token('viw', TENANT)))!;
    expect(token).toBeTruthy();
    const feed = core.watch.changes(0);
    expect(feed.entries.map((e) => [e.subject, e.from, e.to])).toEqual([
      [`${TENANT} on Watched`, 'installed', 'drift'],
    ]);
    for (const file of ['watch-feed.json', 'watch-baseline.json'])
      expect(fs.readFileSync(path.join(dataDir, file), 'utf8')).not.toContain(token);
    expect(second.stdout + second.stderr).not.toContain(token);

    // Without a baseline (a fresh cron job): the present problem is reported, once, as present.
    fs.rmSync(path.join(dataDir, 'watch-baseline.json'));
    const fresh = await watchOnce();
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(
      new RegExp(`PROBLEM    ${TENANT} on Watched: \\(first seen\\) -> drift \\(present at start\\)`),
    );
    expect(fresh.stdout).toMatch(/first round \(no baseline yet\): present problems listed; 1 problem now\./);
  });

  it('tenantctl watch runs rounds until SIGTERM or SIGINT, then stops cleanly (exit 0)', async () => {
    const rule = `*.${SUFFIX}:${tracardi.port}:127.0.0.1`;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(
        process.execPath,
        [CLI, '--data-dir', dataDir, 'watch', '--interval', '1m', '--resolve', rule],
        {
          cwd: repo,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      const firstRound = new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (/problems? now\.\n/.test(stdout)) resolve();
        });
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      await firstRound;
      child.kill(signal);
      expect(await closed).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe('Watching every 1 min; Ctrl-C stops.');
      // The drift is known from the stored baseline: nothing new, the problem still counted.
      expect(lines[1]).toMatch(/Z  0 changes; 1 problem now\.$/);
      expect(lines.at(-1)).toBe('Stopped.');
    }
  });

  it('usage errors exit 2 with one line', async () => {
    const bad = await watchOnce(['--interval', '5m']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['tenantctl: --interval has no use with --once.']);
  });
});
