/**
 * The chart cache on a real folder: a second launch answers from the sidecar without parsing the
 * history; appends are read from where the cache ends; a compaction, a rewrite, a line out of order
 * or a damaged sidecar send it back to the store; whatever happened, it answers what the store does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../main/services/history';
import { ChartCache } from '../../../main/services/history/chart-cache';
import { seriesOf, type HistorySample } from '../../../shared/capacity/capacity-history';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function sample(h: number, open = 100 + h): HistorySample {
  return {
    t: T0 + h * HOUR,
    st: 'green',
    n: [['n1', 500 + h, 1000, 850, 900, 950, 1, 2]],
    sh: [open, 1000],
    ix: 1,
    tn: 1,
    pt: { acme: [3, 10 + h] },
  };
}

/** A store that counts its whole-file reads. */
class CountingStore extends HistoryStore {
  reads = 0;
  override async read(instanceId: string): Promise<readonly HistorySample[]> {
    this.reads += 1;
    return super.read(instanceId);
  }
}

let dir: string;
const write = (file: string, samples: HistorySample[]) =>
  fs.writeFileSync(file, samples.map((s) => `${JSON.stringify(s)}\n`).join(''));
const append = (file: string, samples: HistorySample[]) =>
  fs.appendFileSync(file, samples.map((s) => `${JSON.stringify(s)}\n`).join(''));
/** A new store and cache, as after a launch. */
const launch = () => {
  const store = new CountingStore({ dir, rawMinIntervalMs: 0 });
  return { store, cache: new ChartCache(store) };
};
/** What the store itself makes of the file: the cache must always answer the same. */
async function truth(id = 'eu1') {
  const samples = await new HistoryStore({ dir }).read(id);
  return { columns: seriesOf(samples, -Infinity), nodes: samples.at(-1)?.n ?? [], firstAt: samples[0]?.t ?? null };
}
/** Wait for the sidecar written in the background. */
async function saved(cache: ChartCache, id = 'eu1'): Promise<void> {
  for (let i = 0; i < 100 && !fs.existsSync(cache.file(id)); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 20));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-chart-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('chart cache', () => {
  it('a second launch reads the sidecar, not the history; appends are read from where it ends', async () => {
    const first = launch();
    const file = first.store.file('eu1');
    write(
      file,
      Array.from({ length: 200 }, (_, h) => sample(h)),
    );
    expect(await first.cache.read('eu1')).toEqual(await truth());
    expect(first.store.reads).toBe(1);
    await saved(first.cache);

    const second = launch();
    expect(await second.cache.read('eu1')).toEqual(await truth());
    expect(second.store.reads).toBe(0);

    append(file, [sample(200), sample(201, 999)]);
    const grown = await second.cache.read('eu1');
    expect(grown).toEqual(await truth());
    expect(grown.columns.shardsOpen.at(-1)).toBe(999);
    expect(second.store.reads).toBe(0);
    // Unchanged since: answered from memory, the same columns.
    expect((await second.cache.read('eu1')).columns).toBe(grown.columns);
    await saved(second.cache);

    // A third launch finds the extended sidecar.
    const third = launch();
    expect(await third.cache.read('eu1')).toEqual(await truth());
    expect(third.store.reads).toBe(0);
  });

  it('a line being written is left for the next read; a whole one then shows', async () => {
    const { store, cache } = launch();
    const file = store.file('eu1');
    write(file, [sample(0), sample(1)]);
    await cache.read('eu1');
    const line = JSON.stringify(sample(2));
    fs.appendFileSync(file, line.slice(0, 40));
    expect((await cache.read('eu1')).columns.t).toHaveLength(2);
    fs.appendFileSync(file, `${line.slice(40)}\n`);
    expect(await cache.read('eu1')).toEqual(await truth());
    expect(store.reads).toBe(1);
  });

  it('a compaction (a new file renamed over), a rewrite in place or a line out of order: read whole again', async () => {
    const { store, cache } = launch();
    const file = store.file('eu1');
    write(
      file,
      Array.from({ length: 50 }, (_, h) => sample(h)),
    );
    await cache.read('eu1');
    expect(store.reads).toBe(1);

    // Compaction: a temp file renamed over the history (another inode), even as long as before or longer.
    const temp = `${file}.tmp`;
    write(
      temp,
      Array.from({ length: 60 }, (_, h) => sample(h * 2)),
    );
    fs.renameSync(temp, file);
    expect(await cache.read('eu1')).toEqual(await truth());
    expect(store.reads).toBe(2);

    // Rewritten in place (same inode), longer, other bytes where the cache ended.
    fs.writeFileSync(file, Array.from({ length: 70 }, (_, h) => `${JSON.stringify(sample(h, 7))}\n`).join(''));
    expect(await cache.read('eu1')).toEqual(await truth());
    expect(store.reads).toBe(3);

    // Another process's late line, older than the last one: the store sorts, so the cache reads whole.
    append(file, [sample(5, 555)]);
    expect(await cache.read('eu1')).toEqual(await truth());
    expect(store.reads).toBe(4);
  });

  it('a damaged or foreign sidecar is ignored; no history is no history; remove deletes the sidecar', async () => {
    const { store, cache } = launch();
    const file = store.file('eu1');
    write(file, [sample(0), sample(1)]);
    await cache.read('eu1');
    await saved(cache);
    fs.writeFileSync(cache.file('eu1'), '{"v":1,"columns":');
    const again = launch();
    expect(await again.cache.read('eu1')).toEqual(await truth());
    expect(again.store.reads).toBe(1);

    expect((await again.cache.read('nope')).columns.t).toEqual([]);
    await saved(again.cache);
    await again.cache.remove('eu1');
    expect(fs.existsSync(again.cache.file('eu1'))).toBe(false);
    expect(fs.existsSync(file)).toBe(true);
  });
});
