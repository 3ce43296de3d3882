/**
 * Capacity snapshot cost at 1,000 and 3,000 indices (50 and 150 tenants × 20), side by side in one
 * process with the RAW REPLAY of its own requests (bench/support/replay.ts: exactly the requests the
 * snapshot sent, recorded at the wire, sent at once over undici, gunzipped, JSON.parse'd, nothing
 * else) and one plain GET _cluster/health, in alternating order over many runs:
 * - steady: the refresh a user meets (the console keeps its reader; defaults, facts and sizes cached)
 *   against the replay of its three requests over kept-alive connections;
 * - cold: the first snapshot of a fresh service (what opening the console or `tenantctl capacity`
 *   costs: new connections, cluster facts, settings defaults, sizes and creation dates) against the
 *   replay of its seven requests over new connections.
 * Then where the time goes: the same three requests through other transports (the
 * @elastic/elasticsearch client, the console's reader, the replay uncompressed), what recording a
 * snapshot in the history costs, and each piece of the service's own work alone on the replies
 * (bench/support/capacity-breakdown.ts). Requests and bytes are counted at the wire by a counting
 * proxy and printed next to the service's own meter.
 *
 *   npx tsx bench/capacity.ts            # starts a throw-away cluster (tests/support/elasticsearch.ts)
 *   TEST_ES_URL=http://127.0.0.1:9200 npx tsx bench/capacity.ts   # or uses yours (cleaned up after)
 *   BENCH_RUNS=60 BENCH_COLD_RUNS=30 BENCH_SIZES=1000,3000 (the defaults)
 *
 * Target: a snapshot costs at most 1.25× the raw replay of its own requests, steady and cold, at
 * both sizes (medians). Figures vary with the machine's load, which is printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapacityService } from '../main/services/capacity';
import { HistoryStore } from '../main/services/history';
import * as esClient from '../main/services/es-client';
import { instance } from '../tests/support/capacity-fixture';
import { startCountingProxy, type CountingProxy } from '../tests/support/counting-proxy';
import { bodyName, breakdown, type Bodies } from './support/capacity-breakdown';
import {
  allowBenchIndices,
  benchCluster,
  createIndices,
  deleteIndices,
  INDICES_PER_TENANT,
  median,
  tenantIndices,
} from './support/cluster';
import { RawReplay, replayable, type Replayed } from './support/replay';

// Steady figures come cheap and vary most on a loaded machine: more of them than cold ones.
const RUNS = Number(process.env.BENCH_RUNS) || 60;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS) || 30;
const WARMUP = 3;
const TARGET = 1.25;
// BENCH_SIZES=200,400 BENCH_RUNS=5 for a quick look; the figures in docs/capacity.md are the defaults.
const SIZES = (process.env.BENCH_SIZES ?? '1000,3000').split(',').map(Number);
const HISTORY_DIR = mkdtempSync(join(tmpdir(), 'bench-capacity-history-'));
process.on('exit', () => rmSync(HISTORY_DIR, { recursive: true, force: true }));

/** A service over one instance, keeping a history as the console's does. */
function serviceAt(id: string, url: string): CapacityService {
  const summary = { instance: instance(id, url, '0.9.x', { timeoutMs: 60_000 }), tlsVerifyOff: false, warnings: [] };
  return new CapacityService({
    instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
    history: new HistoryStore({ dir: HISTORY_DIR }),
  });
}

async function snap(service: CapacityService, id: string) {
  const outcome = await service.snapshot(id);
  if (!outcome.ok) throw new Error(`snapshot failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.snapshot;
}

/** One snapshot through the proxy: the service's meter, what crossed the wire, and the requests as sent. */
async function wire(service: CapacityService, proxy: CountingProxy) {
  proxy.reset();
  const s = await snap(service, 'wire');
  return { meter: s.cost, bytes: proxy.bytes(), requests: proxy.requests() };
}

const ms = (v: number) => v.toFixed(1).padStart(6);
const quartiles = (values: number[]) => {
  const v = [...values].sort((a, b) => a - b);
  return [v[Math.floor((v.length - 1) / 4)]!, v[Math.ceil(((v.length - 1) * 3) / 4)]!];
};
const spread = (values: number[]) => {
  const [lo, hi] = quartiles(values);
  return `[${lo.toFixed(1)}-${hi.toFixed(1)}]`;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  const cluster = await benchCluster('tenant-console-bench');
  const base = cluster.url;
  const run = randomBytes(2).toString('hex');
  const created: string[] = [];
  let restore: (() => Promise<void>) | null = null;

  const proxy = await startCountingProxy(base);
  const replay = new RawReplay(base);
  const steady = serviceAt('bench', base);
  const benchInstance = instance('bench', base, '0.9.x', { timeoutMs: 60_000 });
  // The three steady requests through the client the service used until 2026-12-07, and the reader.
  const client = await esClient.createEsClient(benchInstance, {}, { productCheck: 'pre-7.14' });
  const reader = 'createEsReader' in esClient ? await esClient.createEsReader(benchInstance, {}) : undefined;
  const verdicts: string[] = [];

  try {
    // One shard, no replicas for every bench index; 3,000 of them need a higher shard limit.
    restore = await allowBenchIndices(base, `b${run}`);

    let tenants = 0;
    for (const size of SIZES) {
      const names = [];
      for (; tenants < size / INDICES_PER_TENANT; tenants++)
        names.push(...tenantIndices(`b${run}t${String(tenants).padStart(3, '0')}`));
      const t0 = performance.now();
      created.push(...names); // before creating: a partial failure is cleaned up too
      await createIndices(base, names);
      const setupS = ((performance.now() - t0) / 1000).toFixed(1);

      // A fresh service through the proxy: its first (cold) snapshot then a steady one, counted and
      // recorded at the wire; the replays send exactly these requests.
      const viaProxy = serviceAt('wire', proxy.url);
      const wireCold = await wire(viaProxy, proxy);
      const wireSteady = await wire(viaProxy, proxy);
      await viaProxy.close();
      const coldRequests = replayable(wireCold.requests);
      const steadyRequests = replayable(wireSteady.requests);
      const healthRequest: Replayed[] = [
        { method: 'GET', path: '/_cluster/health', headers: steadyRequests[0]?.headers ?? {} },
      ];
      const uncompressed = steadyRequests.map((r) => ({
        ...r,
        headers: Object.fromEntries(Object.entries(r.headers).filter(([h]) => h !== 'accept-encoding')),
      }));
      const viaClient = () =>
        Promise.all(
          steadyRequests.map((r) =>
            client.transport.request(
              { method: 'GET', path: r.path.split('?')[0]!, querystring: r.path.split('?')[1] ?? '' },
              { ...esClient.meteredRequest(esClient.createMeter()), headers: { 'accept-encoding': 'gzip' } },
            ),
          ),
        );
      const viaReader =
        reader === undefined
          ? undefined
          : () =>
              Promise.all(
                steadyRequests.map((r) => {
                  const [path, query] = r.path.split('?') as [string, string | undefined];
                  return reader.request({ path, querystring: Object.fromEntries(new URLSearchParams(query ?? '')) });
                }),
              );

      // Wall clock, and this process's CPU time (user + system, all its threads) over the same span:
      // on a loaded machine the wall clock mostly waits for a core, the CPU time does not.
      const times: Record<string, number[]> = {};
      const cpus: Record<string, number[]> = {};
      const cpuNow = () => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      };
      const add = (name: string, wall: number, cpu: number) => {
        (times[name] ??= []).push(wall);
        (cpus[name] ??= []).push(cpu);
      };
      const reasons = new Set<string>();
      const steadyCounts = new Set<number>();
      const coldCounts = new Set<number>();
      await snap(steady, 'bench'); // reads the new indices' sizes once (they came since the last size)
      const listed = await snap(steady, 'bench');
      const inCluster = listed.tenants.reduce((n, t) => n + t.indices, 0) + listed.otherIndices;
      await steady.flush();
      const loadBefore = load();
      let coldN = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const keep = i >= WARMUP;
        // The cold pair in every other run until COLD_RUNS are in, spread over the whole run.
        const withCold = i < WARMUP || (i - WARMUP) % Math.max(1, Math.floor(RUNS / COLD_RUNS)) === 0;
        const timed = async (name: string, f: () => Promise<unknown>) => {
          const [c, s] = [cpuNow(), performance.now()];
          await f();
          if (keep) add(name, performance.now() - s, cpuNow() - c);
        };
        const steps: Array<() => Promise<unknown>> = [
          () => timed('health', () => replay.steady(healthRequest)),
          async () => {
            const [c0, s0] = [cpuNow(), performance.now()];
            const s = await snap(steady, 'bench');
            const [c1, s1] = [cpuNow(), performance.now()];
            await steady.flush(); // the history hand-off, after the answer: timed apart
            if (keep) {
              add('steady', s1 - s0, c1 - c0);
              add('history', performance.now() - s1, cpuNow() - c1);
            }
            reasons.add(s.sizes.reason);
            steadyCounts.add(s.cost.requests);
          },
          () => timed('steadyRaw', () => replay.steady(steadyRequests)),
          async () => {
            if (!withCold) return;
            const fresh = serviceAt(`cold${coldN++}`, base);
            const [c0, s0] = [cpuNow(), performance.now()];
            const s = await snap(fresh, `cold${coldN - 1}`);
            if (keep) add('cold', performance.now() - s0, cpuNow() - c0);
            coldCounts.add(s.cost.requests);
            await fresh.close(); // history and connections, after the answer
          },
          async () => (withCold ? timed('coldRaw', () => replay.cold(coldRequests)) : undefined),
          () => timed('client', viaClient),
          ...(viaReader === undefined ? [] : [() => timed('reader', viaReader)]),
          () => timed('uncompressed', () => replay.steady(uncompressed)),
        ];
        // Alternating order, so no figure always runs first or right after the costliest one.
        for (const step of i % 2 === 0 ? steps : [...steps].reverse()) await step();
      }
      const loadAfter = load();
      const m = (name: string) => median(times[name]!);
      const health = m('health');
      const paired = (a: string, b: string) => times[a]!.map((v, k) => v / times[b]![k]!);
      const ratioLine = (a: string, b: string) => {
        const r = m(a) / m(b);
        const p = paired(a, b);
        const ok = r <= TARGET;
        verdicts.push(ok ? 'MET' : 'NOT MET');
        return `    ${a}/raw replay ${r.toFixed(2)}x (paired runs: median ${median(p).toFixed(2)}x ${spread(p).replace(/(\d)-/, '$1x-')}x; cpu ${cpuRatio(a, b).toFixed(2)}x)  ≤ ${TARGET}: ${ok ? 'MET' : 'NOT MET'}`;
      };
      const row = (label: string, name: string, extra = '') =>
        `  ${label.padEnd(52)} ${ms(m(name))} ms ${spread(times[name]!).padEnd(13)} = ${(m(name) / health).toFixed(2)}x health, cpu ${median(cpus[name]!).toFixed(1)} ms${extra}`;
      const cpuRatio = (a: string, b: string) => median(cpus[a]!) / median(cpus[b]!);
      const counted = (w: Awaited<ReturnType<typeof wire>>) =>
        `${w.requests.length} req/${w.bytes} B at the wire, meter ${w.meter.requests} req/${w.meter.bytesReceived} B`;
      const out = [
        `${size} bench indices (${size / INDICES_PER_TENANT} tenants × ${INDICES_PER_TENANT}; ${inCluster} in the cluster; setup ${setupS} s), medians of ${RUNS} alternating runs (cold: ${times.cold!.length}) [p25-p75], load ${loadBefore} → ${loadAfter}`,
        row('health (plain GET _cluster/health)', 'health'),
        row(`STEADY snapshot (${counted(wireSteady)})`, 'steady', `, sizes ${[...reasons].join('/')}`),
        row(`  raw replay of its ${steadyRequests.length} requests, kept-alive`, 'steadyRaw'),
        ratioLine('steady', 'steadyRaw'),
        row(`COLD snapshot, fresh service (${counted(wireCold)})`, 'cold'),
        row(`  raw replay of its ${coldRequests.length} requests, new connections`, 'coldRaw'),
        ratioLine('cold', 'coldRaw'),
        `  where the time goes:`,
        row('  history hand-off after a steady snapshot (apart)', 'history'),
        row(`  ${steadyRequests.length} steady requests, raw replay uncompressed`, 'uncompressed'),
        row(`  ${steadyRequests.length} steady requests, @elastic/elasticsearch client`, 'client'),
        ...(times.reader ? [row(`  ${steadyRequests.length} steady requests, the console's reader`, 'reader')] : []),
      ];
      if ([...steadyCounts].some((c) => c !== wireSteady.meter.requests) || coldCounts.size !== 1)
        out.push(`    WARNING: request counts varied: steady ${[...steadyCounts]}, cold ${[...coldCounts]}`);
      if (
        wireSteady.requests.length !== wireSteady.meter.requests ||
        wireCold.requests.length !== wireCold.meter.requests
      )
        out.push('    WARNING: the meter and the wire disagree on the request count');
      // Each piece alone, on this size's replies.
      const bodies: Partial<Bodies> = {};
      for (const r of [...coldRequests, ...steadyRequests]) bodies[bodyName(r.path)] = await replay.received(r);
      out.push('  pieces alone on these replies (one core, no I/O, median of 60):');
      for (const [label, v] of breakdown(bodies as Bodies, benchInstance))
        out.push(`    ${label.padEnd(50)} ${v.toFixed(3).padStart(7)} ms`);
      console.log(out.join('\n'));
    }
    console.log(
      `verdict (snapshot ≤ ${TARGET}x the raw replay of its own requests; steady, cold at ${SIZES.join(', then ')} indices): ${verdicts.join(', ')}`,
    );
  } finally {
    await steady.close();
    await client.close();
    await reader?.close();
    await replay.close();
    await proxy.stop();
    await deleteIndices(base, created);
    await restore?.();
    await cluster.stop();
  }
}

await main();
