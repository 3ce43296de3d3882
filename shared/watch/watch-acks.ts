/**
 * Which Changes feed entries the operator has acknowledged (marked seen): every entry up to
 * `through`, and the ones after it named one by one. Kept in the data folder next to the feed
 * (`watch-acks.json`), so every shell on it shows the same.
 */
import { z } from 'zod';
import { WATCH_FEED_LIMIT } from './watch';

export const watchAcksSchema = z.object({
  /** Every entry with an id up to this one is acknowledged (0: none). */
  through: z.number().int().min(0),
  /** Entries after `through` acknowledged one by one, ascending. */
  ids: z.array(z.number().int().min(1)).max(WATCH_FEED_LIMIT),
});
export type WatchAcks = z.infer<typeof watchAcksSchema>;

export const watchAcknowledgeArgsSchema = z
  .object({
    /** Acknowledge these entries. */
    ids: z.array(z.number().int().min(1)).min(1).max(WATCH_FEED_LIMIT).optional(),
    /** Acknowledge every entry up to this id (the newest the operator saw: later ones stay new). */
    through: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((a) => a.ids !== undefined || a.through !== undefined, {
    message: 'name the entries to acknowledge, or acknowledge every entry up to one',
  });

/** The acknowledgements after adding `ids` and everything up to `through`, kept small. */
export function addAcks(
  acks: WatchAcks,
  add: { ids?: readonly number[]; through?: number },
  lastId: number,
): WatchAcks {
  // Never past the newest entry: an id the feed has not given out yet is not acknowledged ahead of time.
  const through = Math.min(Math.max(acks.through, add.through ?? 0), lastId);
  const ids = [...new Set([...acks.ids, ...(add.ids ?? [])])]
    .filter((id) => id > through && id <= lastId)
    .sort((a, b) => a - b)
    .slice(-WATCH_FEED_LIMIT);
  return { through, ids };
}
