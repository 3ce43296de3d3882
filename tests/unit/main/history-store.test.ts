/**
 * The history store on a real folder: the size bound under two years of samples (fake clock), torn
 * and garbage lines, the raw rate limit, a full disk, and two processes appending at once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../main/services/history';
import { maxSamples, RETENTION, type HistorySample } from '../../../shared/capacity/capacity-history';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** A sample as a 3-data-node instance with `tenants` tenants writes it. */
function sample(t: number, i: number, tenants = 20): HistorySample {
  const pt: HistorySample['pt'] = {};
  for (let k = 0; k < tenants; k++) pt[`tenant${String(k).padStart(3, '0')}`] = [40 + (i % 50), 1_234_567_890 + i];
  const node = (name: string): HistorySample['n'][number] => [
    name,
    512_000_000_000 + i * 1000,
    1_000_000_000_000,
    850_000_000_000,
    900_000_000_000,
    950_000_000_000,
    3_000_000_000 + (i % 1000),
    8_000_000_000,
  ];
  return {
    t,
    st: 'green',
    n: [node('es-data-1'), node('es-data-2'), node('es-data-3')],
    sh: [1200 + Math.floor(i / 100), 3000],
    ix: 400,
    tn: tenants,
    pt,
  };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-history-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('size bound', () => {
  it('two years of samples every 15 minutes stay within the budget (3 data nodes, 20 tenants)', async () => {
    let now = START;
    const store = new HistoryStore({ dir, clock: { now: () => now } });
    const total = (730 * DAY) / (15 * MIN);
    let largest = 0;
    for (let i = 0; i < total; i++) {
      now = START + i * 15 * MIN;
      expect(await store.append(sample(now, i), 'eu1')).toBe(true);
      if (i % 96 === 0) largest = Math.max(largest, fs.statSync(store.file('eu1')).size);
    }
    await store.compact('eu1');
    const samples = await store.read('eu1');
    const size = fs.statSync(store.file('eu1')).size;
    // 7 days raw at 15 min (672) + hourly to 90 days (1992) + daily to 2 years (640).
    expect(samples.length).toBeLessThanOrEqual(672 + 1993 + 641);
    expect(samples.length).toBeGreaterThan(3000);
    const perSample = size / samples.length;
    // The budget in docs/capacity.md: about 1.1 KB a sample with 20 tenants, under 4 MB at the worst.
    expect(perSample).toBeLessThan(1_200);
    expect(size).toBeLessThan(4 * 1024 * 1024);
    // Between compactions (hourly) the file never grows past the bound by more than an hour's samples.
    expect(largest).toBeLessThan(4 * 1024 * 1024);
    // The oldest kept is under two years old; resolution falls with age.
    expect(now - samples[0]!.t).toBeLessThan(RETENTION.dailyMs);
    const week = samples.filter((s) => now - s.t < RETENTION.rawMs);
    expect(week.length).toBeGreaterThanOrEqual(671);
    console.log(`history: ${samples.length} samples, ${size} bytes (${perSample.toFixed(0)} B/sample)`);
  }, 600_000);

  it('the count bound at the raw rate limit (one a minute) is what maxSamples says', () => {
    expect(maxSamples(MIN)).toBe(10_080 + 1993 + 641);
    expect(maxSamples(15 * MIN)).toBe(672 + 1993 + 641);
  });
});

describe('damaged files', () => {
  it('a torn last line loses that sample only, and the next append starts a line of its own', async () => {
    let now = START;
    const store = new HistoryStore({ dir, clock: { now: () => now } });
    for (let i = 0; i < 5; i++) {
      now = START + i * 5 * MIN;
      await store.append(sample(now, i, 2), 'eu1');
    }
    const whole = JSON.stringify(sample(START + 25 * MIN, 5, 2));
    fs.appendFileSync(store.file('eu1'), whole.slice(0, whole.length / 2)); // a crash mid-write
    expect((await store.read('eu1')).map((s) => s.t)).toEqual([0, 5, 10, 15, 20].map((m) => START + m * MIN));
    now = START + 30 * MIN;
    expect(await store.append(sample(now, 6, 2), 'eu1')).toBe(true);
    const read = await store.read('eu1');
    expect(read).toHaveLength(6);
    expect(read.at(-1)!.t).toBe(now);
  });

  it('garbage lines, a binary blob and a wrong shape are skipped; the rest reads', async () => {
    const store = new HistoryStore({ dir, clock: { now: () => START } });
    fs.mkdirSync(dir, { recursive: true });
    const good = [sample(START, 0, 1), sample(START + 2 * MIN, 1, 1)];
    fs.writeFileSync(
      store.file('eu1'),
      [
        JSON.stringify(good[0]),
        'not json at all',
        '\u0000\u0001\u00ff{{{',
        JSON.stringify({ t: 'yesterday', sh: [1] }),
        JSON.stringify(good[1]),
        '',
      ].join('\n'),
    );
    expect(await store.read('eu1')).toEqual(good);
  });

  it('an unreadable history (a folder where the file should be) is an empty history, not an error', async () => {
    const store = new HistoryStore({ dir, clock: { now: () => START } });
    fs.mkdirSync(store.file('eu1'), { recursive: true });
    expect(await store.read('eu1')).toEqual([]);
    expect(await store.append(sample(START, 0, 1), 'eu1')).toBe(false);
  });

  it('a full disk refuses the append without throwing', async () => {
    const store = new HistoryStore({ dir, clock: { now: () => START } });
    fs.symlinkSync('/dev/full', store.file('eu1'));
    await expect(store.append(sample(START, 0, 1), 'eu1')).resolves.toBe(false);
  });
});

describe('rate limit', () => {
  it('keeps at most one raw sample a minute per instance', async () => {
    let now = START;
    const store = new HistoryStore({ dir, clock: { now: () => now } });
    const written: boolean[] = [];
    for (let s = 0; s < 180; s += 5) {
      now = START + s * 1000; // a UI polling every 5 s for 3 minutes
      written.push(await store.append(sample(now, s, 1), 'eu1'));
    }
    expect((await store.read('eu1')).map((x) => (x.t - START) / 1000)).toEqual([0, 60, 120]);
    expect(written.filter(Boolean)).toHaveLength(3);
    // Another instance has its own limit.
    expect(await store.append(sample(now, 0, 1), 'us1')).toBe(true);
  });

  it('within the minute, a sample whose limits moved is kept (the forecast counts against the new ones)', async () => {
    const store = new HistoryStore({ dir, clock: { now: () => START } });
    const first = sample(START, 0, 1);
    expect(await store.append(first, 'eu1')).toBe(true);
    // Same limits 5 s later: skipped.
    expect(await store.append({ ...sample(START + 5000, 1, 1), sh: [first.sh[0] + 3, first.sh[1]] }, 'eu1')).toBe(
      false,
    );
    // The shard limit lowered (max_shards_per_node): kept at once.
    expect(await store.append({ ...sample(START + 10_000, 2, 1), sh: [first.sh[0], 61] }, 'eu1')).toBe(true);
    // A node's low watermark moved: kept too.
    const moved = sample(START + 15_000, 3, 1);
    moved.sh = [first.sh[0], 61];
    moved.n = moved.n.map(
      ([name, used, total, low, ...rest]) => [name, used, total, low - 1, ...rest] as (typeof moved.n)[0],
    );
    expect(await store.append(moved, 'eu1')).toBe(true);
    expect((await store.read('eu1')).map((x) => x.t - START)).toEqual([0, 10_000, 15_000]);
  });
});

describe('two processes', () => {
  it('the app and the CLI appending (and compacting) at once lose nothing', { timeout: 120_000 }, async () => {
    const run = (first: number) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(repo, 'tests/support/history-writer.ts'),
            dir,
            'eu1',
            String(first),
            '200',
            String(2 * MIN),
          ],
          { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] },
        );
        child.on('error', reject);
        child.on('close', resolve);
      });
    // Interleaved times (one process on even minutes, the other on odd), all within the raw week.
    const now = Date.now();
    expect(await Promise.all([run(now - DAY), run(now - DAY + MIN)])).toEqual([0, 0]);
    const store = new HistoryStore({ dir });
    const read = await store.read('eu1');
    expect(read).toHaveLength(400);
    expect(new Set(read.map((s) => s.t)).size).toBe(400);
  });
});
