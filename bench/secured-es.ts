/**
 * What the secured test cluster costs at start-up, next to a plain one: each started and stopped in
 * turn (alternating, so the machine's load falls on both alike), the medians and their ratio; and,
 * once, building the secured home from scratch (hard-linked copy, javac, jar) into a throw-away folder.
 *   npx tsx bench/secured-es.ts [--rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ensureElasticsearchDistribution, startElasticsearch } from '../tests/support/elasticsearch';
import { startSecuredElasticsearch } from '../tests/support/secured-elasticsearch';
import { securedHome } from '../tests/support/secured-home';
import { median } from './support/cluster';

const arg = process.argv.indexOf('--rounds');
const rounds = arg > 0 ? Number(process.argv[arg + 1]) : 3;

async function timed(start: () => Promise<{ stop(): Promise<void> }>): Promise<number> {
  const t0 = performance.now();
  const cluster = await start();
  const ms = performance.now() - t0;
  await cluster.stop();
  return ms;
}

const distribution = await ensureElasticsearchDistribution();
// The secured home once from scratch, beside the distribution (hard links need the same file system).
const scratch = await mkdtemp(join(distribution, '..', '.bench-secured-'));
execFileSync('cp', ['-al', distribution, join(scratch, 'elasticsearch')]);
const b0 = performance.now();
await securedHome(join(scratch, 'elasticsearch'));
const buildMs = performance.now() - b0;
await rm(scratch, { recursive: true, force: true });
await securedHome(distribution); // the real one, so the rounds below do not pay for it

const plain: number[] = [];
const secured: number[] = [];
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? (['plain', 'secured'] as const) : (['secured', 'plain'] as const);
  for (const kind of order) {
    const ms =
      kind === 'plain'
        ? await timed(() => startElasticsearch({ name: `bench-plain-${process.pid}-${i}` }))
        : await timed(() => startSecuredElasticsearch({ name: `bench-secured-${process.pid}-${i}` }));
    (kind === 'plain' ? plain : secured).push(ms);
    console.log(`round ${i + 1} ${kind}: ${(ms / 1000).toFixed(1)} s`);
  }
}
const p = median(plain);
const s = median(secured);
console.log(`secured home built from scratch: ${(buildMs / 1000).toFixed(1)} s (once per machine)`);
console.log(
  `start to healthy, median of ${rounds}: plain ${(p / 1000).toFixed(1)} s, secured ${(s / 1000).toFixed(1)} s, ratio ${(s / p).toFixed(2)}x`,
);
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
