// The test side of global-setup-secured.ts: wait for the shared secured cluster and get its details.
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { SecuredCluster } from './secured-elasticsearch';

// A safety net only: a start that fails writes its error to the state file at once. Two health
// timeouts (a retry on a port taken meanwhile) and a minute for the plugin build and the keystore.
const START_TIMEOUT_MS = 2 * (Number(process.env.TEST_ES_START_TIMEOUT_MS) || 120_000) + 60_000;

/**
 * The secured cluster of this run, once it is up (it boots in the background while other tests run:
 * the first file to ask may wait). Throws with the start-up error if it did not start.
 */
export async function securedCluster(): Promise<SecuredCluster> {
  const file = inject('esSecuredState');
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (existsSync(file)) {
      const state = JSON.parse(readFileSync(file, 'utf8')) as { ready?: SecuredCluster; error?: string };
      if (state.ready) return state.ready;
      if (state.error !== undefined) throw new Error(`the secured Elasticsearch did not start: ${state.error}`);
    }
    if (Date.now() > deadline)
      throw new Error(`the secured Elasticsearch was not ready after ${START_TIMEOUT_MS / 1000} s (${file})`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
}
