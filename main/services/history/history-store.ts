/**
 * The capacity history of each instance in the data folder: `history/<instance>.jsonl`, one JSON
 * sample a line. Appends are one `appendFile` of a whole line (O_APPEND: two processes appending at
 * once interleave whole lines); compaction (downsampling) writes a temp file and renames it over.
 * Both hold `<file>.lock`, so a compaction never drops another process's append.
 * Reading streams the file in bounded memory (history-reader.ts) and skips any line that is not a
 * whole valid sample, so a torn last line costs that sample only; a line too long to be a sample,
 * or a file past what a read keeps, gets the file compacted back and the operator told. A failure
 * to write is reported to the caller as `false`, never thrown: history must not break a snapshot.
 * docs/capacity.md, "History".
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import {
  downsample,
  parseSampleLine,
  RAW_MIN_INTERVAL_MS,
  sampleOf,
  type HistorySample,
} from '../../../shared/capacity/capacity-history';
import type { CapacitySnapshot } from '../../../shared/capacity/capacity';
import { clusterGrowthSchema, type ClusterGrowth } from '../../../shared/capacity/cluster-growth';
import { formatByteSize } from '../../../shared/capacity/capacity-model';
import { MAX_SAMPLE_LINE_BYTES, READ_BUDGET_BYTES, readHistoryFile, type HistoryRead } from './history-reader';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface HistoryStoreDeps {
  /** Folder of the history files (the core passes `<data folder>/history`). */
  dir: string;
  clock?: Clock;
  /** At most one raw sample per instance in this interval (default RAW_MIN_INTERVAL_MS). */
  rawMinIntervalMs?: number;
  /**
   * Where a line for the operator goes: a file that held lines too long to be samples, or more
   * than a read keeps, and was compacted (the core passes its notices: CLI warnings, the status bar).
   */
  report?: (line: string) => void;
  /** The read bounds (tests make them small); default MAX_SAMPLE_LINE_BYTES and READ_BUDGET_BYTES. */
  bounds?: { maxLineBytes?: number; budgetBytes?: number };
}

const storedGrowthSchema = z.object({ cluster: clusterGrowthSchema, modelShardsPerMonth: z.number().nullable() });
/** What `<instance>.cluster.json` keeps: the last growth measured from the cluster, and the model's. */
export type StoredGrowth = z.infer<typeof storedGrowthSchema>;

/**
 * When a file is downsampled: once it has grown by a quarter (and at least 64 KB) since the last
 * compaction. The file so stays under 1.25 × the downsampled bound (docs/capacity.md), and a
 * compaction (read, downsample, rewrite: some 50 ms at the bound) comes every few days, not hourly.
 */
export const COMPACT_GROWTH = 1.25;
const COMPACT_MIN_GROWTH_BYTES = 64 * 1024;

/** How much of a file's end is read to find its last sample (a line with 2,000 tenants fits). */
const TAIL_BYTES = 256 * 1024;

/** Samples kept per instance, on disk, downsampled. */
export class HistoryStore {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #rawMinIntervalMs: number;
  readonly #report: (line: string) => void;
  readonly #bounds: { maxLineBytes: number; budgetBytes: number };
  /** Per instance: appends wait for a running compaction of the same file in this process. */
  readonly #busy = new Map<string, Promise<unknown>>();
  /** Per instance: the samples last parsed, with the file's size and mtime then. */
  readonly #parsed = new Map<string, { size: number; mtimeMs: number; samples: readonly HistorySample[] }>();
  /** Per instance: the file's size after its last compaction, as last known. */
  readonly #compactedSize = new Map<string, number>();

  constructor(deps: HistoryStoreDeps) {
    this.#dir = deps.dir;
    this.#clock = deps.clock ?? { now: () => Date.now() };
    this.#rawMinIntervalMs = deps.rawMinIntervalMs ?? RAW_MIN_INTERVAL_MS;
    this.#report = deps.report ?? (() => undefined);
    this.#bounds = {
      maxLineBytes: deps.bounds?.maxLineBytes ?? MAX_SAMPLE_LINE_BYTES,
      budgetBytes: deps.bounds?.budgetBytes ?? READ_BUDGET_BYTES,
    };
  }

  /** The history file of an instance. */
  file(instanceId: string): string {
    return path.join(this.#dir, `${instanceId}.jsonl`);
  }

  /**
   * Keep a snapshot's key figures (and the growth measured from its partitions). Skipped (false)
   * within the raw interval of the last sample; false also when the disk refuses the write.
   */
  async record(snapshot: CapacitySnapshot, cluster?: ClusterGrowth): Promise<boolean> {
    return this.#serial(snapshot.instanceId, async () => {
      try {
        if (cluster !== undefined)
          await this.#writeGrowth(snapshot.instanceId, {
            cluster,
            modelShardsPerMonth: snapshot.growth.newShardsPerMonth,
          });
      } catch {
        // The growth file is a cache of what the next snapshot measures again.
      }
      return this.append(sampleOf(snapshot), snapshot.instanceId);
    });
  }

  /** Append one sample (rate-limited); the store's own entry point for tests and imports. */
  async append(sample: HistorySample, instanceId: string): Promise<boolean> {
    const file = this.file(instanceId);
    let size: number | null;
    try {
      await fs.mkdir(this.#dir, { recursive: true });
      // Under the file's lock: another process's compaction (read, write a temp file, rename) must
      // not run between our read of the tail and our append, or it would drop this line.
      size = await withLock(file, async () => {
        const tail = await readTail(file);
        const last = tail.last;
        // Within the interval only a sample whose limits moved is kept: the forecast every screen
        // shows must not count against a shard limit or watermark the cluster no longer has.
        if (
          last !== null &&
          sample.t - last.t < this.#rawMinIntervalMs &&
          sample.t >= last.t &&
          sameLimits(last, sample)
        )
          return null;
        // A torn last line (a crash mid-write) must not swallow this one: start on a line of our own.
        const line = `${tail.endsTorn ? '\n' : ''}${JSON.stringify(sample)}\n`;
        await fs.appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
        return tail.size + Buffer.byteLength(line);
      });
    } catch {
      return false;
    }
    if (size === null) return false;
    await this.#maybeCompact(instanceId, size).catch(() => undefined);
    return true;
  }

  /**
   * Every valid sample of an instance, oldest first (an unreadable or missing file is no history),
   * read in bounded memory (history-reader.ts). A file that held a line too long to be a sample, or
   * more than a read keeps, is compacted back at once, and the operator told.
   */
  async read(instanceId: string): Promise<readonly HistorySample[]> {
    const file = this.file(instanceId);
    try {
      // The fleet's headroom reads every instance's file: unchanged files are not parsed again.
      const st = await fs.stat(file);
      const cached = this.#parsed.get(instanceId);
      if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.samples;
      const found = await readHistoryFile(file, this.#bounds);
      if (found.longLines > 0 || found.overBudget > 0 || found.bytes > this.#bounds.budgetBytes) {
        await this.#serial(instanceId, () => this.compact(instanceId)).catch(() => undefined);
        return found.samples;
      }
      this.#parsed.set(instanceId, { size: st.size, mtimeMs: st.mtimeMs, samples: found.samples });
      return found.samples;
    } catch {
      return [];
    }
  }

  /**
   * The growth measured from the instance's partitions at its last snapshot, and the layout model's
   * shards a month then (the fallback), if any.
   */
  async growth(instanceId: string): Promise<StoredGrowth | null> {
    try {
      const raw = JSON.parse(await fs.readFile(this.#clusterFile(instanceId), 'utf8')) as unknown;
      const r = storedGrowthSchema.safeParse(raw);
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  /**
   * Downsample an instance's file now (temp file + rename); lines appended meanwhile are kept. Lines
   * too long to be samples go, and so do the oldest samples past the read budget: the operator is
   * told (a routine compaction says nothing).
   */
  async compact(instanceId: string): Promise<void> {
    const file = this.file(instanceId);
    await fs.mkdir(this.#dir, { recursive: true });
    const done = await withLock(file, () => this.#compactLocked(instanceId, file));
    if (done === null || (done.longLines === 0 && done.overBudget === 0 && done.before <= this.#bounds.budgetBytes))
      return;
    const what = [
      done.longLines > 0
        ? `${done.longLines} line${done.longLines === 1 ? '' : 's'} over ${formatByteSize(this.#bounds.maxLineBytes)} skipped (no sample is that long)`
        : null,
      done.overBudget > 0
        ? `the oldest ${done.overBudget} sample${done.overBudget === 1 ? '' : 's'} left out (over the ${formatByteSize(this.#bounds.budgetBytes)} a read keeps)`
        : null,
    ].filter((x): x is string => x !== null);
    this.#report(
      `Capacity history of ${instanceId} (${file}) was ${formatByteSize(done.before)}${what.length > 0 ? `: ${what.join('; ')}` : ''}; compacted to ${formatByteSize(done.after)}`,
    );
  }

  async #compactLocked(
    instanceId: string,
    file: string,
  ): Promise<{ before: number; after: number; longLines: number; overBudget: number } | null> {
    let found: HistoryRead;
    try {
      found = await readHistoryFile(file, this.#bounds);
    } catch {
      return null;
    }
    if (found.bytes === 0) return null;
    const now = this.#clock.now();
    const kept = downsample(found.samples, now);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, kept.map((s) => `${JSON.stringify(s)}\n`).join(''), { mode: 0o600 });
      // Belt and braces under the lock: a file that changed since it was read is left for next time.
      if ((await fs.stat(file)).size !== found.bytes) return null;
      await fs.rename(temp, file);
      const { size } = await fs.stat(file);
      this.#compactedSize.set(instanceId, size);
      this.#parsed.delete(instanceId);
      await fs.writeFile(this.#markerFile(instanceId), JSON.stringify({ at: now, size }));
      return { before: found.bytes, after: size, longLines: found.longLines, overBudget: found.overBudget };
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  /** Forget an instance's history (the instance was removed). */
  async remove(instanceId: string): Promise<void> {
    for (const f of [this.file(instanceId), this.#clusterFile(instanceId), this.#markerFile(instanceId)])
      await fs.rm(f, { force: true });
  }

  async #maybeCompact(instanceId: string, size: number): Promise<void> {
    // The size after the last compaction (this process's, or another's from the marker file).
    let compacted = this.#compactedSize.get(instanceId) ?? 0;
    if (size < Math.max(compacted * COMPACT_GROWTH, compacted + COMPACT_MIN_GROWTH_BYTES)) return;
    try {
      const marker = JSON.parse(await fs.readFile(this.#markerFile(instanceId), 'utf8')) as { size?: unknown };
      if (typeof marker.size === 'number') compacted = marker.size;
    } catch {
      // No marker: never compacted (or unreadable): the size rule below decides from zero.
    }
    this.#compactedSize.set(instanceId, compacted);
    if (size < Math.max(compacted * COMPACT_GROWTH, compacted + COMPACT_MIN_GROWTH_BYTES)) return;
    await this.compact(instanceId);
  }

  async #writeGrowth(instanceId: string, growth: StoredGrowth): Promise<void> {
    const target = this.#clusterFile(instanceId);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.mkdir(this.#dir, { recursive: true });
    try {
      await fs.writeFile(temp, JSON.stringify(growth), { mode: 0o600 });
      await fs.rename(temp, target);
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  #clusterFile(instanceId: string): string {
    return path.join(this.#dir, `${instanceId}.cluster.json`);
  }

  #markerFile(instanceId: string): string {
    return path.join(this.#dir, `${instanceId}.compacted`);
  }

  /** Run one operation per instance at a time in this process (append after compaction, not during). */
  #serial<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
    const before = this.#busy.get(instanceId) ?? Promise.resolve();
    const p = before.then(work, work);
    const settled = p.catch(() => undefined);
    this.#busy.set(instanceId, settled);
    void settled.then(() => {
      if (this.#busy.get(instanceId) === settled) this.#busy.delete(instanceId);
    });
    return p;
  }
}

/**
 * Hold `<file>.lock` (an mkdir lock, proper-lockfile; stale after 10 s, e.g. a crashed process) while
 * appending or compacting, so a compaction's read-then-rename never drops another process's append.
 * Waits at most about a second, then gives up (the sample is skipped; the app is never held).
 */
async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 30, minTimeout: 5, maxTimeout: 50, factor: 1.3, randomize: true },
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

/** The time of the file's last whole sample, and whether the file ends mid-line. */
/** The same shard limit and the same data nodes with the same low watermarks. */
function sameLimits(a: HistorySample, b: HistorySample): boolean {
  return (
    a.sh[1] === b.sh[1] &&
    a.n.length === b.n.length &&
    a.n.every((node, i) => node[0] === b.n[i]![0] && node[3] === b.n[i]![3])
  );
}

async function readTail(file: string): Promise<{ last: HistorySample | null; endsTorn: boolean; size: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { last: null, endsTorn: false, size: 0 };
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { last: null, endsTorn: false, size };
    let endsTorn = false;
    // Most lines are a few KB: read 8 KB from the end, more only when no whole sample is in it.
    for (let length = Math.min(size, 8192); ; length = Math.min(size, length * 4)) {
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      const text = buf.toString('utf8');
      endsTorn = !text.endsWith('\n');
      const lines = text.split('\n');
      // The first line of a partial read may be cut: only a whole file's first line counts.
      const from = length < size ? 1 : 0;
      for (let i = lines.length - 1; i >= from; i--) {
        const s = parseSampleLine(lines[i]!);
        if (s !== null) return { last: s, endsTorn, size };
      }
      if (length >= size || length >= TAIL_BYTES) return { last: null, endsTorn, size };
    }
  } finally {
    await handle.close();
  }
}
