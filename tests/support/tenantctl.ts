/**
 * tenantctl as a child process for integration tests: a fresh --data-dir per test and the real
 * keychain under a service name of the file's own (entries removed after the file). Register the
 * hooks with `cliSession()` at the top of a test file run through scripts/with-keychain.sh.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'bin/tenantctl.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSession {
  readonly serviceName: string;
  /** This test's data folder. */
  dataDir(): string;
  /** Run `tenantctl --data-dir <dataDir> ...args`, stdin from `input`. */
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<Run>;
}

/** Register the per-file keychain cleanup and per-test data folder; returns the runner. */
export function cliSession(prefix: string): CliSession {
  const serviceName = `tracardi-tenant-console-${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
  let dataDir = '';
  beforeAll(() => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('No D-Bus session: run these tests through scripts/with-keychain.sh.');
    }
  });
  afterAll(async () => {
    for (const c of await keytar.findCredentials(serviceName)) await keytar.deletePassword(serviceName, c.account);
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tenantctl-${prefix}-`));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    serviceName,
    dataDir: () => dataDir,
    run: (args, options = {}) => runTenantctl(dataDir, serviceName, args, options),
  };
}

/** Run `tenantctl --data-dir <dataDir> ...args` under a keychain service, stdin from `input`. */
export function runTenantctl(
  dataDir: string,
  serviceName: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return spawnTenantctl(serviceName, ['--data-dir', dataDir, ...args], options);
}

/** Run `tenantctl ...args` as given (no data folder added) under a keychain service, stdin from `input`. */
export function spawnTenantctl(
  serviceName: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName,
      ...options.env,
    };
    if (!options.env?.TENANTCTL_DEBUG) delete env.TENANTCTL_DEBUG;
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A child that refuses its input stops reading it (a 2 MB token): the rest is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
