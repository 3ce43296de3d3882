/** The watch's schedule bounds, zod-free: the schemas (watch.ts) and the words (watch-text.ts) share them. */

/** Default time between two rounds. */
export const DEFAULT_WATCH_INTERVAL_MINUTES = 15;
export const MIN_WATCH_INTERVAL_MINUTES = 1;
export const MAX_WATCH_INTERVAL_MINUTES = 24 * 60;
