// vitest globalSetup of the integration-secured project: ONE Elasticsearch with security on (TLS,
// users, roles; secured-elasticsearch.ts) for every file under tests/integration/secured/, started
// only when such a file runs (a project's globalSetup runs only when it has files).
//
// It is started in the background: vitest runs the global setups of the projects one after another
// before any test, so awaiting here would add the whole start-up to the run. Instead the cluster boots
// while the other projects' tests run, and writes its details to a state file that the files of this
// project (which run last: sequence.groupOrder) wait for with `securedCluster()`.
//   TEST_ES_SECURED=<state file>  use a cluster kept by `npx tsx tests/support/secured-es-keep.ts <file>`
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSecuredElasticsearch, writeState, type RunningSecuredCluster } from './secured-elasticsearch';

export default function setup(project: TestProject): () => Promise<void> {
  const kept = process.env.TEST_ES_SECURED;
  if (kept) {
    if (!existsSync(kept))
      throw new Error(`TEST_ES_SECURED=${kept}: no such state file (is secured-es-keep.ts running?)`);
    project.provide('esSecuredState', kept);
    return async () => {}; // not ours: never stopped
  }
  const stateFile = join(tmpdir(), `tracardi-es-secured-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const started = Date.now();
  const starting: Promise<RunningSecuredCluster | undefined> = startSecuredElasticsearch({
    name: `tracardi-test-${process.pid}-secured`,
  }).then(
    (cluster) => {
      const { stop: _stop, ...details } = cluster;
      writeState(stateFile, { ready: details, startedInMs: Date.now() - started });
      console.log(
        `[global-setup-secured] secured Elasticsearch ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return cluster;
    },
    (err: unknown) => {
      writeState(stateFile, { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    },
  );
  project.provide('esSecuredState', stateFile);
  // It holds elastic's password: gone with the run even when the teardown never comes (Ctrl-C).
  process.once('exit', () => rmSync(stateFile, { force: true }));
  return async () => {
    const cluster = await starting;
    await cluster?.stop();
    rmSync(stateFile, { force: true });
  };
}
