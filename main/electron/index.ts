/**
 * Electron main process entry (out/main/index.js): the shell (shell.ts) with the real dependencies.
 * config.json is written through the same settings store (and lock) as the CLI's.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, defaultDataDir } from '../core';
import { startElectronShell } from './shell';

startElectronShell({
  env: process.env,
  dataDir: process.env.TENANT_CONSOLE_DATA_DIR ?? defaultDataDir(),
  outDir: path.dirname(fileURLToPath(import.meta.url)),
  createCore,
});
