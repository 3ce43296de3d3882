/**
 * The watch's two files in the data folder, shared by every shell on it (the window, the browser
 * shell, `tenantctl watch`, a cron job's `tenantctl watch --once`):
 *
 * - `watch-feed.json`: the Changes feed, the newest WATCH_FEED_LIMIT entries, numbered by an id that
 *   never goes back (the cursor of `watch.changes`);
 * - `watch-baseline.json`: what the last round saw, per subject (shared/watch/watch-detect.ts);
 * - `watch-acks.json`: which entries the operator acknowledged (shared/watch/watch-acks.ts).
 *
 * Each is written whole to a temp file and renamed over the old one (a reader sees the old or the
 * new file, never half); a round's read-compare-write holds `watch-feed.json.lock` (the settings
 * store's cross-process lock), so two shells finishing rounds at once lose no entry. A file that is
 * not what it should be (too big to be the console's, not JSON, another shape) is set aside as
 * `<name>.corrupt-<ms>`, unread when too big; the operator is told where, and the watch starts afresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatByteSize } from '../../../shared/capacity/capacity-model';
import { WATCH_FEED_LIMIT, watchChangeSchema, watchSubjectSchema, type WatchChange } from '../../../shared/watch/watch';
import type { ChangeDraft, WatchBaseline } from '../../../shared/watch/watch-detect';
import { addAcks, watchAcksSchema, type WatchAcks } from '../../../shared/watch/watch-acks';
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

/**
 * The largest file read: a feed of WATCH_FEED_LIMIT entries is well under 1 MB, a baseline of
 * 20,000 tenants some 6 MB. A bigger file was not written by the console: set aside unread.
 */
export const MAX_WATCH_FILE_BYTES = {
  feed: 8 * 1024 * 1024,
  baseline: 32 * 1024 * 1024,
  acks: 8 * 1024 * 1024,
} as const;

/** What a file is to the operator, and what happens without it. */
const ABOUT = {
  feed: { name: 'The Changes feed', after: 'the feed starts afresh' },
  baseline: { name: 'The watch baseline', after: 'the next round takes a new baseline' },
  acks: { name: 'The changes marked seen', after: 'every change reads as new until marked seen again' },
} as const;

/**
 * Parse `file` with `schema`; absent: null; too big, not JSON or of another shape: set aside as
 * `<file>.corrupt-<ms>`, the operator told what happened and where the copy is, null.
 */
function readJson<T>(
  file: string,
  schema: z.ZodType<T>,
  kind: keyof typeof ABOUT,
  maxBytes: number,
  report: (line: string) => void,
): T | null {
  let why: string;
  try {
    const size = fs.statSync(file).size;
    if (size > maxBytes) why = `${formatByteSize(size)}, more than the ${formatByteSize(maxBytes)} the console writes`;
    else {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== undefined) throw err;
        json = undefined;
      }
      const parsed = json === undefined ? null : schema.safeParse(json);
      if (parsed?.success) return parsed.data;
      why = parsed === null ? 'not JSON' : 'not what the console writes';
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const aside = `${file}.corrupt-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    // Another shell set it aside first (it told its operator); anything else is a real failure.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  report(`${ABOUT[kind].name} ${file} was ${why}: it was set aside as ${aside}, and ${ABOUT[kind].after}`);
  return null;
}

export class WatchFiles {
  readonly feedPath: string;
  readonly baselinePath: string;
  readonly acksPath: string;
  readonly #limit: number;
  readonly #report: (line: string) => void;
  readonly #maxBytes: { feed: number; baseline: number; acks?: number };

  /**
   * `report`: where a line for the operator goes when a file is set aside (the core passes its
   * notices); `maxBytes`: the size bounds (tests make them small).
   */
  constructor(
    dataDir: string,
    options: {
      limit?: number;
      report?: (line: string) => void;
      maxBytes?: { feed: number; baseline: number; acks?: number };
    } = {},
  ) {
    this.feedPath = path.join(dataDir, FEED_FILE);
    this.baselinePath = path.join(dataDir, BASELINE_FILE);
    this.acksPath = path.join(dataDir, ACKS_FILE);
    this.#limit = options.limit ?? WATCH_FEED_LIMIT;
    this.#report = options.report ?? (() => undefined);
    this.#maxBytes = options.maxBytes ?? MAX_WATCH_FILE_BYTES;
  }

  #feed(): FeedFile {
    return (
      readJson(this.feedPath, feedFileSchema, 'feed', this.#maxBytes.feed, this.#report) ?? {
        version: 1,
        lastId: 0,
        entries: [],
      }
    );
  }

  /** The baseline, or null before the first round. */
  baseline(): WatchBaseline | null {
    return readJson(this.baselinePath, baselineSchema, 'baseline', this.#maxBytes.baseline, this.#report);
  }

  /** Feed entries with an id above `since`, oldest first, at most `limit` (the newest ones). */
  changes(since = 0, limit = this.#limit): { entries: WatchChange[]; cursor: number } {
    const feed = this.#feed();
    const newer = feed.entries.filter((e) => e.id > since);
    return { entries: newer.slice(Math.max(0, newer.length - limit)), cursor: feed.lastId };
  }

  /** The acknowledged entries (none before the first acknowledgement). */
  acknowledgements(): WatchAcks {
    const max = this.#maxBytes.acks ?? MAX_WATCH_FILE_BYTES.acks;
    const stored = readJson(this.acksPath, acksFileSchema, 'acks', max, this.#report);
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
   * Append entries seen outside a round (another operator's changes, read from the team registry),
   * under the lock. An entry already in the feed (same kind, subject and time: another shell on this
   * data folder saw the same change) is not added twice. Answers the entries added.
   */
  append(drafts: readonly ChangeDraft[]): WatchChange[] {
    if (drafts.length === 0) return [];
    fs.mkdirSync(path.dirname(this.feedPath), { recursive: true });
    return withFileLock(this.feedPath, () => {
      const feed = this.#feed();
      const seen = new Set(feed.entries.map((e) => `${e.kind}|${e.instanceId}|${e.tenant ?? ''}|${e.at}`));
      const fresh = drafts.filter((d) => !seen.has(`${d.kind}|${d.instanceId}|${d.tenant ?? ''}|${d.at}`));
      const entries = fresh.map((c, i) => ({ ...c, id: feed.lastId + i + 1 }));
      if (entries.length > 0) {
        const all = [...feed.entries, ...entries];
        writeJsonAtomic(this.feedPath, {
          version: 1,
          lastId: feed.lastId + entries.length,
          entries: all.slice(Math.max(0, all.length - this.#limit)),
        } satisfies FeedFile);
      }
      return entries;
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
