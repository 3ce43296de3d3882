// One build tool for main, preload and renderer (electron-vite over Vite): see docs/build.md.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

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
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
