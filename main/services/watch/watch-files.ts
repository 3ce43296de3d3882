/**
 * The watch's two files in the data folder, shared by every shell on it (the window, the browser
 * shell, `tenantctl watch`, a cron job's `tenantctl watch --once`):
 *
 * - `watch-feed.json`: the Changes feed, the newest WATCH_FEED_LIMIT entries, numbered by an id that
 *   never goes back (the cursor of `watch.changes`);
 * - `watch-baseline.json`: what the last round saw, per subject (shared/watch-detect.ts);
 * - `watch-acks.json`: which entries the operator acknowledged (shared/watch-acks.ts).
 *
 * Each is written whole to a temp file and renamed over the old one (a reader sees the old or the
 * new file, never half); a round's read-compare-write holds `watch-feed.json.lock` (the settings
 * store's cross-process lock), so two shells finishing rounds at once lose no entry. A file that is
 * not what it should be is set aside as `<name>.corrupt-<time>` and the watch starts afresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WATCH_FEED_LIMIT, watchChangeSchema, watchSubjectSchema, type WatchChange } from '../../../shared/watch';
import type { ChangeDraft, WatchBaseline } from '../../../shared/watch-detect';
import { addAcks, watchAcksSchema, type WatchAcks } from '../../../shared/watch-acks';
import { withFileLock } from '../settings-store';

export const FEED_FILE = 'watch-feed.json';
export const BASELINE_FILE = 'watch-baseline.json';
export const ACKS_FILE = 'watch-acks.json';

const acksFileSchema = watchAcksSchema.extend({ version: z.literal(1) });

const feedFileSchema = z.object({
  version: z.literal(1),
  lastId: z.number().int().min(0),
  entries: z.array(watchChangeSchema),
});
type FeedFile = z.infer<typeof feedFileSchema>;

const subjectStateSchema = watchSubjectSchema.extend({
  value: z.string(),
  changedAt: z.array(z.number()),
  flapping: z.boolean(),
  lastChange: z.number(),
});
const baselineSchema = z.object({
  version: z.literal(1),
  round: z.number().int().min(0),
  at: z.string(),
  subjects: z.record(z.string(), subjectStateSchema),
});

/** Write `data` as JSON to `file` atomically (temp file in the same folder, then rename). */
function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(data)}\n`, { mode: 0o600 });
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Parse `file` with `schema`; absent: null; unreadable or invalid: set aside, null. */
function readJson<T>(file: string, schema: z.ZodType<T>): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: set aside below
  }
  fs.renameSync(file, `${file}.corrupt-${Date.now()}`);
  return null;
}

export class WatchFiles {
  readonly feedPath: string;
  readonly baselinePath: string;
  readonly acksPath: string;
  readonly #limit: number;

  constructor(dataDir: string, options: { limit?: number } = {}) {
    this.feedPath = path.join(dataDir, FEED_FILE);
    this.baselinePath = path.join(dataDir, BASELINE_FILE);
    this.acksPath = path.join(dataDir, ACKS_FILE);
    this.#limit = options.limit ?? WATCH_FEED_LIMIT;
  }

  #feed(): FeedFile {
    return readJson(this.feedPath, feedFileSchema) ?? { version: 1, lastId: 0, entries: [] };
  }

  /** The baseline, or null before the first round. */
  baseline(): WatchBaseline | null {
    return readJson(this.baselinePath, baselineSchema);
  }

  /** Feed entries with an id above `since`, oldest first, at most `limit` (the newest ones). */
  changes(since = 0, limit = this.#limit): { entries: WatchChange[]; cursor: number } {
    const feed = this.#feed();
    const newer = feed.entries.filter((e) => e.id > since);
    return { entries: newer.slice(Math.max(0, newer.length - limit)), cursor: feed.lastId };
  }

  /** The acknowledged entries (none before the first acknowledgement). */
  acknowledgements(): WatchAcks {
    const stored = readJson(this.acksPath, acksFileSchema);
    return stored ? { through: stored.through, ids: stored.ids } : { through: 0, ids: [] };
  }

  /** Add acknowledgements under the file's lock (two shells acknowledging at once lose none). */
  acknowledge(add: { ids?: readonly number[]; through?: number }): WatchAcks {
    fs.mkdirSync(path.dirname(this.acksPath), { recursive: true });
    return withFileLock(this.acksPath, () => {
      const next = addAcks(this.acknowledgements(), add, this.#feed().lastId);
      writeJsonAtomic(this.acksPath, { version: 1, ...next });
      return next;
    });
  }

  /**
   * One round's read-compare-write under the lock: `compare` gets the stored baseline and answers
   * the drafts to append and the new baseline; answers the numbered entries.
   */
  commitRound(compare: (baseline: WatchBaseline | null) => { changes: ChangeDraft[]; baseline: WatchBaseline }): {
    entries: WatchChange[];
    baseline: WatchBaseline;
  } {
    fs.mkdirSync(path.dirname(this.feedPath), { recursive: true });
    return withFileLock(this.feedPath, () => {
      const { changes, baseline } = compare(this.baseline());
      const feed = this.#feed();
      const entries = changes.map((c, i) => ({ ...c, id: feed.lastId + i + 1 }));
      if (entries.length > 0) {
        const all = [...feed.entries, ...entries];
        writeJsonAtomic(this.feedPath, {
          version: 1,
          lastId: feed.lastId + entries.length,
          entries: all.slice(Math.max(0, all.length - this.#limit)),
        } satisfies FeedFile);
      }
      writeJsonAtomic(this.baselinePath, baseline);
      return { entries, baseline };
    });
  }
}
