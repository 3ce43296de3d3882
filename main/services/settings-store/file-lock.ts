/**
 * A cross-process lock around the settings file's read-modify-write, so the Electron window, the
 * browser shell and any number of `tenantctl` runs on one data folder never lose each other's
 * changes. proper-lockfile (an mkdir lock with a heartbeat, stale after 10 s) holds
 * `config.json.lock`; its sync API has no retries, so waiting is done here.
 */
import lockfile from 'proper-lockfile';
import { ConsoleError } from '../../../shared/errors/errors';

/** How long an update waits for another process's write before giving up. */
export const LOCK_WAIT_MS = 15_000;
/** A lock not refreshed for this long belongs to a crashed process and is taken over. */
const STALE_MS = 10_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Run `fn` holding the lock on `file` (the file need not exist yet). */
export function withFileLock<T>(file: string, fn: () => T, waitMs = LOCK_WAIT_MS): T {
  const deadline = Date.now() + waitMs;
  let release: (() => void) | null = null;
  for (let attempt = 0; release === null; attempt++) {
    try {
      release = lockfile.lockSync(file, { realpath: false, stale: STALE_MS });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new ConsoleError(
          'settings-write-failed',
          `Could not lock ${file} for writing (${(err as Error).message.split('\n')[0]}); nothing was saved.`,
          { cause: err },
        );
      }
      if (Date.now() >= deadline) {
        throw new ConsoleError(
          'settings-write-failed',
          `${file} stayed locked by another console process for ${Math.round(waitMs / 1000)} s; nothing was saved. Try again.`,
        );
      }
      // Short, growing, jittered waits: writes take milliseconds.
      sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 5);
    }
  }
  try {
    return fn();
  } finally {
    try {
      release();
    } catch {
      // Already released or taken over as stale: nothing of ours to undo.
    }
  }
}
