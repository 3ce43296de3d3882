/**
 * onStopSignals against the real `conf` and `proper-lockfile` (when-exit re-sends the first
 * SIGINT/SIGTERM, signal-exit re-raises it once no other listener is left): the
 * command stops once, prints its last line and exits 0; a `process.once` listener, as the commands
 * had, dies of the re-sent signal instead.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const child = path.join(repo, 'tests/support/stop-signals-child.ts');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stop-signals-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runAndSignal(mode: 'once' | 'kept', signal: NodeJS.Signals) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, mode], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout === 'ready\n') proc.kill(signal);
    });
    proc.on('error', reject);
    proc.on('close', (code, sig) => resolve({ code, signal: sig, stdout }));
  });
}

describe('onStopSignals', { timeout: 60_000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops once on ${signal}, prints its last line and exits 0`, async () => {
      const run = await runAndSignal('kept', signal);
      expect(run).toEqual({ code: 0, signal: null, stdout: `ready\nstopped ${signal}\n` });
    });
  }

  it('a process.once listener dies of the re-sent signal (why the listener stays)', async () => {
    const run = await runAndSignal('once', 'SIGTERM');
    expect(run.signal).toBe('SIGTERM');
    expect(run.stdout).toBe('ready\n');
  });
});
