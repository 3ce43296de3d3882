// UI specs (tests/e2e/*.spec.ts): one suite, two launch fixtures (see docs/ui-testing.md).
//   browser-shell  tenantctl serve + Debian's Chromium; runs here and in CI
//   electron       _electron.launch on the built app; skips with its reason where no Electron binary exists
// One worker: two Elasticsearch JVMs already share 2 cores, and every spec uses the same two clusters.
// npm test (scripts/test-all.sh) adds `--reporter=list,json` with PLAYWRIGHT_JSON_OUTPUT_FILE and sums it.
import { defineConfig } from '@playwright/test';
import type { ShellKind } from './tests/e2e/fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/support/chromium';

export default defineConfig<{ shellKind: ShellKind }>({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1360, height: 880 },
    actionTimeout: 20_000,
  },
  projects: [
    {
      name: 'browser-shell',
      use: { shellKind: 'browser-shell', launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
    { name: 'electron', use: { shellKind: 'electron' } },
  ],
});
