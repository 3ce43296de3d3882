// Builds the app once for the UI specs, the sandbox and the UI bench: `electron-vite build` (main,
// preload, renderer into out/). When main or preload do not build (work in progress elsewhere), the
// renderer alone is built with Vite from the renderer section of electron.vite.config.ts: enough for
// the browser shell, not for Electron.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');
export const MAIN_OUT = join(REPO_ROOT, 'out', 'main', 'index.js');

export interface BuildResult {
  /** 'full': main, preload and renderer; 'renderer-only': the fallback (no Electron app). */
  kind: 'full' | 'renderer-only';
  note?: string;
}

/** True when the built renderer is there. */
export function rendererBuilt(): boolean {
  return existsSync(join(RENDERER_OUT, 'index.html'));
}

/** Build everything; fall back to the renderer alone. Throws when not even the renderer builds. */
export async function buildApp(log: (line: string) => void = () => {}): Promise<BuildResult> {
  const full = spawnSync('npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', env: process.env });
  if (full.status === 0) return { kind: 'full' };
  const why = tail(`${full.stdout ?? ''}\n${full.stderr ?? ''}`);
  log(`electron-vite build failed; building the renderer alone with Vite:\n${why}`);
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    configFile: false,
    logLevel: 'warn',
    root: join(REPO_ROOT, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      rollupOptions: { input: { index: join(REPO_ROOT, 'renderer', 'index.html') } },
    },
  });
  return { kind: 'renderer-only', note: `electron-vite build failed (main or preload): ${why.split('\n').at(-1)}` };
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}
