// One build tool for main, preload and renderer (electron-vite over Vite): see docs/build.md.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/** The entry's own modules stay in the entry (main.ts must not wait for the frame's chunk). */
const ENTRY_MODULES = /renderer[\\/](main\.ts|screen-chunks\.ts|lib[\\/](routes|transport|remedies|first-screen)\.ts)$/;
/** The frame and what every screen uses: renderer/app, root, screens, lib/, components/, status bar, shortcuts. */
const FRAME_MODULES =
  /renderer[\\/]((app|root|screens)\.tsx|lib[\\/]|components[\\/]|features[\\/](status-bar|shortcuts)[\\/])/;
/**
 * Small modules outside those folders that the first screen needs anyway (the watch's poll and
 * words, grouped counts, the forecast's words, the word lists, the download helper): each was a
 * sub-KiB chunk of its own, a request the first load queued behind the six connections a browser
 * opens to one host. A module added to the first screen from elsewhere belongs here too
 * (first-screen-budget.spec counts the first screen's bytes, not its files).
 */
const FIRST_SCREEN_SMALL =
  /(shared[\\/](text[\\/](counts|vocabulary)|watch[\\/]watch-text|capacity[\\/]forecast-text)|renderer[\\/]features[\\/](changes[\\/]use-watch|fleet-report[\\/]download))\.ts$/;
function isFrameModule(id: string): boolean {
  return (FRAME_MODULES.test(id) || FIRST_SCREEN_SMALL.test(id)) && !ENTRY_MODULES.test(id);
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // Two entries, one build: the Electron main process and the tenantctl CLI (bin/tenantctl.mjs loads
      // out/main/cli.js). Each CLI command is a dynamic import, so it becomes its own chunk.
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/electron/index.ts'), cli: resolve(__dirname, 'main/cli/index.ts') },
      },
    },
  },
  preload: {
    // A sandboxed preload must be one CommonJS file with its dependencies bundled in.
    build: {
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: { index: resolve(__dirname, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
        output: {
          // Few, larger chunks on the first load (docs/build.md, "Renderer chunks"): the tiny entry
          // (main.ts: transport, routes) starts the first calls at once; React with the query
          // library is one chunk, the frame and the helpers every screen uses another, each screen
          // its own. Left to itself the bundler cut the frame into a dozen sub-KiB chunks, each a
          // request of its own on the cold first load.
          codeSplitting: {
            // A group takes only the modules its test names (not their imports: the entry's stay in the entry).
            includeDependenciesRecursively: false,
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack)[\\/]/ },
              { name: 'frame', test: (id: string) => isFrameModule(id) },
            ],
          },
        },
      },
    },
  },
});
