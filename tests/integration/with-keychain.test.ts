/**
 * scripts/with-keychain.sh removes its keyring folder and ends the session's processes however it
 * ends: a normal exit, or INT, TERM or HUP sent to it. Runs the real script (dbus-run-session,
 * gnome-keyring-daemon), each time with a TMPDIR of its own so the folder it makes can be found.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repo, 'scripts/with-keychain.sh');

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'with-keychain-test-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** gnome-keyring daemons whose keyring folder is under `dir` (found by their environment). */
function daemonsOf(dir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('gnome-keyring')) continue;
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.some((v) => v.startsWith('WITH_KEYCHAIN_HOME=') && v.slice(19).startsWith(dir)))
        found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const keyringFolders = () => fs.readdirSync(tmp).filter((f) => f.startsWith('tracardi-keyring.'));

/** Start the script around a command that writes its pid, then sleeps; resolves with the exit status. */
function start(command: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  // The test itself runs inside a keychain session: without this the script would just exec.
  delete env.TENANT_CONSOLE_KEYCHAIN_SESSION;
  delete env.TEST_KEYRING_DIR;
  const child = spawn('bash', [script, 'sh', '-c', command, path.join(tmp, 'pid')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

describe('with-keychain.sh cleanup', { timeout: 120_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`removes its keyring folder and ends the command when it gets ${signal}`, async () => {
      const { child, exited } = start('echo $$ > "$0"; exec sleep 300');
      const pidFile = path.join(tmp, 'pid');
      await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 'the command');
      const commandPid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      expect(keyringFolders()).toHaveLength(1);
      expect(alive(commandPid)).toBe(true);

      child.kill(signal);
      const { code } = await exited;
      expect(code).not.toBe(0);
      expect(keyringFolders()).toEqual([]);
      await until(() => !alive(commandPid), 'the command to end', 10_000);
      await until(() => daemonsOf(tmp).length === 0, 'the keyring daemon to end', 10_000);
    });
  }

  it('removes its keyring folder after a normal exit and keeps the exit status', async () => {
    const { exited } = start('echo $$ > "$0"; exit 7');
    const { code, stderr } = await exited;
    expect(code, stderr).toBe(7);
    expect(keyringFolders()).toEqual([]);
  });

  it("stops the keyring daemon it started, and never reaches an outer session's daemon", async () => {
    const daemons = () => daemonsOf(tmp);
    const { exited } = start('echo $$ > "$0"; test -n "$GNOME_KEYRING_CONTROL"');
    const pidFile = path.join(tmp, 'pid');
    await until(() => fs.existsSync(pidFile), 'the command');
    const { code, stderr } = await exited;
    expect(code, stderr).toBe(0);
    // The daemon lives only as long as the session: none started under this TMPDIR is left.
    await until(() => daemons().length === 0, 'the daemon to end', 10_000);
  });
});
