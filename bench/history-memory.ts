// History memory benchmark: the peak memory (max RSS) of a process reading an instance's capacity
// history as `tenantctl capacity`, the watch and the History screen do (HistoryService view and
// forecasts over a HistoryStore), on a realistic history (2 years at the watch's 15 minutes,
// 3 data nodes, 20 tenants: about 3 MB) and on the same file with one 200 MB line appended (as the
// security probe did: garbage, or a sample-shaped line whose node name is 200 MB). Each case runs
// twice in fresh processes: the first read may compact the file, the second shows what is left.
// Target: a read stays within 64 MB of the plain file's peak, and the file shrinks back.
//
//   npx tsx bench/history-memory.ts [--line-mb 200] [--code <checkout>]
// --code runs the reader from another checkout's main/ and shared/ (e.g. the code before the
// change: `git archive <commit> main shared | tar -x -C /tmp/old`, node_modules linked in).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_EXTRA_MB = 64;
const { values } = parseArgs({
  options: { 'line-mb': { type: 'string', default: '200' }, code: { type: 'string', default: REPO } },
});
const lineMb = Number(values['line-mb']);
const code = path.resolve(values.code!);
const MIN = 60_000;
const DAY = 86_400_000;

/** One sample line as a 3-data-node, 20-tenant instance writes it. */
function sampleLine(t: number, i: number): string {
  const pt: Record<string, [number, number]> = {};
  for (let k = 0; k < 20; k++) pt[`tenant${String(k).padStart(3, '0')}`] = [40 + (i % 50), 1_234_567_890 + i];
  const node = (name: string) => [name, 512e9 + i * 1000, 1e12, 850e9, 900e9, 950e9, 3e9 + (i % 1000), 8e9];
  return JSON.stringify({
    t,
    st: 'green',
    n: [node('es-data-1'), node('es-data-2'), node('es-data-3')],
    sh: [1200 + Math.floor(i / 100), 3000],
    ix: 400,
    tn: 20,
    pt,
  });
}

/** A realistic downsampled history ending now: 7 days at 15 minutes, hourly to 90 days, daily to 2 years. */
function writeHistory(file: string): void {
  const now = Date.now();
  const times: number[] = [];
  for (let t = now - 730 * DAY; t < now - 90 * DAY; t += DAY) times.push(t);
  for (let t = now - 90 * DAY; t < now - 7 * DAY; t += 60 * MIN) times.push(t);
  for (let t = now - 7 * DAY; t <= now; t += 15 * MIN) times.push(t);
  fs.writeFileSync(file, times.map((t, i) => `${sampleLine(t, i)}\n`).join(''), { mode: 0o600 });
}

/** Append a line of `mb` MB without holding it: garbage, or a valid sample with a huge node name. */
function appendLongLine(file: string, mb: number, kind: 'garbage' | 'sample'): void {
  const fd = fs.openSync(file, 'a');
  try {
    const block = Buffer.alloc(1024 * 1024, 'x');
    if (kind === 'sample') fs.writeSync(fd, `{"t":${Date.now() - 1000},"st":"green","n":[["`);
    for (let i = 0; i < mb; i++) fs.writeSync(fd, block);
    if (kind === 'sample') fs.writeSync(fd, `",1,2,3,4,5,6,7]],"sh":[1,2],"ix":1,"tn":1,"pt":{}}`);
    fs.writeSync(fd, '\n');
  } finally {
    fs.closeSync(fd);
  }
}

/** The reader, run in its own process from `code`: prints its peak memory and what it saw. */
function readerScript(dir: string): string {
  const history = path.join(code, 'main/services/history/index.ts');
  return `
import { HistoryService, HistoryStore } from ${JSON.stringify(history)};
const notices = [];
const store = new HistoryStore({ dir: ${JSON.stringify(dir)}, report: (line) => notices.push(line) });
const service = new HistoryService({ store });
const started = performance.now();
const view = await service.view('eu1', '90d');
await service.forecasts(['eu1']);
const ms = performance.now() - started;
console.log(JSON.stringify({ samples: view.samples, ms, maxRssKb: process.resourceUsage().maxRSS, notices }));
`;
}

interface Reading {
  samples: number;
  ms: number;
  maxRssKb: number;
  notices: string[];
}

function read(script: string): Reading {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: code, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`reader failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Reading;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function main(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-history-memory-'));
  try {
    console.log(
      `code: ${code}; a ${lineMb} MB line; load: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    let plainPeak = 0;
    for (const kind of ['none', 'garbage', 'sample'] as const) {
      const dir = path.join(root, kind, 'history');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'eu1.jsonl');
      writeHistory(file);
      if (kind !== 'none') appendLongLine(file, lineMb, kind);
      const script = path.join(root, `${kind}-reader.mts`);
      fs.writeFileSync(script, readerScript(dir));
      for (const pass of [1, 2]) {
        const before = fs.statSync(file).size;
        const r = read(script);
        const after = fs.statSync(file).size;
        const peak = r.maxRssKb * 1024;
        if (kind === 'none' && pass === 1) plainPeak = peak;
        const extra = peak - plainPeak;
        console.log(
          `${kind === 'none' ? 'plain history' : `+ ${lineMb} MB ${kind} line`}, read ${pass}: file ${mb(before)} -> ${mb(after)}, ` +
            `${r.samples} samples, peak RSS ${mb(peak)} (${extra >= 0 ? '+' : ''}${mb(extra)} over the plain read; ` +
            `target under +${TARGET_EXTRA_MB} MB: ${extra < TARGET_EXTRA_MB * 1024 * 1024 ? 'met' : 'NOT MET'}), ${r.ms.toFixed(0)} ms`,
        );
        for (const n of r.notices) console.log(`  notice: ${n}`);
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
