/**
 * The chart figures of each instance's history, per file version, in memory and beside the file
 * (`history/<instance>.chart.json`): the first visit to the History screen after a launch reads
 * these columns (a few hundred KB of numbers) instead of parsing every sample of a two-year file
 * (megabytes of JSON lines, each with its per-tenant figures). A file that only grew since (the
 * watch appends) is read from where the cache ends; a rewritten one (compaction: a new inode, or
 * other bytes where the cache ends) is read again through the store. docs/capacity.md, "History".
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { z } from 'zod';
import {
  historySampleSchema,
  historySeriesSchema,
  parseSampleLine,
  seriesOf,
  type HistorySample,
  type HistorySeries,
} from '../../../shared/capacity/capacity-history';
import type { HistoryStore } from './history-store';

/** What a chart and its forecast need of a history: every sample's figures and the last sample's nodes. */
export interface ChartColumns {
  /** Every sample's chart figures, oldest first, at full resolution. */
  columns: HistorySeries;
  /** The last sample's data nodes (the disk forecast reads the tightest one), [] without samples. */
  nodes: HistorySample['n'];
  /** When the first sample was taken (ms), or null. */
  firstAt: number | null;
}

/** Bytes before the end of what the cache covers that must be unchanged for an append-only read. */
const CHECK_BYTES = 4096;
/** Past this much growth the file is read again whole (through the store): a tail read stays small. */
const MAX_TAIL_BYTES = 512 * 1024;

const cachedSchema = z.object({
  v: z.literal(1),
  ino: z.number(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** sha256 of the CHECK_BYTES (or fewer, from the start) before `size`. */
  check: z.string(),
  firstAt: z.number().nullable(),
  nodes: historySampleSchema.shape.n,
  columns: historySeriesSchema,
});
type Cached = z.infer<typeof cachedSchema>;

const EMPTY: ChartColumns = { columns: seriesOf([], 0), nodes: [], firstAt: null };

const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The columns of samples (oldest first) and what else a chart needs of them. */
function chartColumnsOf(samples: readonly HistorySample[]): ChartColumns {
  return { columns: seriesOf(samples, -Infinity), nodes: samples.at(-1)?.n ?? [], firstAt: samples[0]?.t ?? null };
}

/** Bytes [from, to) of a file. */
async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buf, 0, buf.length, from);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const sameVersion = (c: Cached, st: Stats) => c.ino === st.ino && c.size === st.size && c.mtimeMs === st.mtimeMs;

/** Chart columns per instance over a HistoryStore. */
export class ChartCache {
  readonly #store: HistoryStore;
  readonly #memory = new Map<string, Cached>();
  /** Per instance: the sidecar being written (a removal waits for it, so none is left behind). */
  readonly #saving = new Map<string, Promise<void>>();

  constructor(store: HistoryStore) {
    this.#store = store;
  }

  /** The sidecar of an instance's history file. */
  file(instanceId: string): string {
    return this.#store.file(instanceId).replace(/\.jsonl$/, '.chart.json');
  }

  /** An instance's chart columns as its history file is now (no file: no history). */
  async read(instanceId: string): Promise<ChartColumns> {
    const file = this.#store.file(instanceId);
    const st = await fs.stat(file).catch(() => null);
    if (st === null) {
      this.#memory.delete(instanceId);
      return EMPTY;
    }
    const known = this.#memory.get(instanceId) ?? (await this.#load(instanceId));
    if (known && sameVersion(known, st)) return this.#keep(instanceId, known, false);
    if (known && known.ino === st.ino && st.size > known.size && st.size - known.size <= MAX_TAIL_BYTES) {
      const grown = await this.#extend(file, known, st).catch(() => null);
      if (grown) return this.#keep(instanceId, grown, grown !== known);
    }
    return this.#rebuild(instanceId, file, st);
  }

  /** Forget an instance's cache (its history is removed). */
  async remove(instanceId: string): Promise<void> {
    this.#memory.delete(instanceId);
    await this.#saving.get(instanceId);
    await fs.rm(this.file(instanceId), { force: true });
  }

  /** The whole file through the store; kept only when the file did not change meanwhile. */
  async #rebuild(instanceId: string, file: string, st: Stats): Promise<ChartColumns> {
    const samples = await this.#store.read(instanceId);
    const built = chartColumnsOf(samples);
    try {
      const after = await fs.stat(file);
      const tail = await readRange(file, Math.max(0, st.size - CHECK_BYTES), st.size);
      // Only a version that ends on a whole line (and is still the one read) can be extended later.
      if (after.ino !== st.ino || after.size !== st.size || after.mtimeMs !== st.mtimeMs) return built;
      if (tail.length > 0 && tail[tail.length - 1] !== 0x0a) return built;
      const cached: Cached = {
        v: 1,
        ino: st.ino,
        size: st.size,
        mtimeMs: st.mtimeMs,
        check: digest(tail),
        ...built,
      };
      return this.#keep(instanceId, cached, true);
    } catch {
      return built;
    }
  }

  /** The cache extended by the whole lines appended since, or null: read the file again whole. */
  async #extend(file: string, known: Cached, st: Stats): Promise<Cached | null> {
    const from = Math.max(0, known.size - CHECK_BYTES);
    const buf = await readRange(file, from, st.size);
    if (digest(buf.subarray(0, known.size - from)) !== known.check) return null;
    const end = buf.lastIndexOf(0x0a);
    // No whole line yet past the cache (one is being written): the cache still holds.
    if (end < known.size - from) return end === known.size - from - 1 ? known : null;
    const added: HistorySample[] = [];
    for (const line of buf
      .subarray(known.size - from, end)
      .toString('utf8')
      .split('\n')) {
      const s = parseSampleLine(line);
      if (s !== null) added.push(s);
    }
    const lastT = known.columns.t.at(-1);
    // Out of order (another process's late line): the store's read sorts, so read it whole.
    for (let i = 0; i < added.length; i++)
      if (i === 0 ? lastT !== undefined && added[0]!.t / 1000 < lastT : added[i]!.t < added[i - 1]!.t) return null;
    const more = seriesOf(added, -Infinity);
    const columns = { ...known.columns };
    for (const key of Object.keys(columns) as (keyof HistorySeries)[]) columns[key] = [...columns[key], ...more[key]];
    const size = from + end + 1;
    return {
      ...known,
      size,
      // The cache now ends mid-file when a line was still being written: only the size marks it.
      mtimeMs: size === st.size ? st.mtimeMs : -1,
      check: digest(buf.subarray(Math.max(0, size - CHECK_BYTES - from), end + 1)),
      firstAt: known.firstAt ?? added[0]?.t ?? null,
      nodes: added.at(-1)?.n ?? known.nodes,
      columns,
    };
  }

  /** Keep a version in memory (and on disk when it is new); answer its columns. */
  #keep(instanceId: string, cached: Cached, changed: boolean): ChartColumns {
    this.#memory.set(instanceId, cached);
    if (changed) {
      const before = this.#saving.get(instanceId) ?? Promise.resolve();
      // After the answer has gone: writing a few hundred KB must not hold up the chart it serves.
      const saving = before
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => this.#save(instanceId, cached))
        .catch(() => undefined);
      this.#saving.set(instanceId, saving);
      void saving.then(() => {
        if (this.#saving.get(instanceId) === saving) this.#saving.delete(instanceId);
      });
    }
    return { columns: cached.columns, nodes: cached.nodes, firstAt: cached.firstAt };
  }

  async #load(instanceId: string): Promise<Cached | null> {
    try {
      const r = cachedSchema.safeParse(JSON.parse(await fs.readFile(this.file(instanceId), 'utf8')));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  /** Temp file and rename: a reader never sees half a cache (and a torn one fails its schema). */
  async #save(instanceId: string, cached: Cached): Promise<void> {
    const target = this.file(instanceId);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, JSON.stringify(cached), { mode: 0o600 });
      await fs.rename(temp, target);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }
}
