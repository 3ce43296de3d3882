// Builds the app for the tests, the UI specs, the sandbox and the benches: `electron-vite build`, the
// one build of every target (out/main/index.js the Electron main process, out/main/cli.js tenantctl,
// out/preload/index.cjs, out/renderer). It takes a couple of seconds, so callers build every time
// rather than trust an out/ that may be older than the sources. There is no partial fallback: when
// main, preload or the CLI do not build, this throws, and the run that asked for it fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');
export const MAIN_OUT = join(REPO_ROOT, 'out', 'main', 'index.js');
export const PRELOAD_OUT = join(REPO_ROOT, 'out', 'preload', 'index.cjs');
export const CLI_OUT = join(REPO_ROOT, 'out', 'main', 'cli.js');

/** True when every build output is there. */
export function appBuilt(): boolean {
  return [join(RENDERER_OUT, 'index.html'), MAIN_OUT, PRELOAD_OUT, CLI_OUT].every((file) => existsSync(file));
}

/** Build every target; throws with the build's last lines when any of them fails. */
export function buildApp(): void {
  const run = spawnSync('npx', ['--no-install', 'electron-vite', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // Plain text: the last lines end up in an error message.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const missing = [MAIN_OUT, PRELOAD_OUT, CLI_OUT, join(RENDERER_OUT, 'index.html')].filter((f) => !existsSync(f));
  if (run.status === 0 && missing.length === 0) return;
  const why = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
  throw new Error(
    `electron-vite build failed (exit ${run.status ?? run.signal}${missing.length ? `; missing ${missing.join(', ')}` : ''}):\n${why}`,
  );
}
