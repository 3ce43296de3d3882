import { configDefaults, defineConfig } from 'vitest/config';

// Two projects so that `vitest run tests/unit` never starts Elasticsearch (a project's globalSetup only
// runs when that project has files to run):
// - unit: pure logic, files in parallel.
// - integration: real Elasticsearch (two clusters from tests/support/global-setup.ts) and the real OS
//   keychain. Files run one at a time: on a 2-core machine the two ES JVMs already compete for the CPU,
//   the files share the same two clusters and one keyring, and parallel files would turn timeouts and
//   concurrency assertions into flakes for little gain.
// - integration-secured: tests/integration/secured/, against ONE Elasticsearch with security on (TLS,
//   users, roles) from tests/support/global-setup-secured.ts, which starts it only when these files run,
//   in the background while the groups before run. Last, one file at a time, like integration.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/integration/secured/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'integration-secured',
          include: ['tests/integration/secured/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup-secured.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
