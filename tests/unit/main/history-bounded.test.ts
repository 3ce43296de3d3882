/**
 * Reading a capacity history in bounded memory whatever the file holds (history-reader.ts): a line
 * too long to be a sample is skipped as it streams by, a file past what a read keeps loses its
 * oldest samples; either way the file is compacted back and the operator told. The peak memory of a
 * real reading process with a 64 MB line appended is measured against a plain read (bench/history-memory.ts
 * does the same with 200 MB and prints the figures).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../main/services/history';
import type { HistorySample } from '../../../shared/capacity/capacity-history';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1);

function sample(t: number, i: number): HistorySample {
  return {
    t,
    st: 'green',
    n: [['es-data-1', 500 + i, 1000, 850, 900, 950, 3, 8]],
    sh: [100 + i, 3000],
    ix: 40,
    tn: 2,
    pt: { acme: [4, 1000 + i], shop: [4, 2000 + i] },
  };
}

/** `count` samples a minute apart ending at NOW, as lines. */
function lines(count: number): string {
  return Array.from({ length: count }, (_, i) => `${JSON.stringify(sample(NOW - (count - 1 - i) * MIN, i))}\n`).join(
    '',
  );
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-history-bounded-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a line too long to be a sample', () => {
  it('is skipped unread, the file compacted back at once, and the operator told once', async () => {
    const notices: string[] = [];
    const store = new HistoryStore({
      dir,
      clock: { now: () => NOW },
      report: (line) => notices.push(line),
      bounds: { maxLineBytes: 4096 },
    });
    const file = store.file('eu1');
    // Five samples, a 1 MB line in the middle (no newline inside it), five more.
    fs.writeFileSync(file, lines(10));
    const text = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, [...text.slice(0, 5), 'x'.repeat(1024 * 1024), ...text.slice(5)].join('\n'));
    const before = fs.statSync(file).size;

    const read = await store.read('eu1');
    expect(read).toHaveLength(10);
    const after = fs.statSync(file).size;
    expect(after).toBeLessThan(before - 1024 * 1024);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('xxxx');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.startsWith(`Capacity history of eu1 (${file}) was `)).toBe(true);
    expect(notices[0]).toMatch(
      /was 1\.\d+ MiB: 1 line over 4\.0+ KiB skipped \(no sample is that long\); compacted to \d/,
    );
    // Once compacted, a read finds nothing to tell.
    expect(await store.read('eu1')).toEqual(read);
    expect(notices).toHaveLength(1);
  });

  it('an append after the line (the probe: a snapshot on top of it) still reads, and compaction drops the line', async () => {
    const notices: string[] = [];
    let now = NOW;
    const store = new HistoryStore({
      dir,
      clock: { now: () => now },
      report: (line) => notices.push(line),
      bounds: { maxLineBytes: 4096 },
    });
    fs.writeFileSync(store.file('eu1'), `${lines(3)}${'y'.repeat(512 * 1024)}`); // no newline: torn
    now = NOW + 5 * MIN;
    expect(await store.append(sample(now, 9), 'eu1')).toBe(true);
    const read = await store.read('eu1');
    expect(read.map((s) => s.t)).toEqual([NOW - 2 * MIN, NOW - MIN, NOW, now]);
    expect(fs.statSync(store.file('eu1')).size).toBeLessThan(4096);
    expect(notices.join('\n')).toMatch(/1 line over 4\.0+ KiB skipped/);
  });
});

describe('a file past what a read keeps', () => {
  it('keeps the newest samples within the budget, compacts the file to them and says how many went', async () => {
    const notices: string[] = [];
    const store = new HistoryStore({
      dir,
      clock: { now: () => NOW },
      report: (line) => notices.push(line),
      bounds: { budgetBytes: 64 * 1024 },
    });
    fs.writeFileSync(store.file('eu1'), lines(1000)); // some 200 KB of valid samples
    const read = await store.read('eu1');
    expect(read.length).toBeLessThan(1000);
    expect(read.at(-1)!.t).toBe(NOW);
    // The newest are kept, in order, without a gap.
    expect(read.map((s) => s.t)).toEqual(read.map((_, i) => NOW - (read.length - 1 - i) * MIN));
    expect(fs.statSync(store.file('eu1')).size).toBeLessThanOrEqual(64 * 1024);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(
        `the oldest ${1000 - read.length} samples left out \\(over the 64\\.0 KiB a read keeps\\); compacted to`,
      ),
    );
  });
});

describe('peak memory of a reading process', () => {
  /** Peak RSS (KB) of a process that reads the history as the CLI and the watch do. */
  function peakOf(history: string): { samples: number; maxRssKb: number; notices: string[] } {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repo, 'tests/support/history-reader.ts'), history, 'eu1'],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      samples: number;
      maxRssKb: number;
      notices: string[];
    };
  }

  it(
    'a 64 MB line appended adds less than 32 MB to a plain read (the whole-file read added some 130 MB)',
    { timeout: 120_000 },
    () => {
      const plainDir = path.join(dir, 'plain');
      const longDir = path.join(dir, 'long');
      for (const d of [plainDir, longDir]) {
        fs.mkdirSync(d);
        fs.writeFileSync(path.join(d, 'eu1.jsonl'), lines(2000));
      }
      const fd = fs.openSync(path.join(longDir, 'eu1.jsonl'), 'a');
      const block = Buffer.alloc(1024 * 1024, 'z');
      for (let i = 0; i < 64; i++) fs.writeSync(fd, block);
      fs.writeSync(fd, '\n');
      fs.closeSync(fd);

      const plain = peakOf(plainDir);
      const long = peakOf(longDir);
      const extraMb = (long.maxRssKb - plain.maxRssKb) / 1024;
      console.log(
        `history read peak RSS: plain ${(plain.maxRssKb / 1024).toFixed(1)} MB, with a 64 MB line ${(long.maxRssKb / 1024).toFixed(1)} MB (+${extraMb.toFixed(1)} MB)`,
      );
      expect(long.samples).toBe(plain.samples);
      expect(extraMb).toBeLessThan(32);
      // And the file is back to its samples.
      expect(fs.statSync(path.join(longDir, 'eu1.jsonl')).size).toBeLessThan(1024 * 1024);
      expect(long.notices).toHaveLength(1);
    },
  );
});
