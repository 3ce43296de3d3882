// Starts a secured Elasticsearch (secured-elasticsearch.ts) and keeps it until Ctrl-C, so that runs
// of the integration-secured project can reuse it instead of starting one each:
//   npx tsx tests/support/secured-es-keep.ts /tmp/secured-es.json &
//   TEST_ES_SECURED=/tmp/secured-es.json bash scripts/with-keychain.sh npx vitest run tests/integration/secured
import { rmSync } from 'node:fs';
import { startSecuredElasticsearch, writeState } from './secured-elasticsearch';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx tests/support/secured-es-keep.ts <state file>');
  process.exit(2);
}
const started = Date.now();
const cluster = await startSecuredElasticsearch({ name: `tracardi-kept-${process.pid}-secured` });
const { stop, ...details } = cluster;
writeState(file, { ready: details, startedInMs: Date.now() - started });
console.log(
  `secured Elasticsearch ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${details.directUrl}; state in ${file}`,
);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(sig, () => {
    void stop().finally(() => {
      rmSync(file, { force: true });
      process.exit(0);
    });
  });
setInterval(() => {}, 1 << 30);
