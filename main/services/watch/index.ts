/**
 * The watch's public API: `import { WatchService, WatchFiles } from './services/watch'`.
 *
 * A schedule (default every 15 minutes; interval and pause in the settings file) of rounds that
 * re-verify the fleet and snapshot capacity; what changed since the last round (shared/watch/watch-detect.ts)
 * goes to the Changes feed in the data folder and to the shell's notifier. docs/watch.md.
 */
export {
  WatchService,
  type RoundOutcome,
  type WatchAudit,
  type WatchNotifier,
  type WatchServiceDeps,
} from './watch-service';
export { WatchScheduler, type RoundTrigger, type SchedulerDeps, type WatchClock, type WatchTimers } from './scheduler';
export { WatchFiles, ACKS_FILE, BASELINE_FILE, FEED_FILE, MAX_WATCH_FILE_BYTES } from './watch-files';
export { diskLevelOf, gatherRound, limitsOf, type RoundDeps } from './round';
