/**
 * Reading a history file in bounded memory, whatever it holds: it is read 64 KiB at a time into one
 * buffer, a line is never held past MAX_SAMPLE_LINE_BYTES (a longer one is skipped as it streams by,
 * and counted), and the samples kept never add up to more than READ_BUDGET_BYTES of their lines (past
 * it the oldest are left out, and counted). One 200 MB line appended to a file cost every
 * `tenantctl capacity` and watch round some 930 MB when the file was read whole.
 * docs/capacity.md, "History".
 */
import { promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseSampleLine, type HistorySample } from '../../../shared/capacity/capacity-history';

/** The longest line read as a sample: some 28,000 tenants at about 35 bytes each (docs/capacity.md). */
export const MAX_SAMPLE_LINE_BYTES = 1024 * 1024;
/**
 * The most sample text kept from one file. A downsampled history of 20 tenants is about 3 MB (12 MB
 * at one sample a minute); this leaves room for some 1,100 tenants at the watch's 15 minutes.
 */
export const READ_BUDGET_BYTES = 128 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/** What one read found. */
export interface HistoryRead {
  /** Valid samples, oldest first. */
  samples: HistorySample[];
  /** Bytes of the file read (its size, when nothing appended meanwhile). */
  bytes: number;
  /** Lines longer than MAX_SAMPLE_LINE_BYTES, skipped unread. */
  longLines: number;
  /** The oldest valid samples left out because the kept ones reached READ_BUDGET_BYTES. */
  overBudget: number;
}

/** Read `file` line by line within the bounds above; a missing file is an empty read. */
export async function readHistoryFile(
  file: string,
  bounds: { maxLineBytes?: number; budgetBytes?: number } = {},
): Promise<HistoryRead> {
  const maxLine = bounds.maxLineBytes ?? MAX_SAMPLE_LINE_BYTES;
  const budget = bounds.budgetBytes ?? READ_BUDGET_BYTES;
  const kept: { sample: HistorySample; bytes: number }[] = [];
  let keptBytes = 0;
  let overBudget = 0;
  let longLines = 0;
  let bytes = 0;
  // The line being gathered, in pieces (lengths in characters: UTF-16 units, as the bounds are).
  let parts: string[] = [];
  let pending = 0;
  let skipping = false;

  const endLine = () => {
    if (skipping) {
      skipping = false;
      return;
    }
    if (pending === 0) return;
    const sample = parseSampleLine(parts.length === 1 ? parts[0]! : parts.join(''));
    if (sample === null) return;
    kept.push({ sample, bytes: pending });
    keptBytes += pending;
    if (keptBytes > budget) {
      // Over the budget: keep the newest three quarters of it (sorting once per quarter, not per line).
      kept.sort((a, b) => a.sample.t - b.sample.t);
      let drop = 0;
      while (keptBytes > budget * 0.75 && drop < kept.length) keptBytes -= kept[drop++]!.bytes;
      kept.splice(0, drop);
      overBudget += drop;
    }
  };

  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { samples: [], bytes: 0, longLines: 0, overBudget: 0 };
    throw err;
  }
  // One buffer for the whole file; the decoder keeps a character cut between two reads whole.
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let decoder = new StringDecoder('utf8');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      let start = 0;
      if (skipping) {
        // The rest of a long line is passed over as bytes, not decoded: on to its newline (ASCII,
        // so a fresh decoder starts clean after it).
        const nl = chunk.subarray(0, bytesRead).indexOf(0x0a);
        if (nl === -1) continue;
        skipping = false;
        decoder = new StringDecoder('utf8');
        start = nl + 1;
      }
      const text = decoder.write(chunk.subarray(start, bytesRead));
      let from = 0;
      while (from < text.length) {
        const nl = text.indexOf('\n', from);
        const end = nl === -1 ? text.length : nl;
        if (!skipping && end > from) {
          if (pending + (end - from) > maxLine) {
            // Too long to be a sample: drop what was gathered and the rest of the line as it comes.
            skipping = true;
            longLines++;
            parts = [];
            pending = 0;
          } else {
            parts.push(text.slice(from, end));
            pending += end - from;
          }
        }
        if (nl === -1) break;
        endLine();
        parts = [];
        pending = 0;
        from = nl + 1;
      }
    }
  } finally {
    await handle.close();
  }
  // A last line without its newline (a torn append) is read like any other: invalid ones are skipped.
  endLine();
  return { samples: kept.map((k) => k.sample).sort((a, b) => a.t - b.t), bytes, longLines, overBudget };
}
