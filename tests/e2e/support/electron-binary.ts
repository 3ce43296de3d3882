// Where the Electron binary is, or why there is none. `require('electron')` returns the binary's path
// when `npm ci` downloaded it, and throws when it was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD=1).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export const NO_ELECTRON_REASON = 'No Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';

export function findElectronBinary(): ElectronBinary {
  let found: unknown;
  try {
    found = createRequire(import.meta.url)('electron');
  } catch {
    return { ok: false, reason: NO_ELECTRON_REASON };
  }
  if (typeof found !== 'string' || !existsSync(found)) return { ok: false, reason: NO_ELECTRON_REASON };
  return { ok: true, path: found };
}
