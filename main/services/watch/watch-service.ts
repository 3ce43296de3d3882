/**
 * The watch: a schedule (settings file, `watch` section) of rounds that re-verify the fleet and
 * snapshot capacity, compare with the stored baseline and append the changes to the feed; each
 * round's notices go to the shell's notifier (Electron: main's Notification; the browser shell's
 * page polls `watch.changes` instead). `tenantctl watch` runs the same rounds.
 */
import { ConsoleError } from '../../../shared/errors';
import {
  noticesFor,
  type WatchChange,
  type WatchNotice,
  type WatchSchedule,
  type WatchStatus,
} from '../../../shared/watch';
import { detectChanges, severityOf, type WatchBaseline } from '../../../shared/watch-detect';
import type { SettingsStore } from '../settings-store';
import { gatherRound, type RoundDeps } from './round';
import { WatchScheduler, type WatchClock, type WatchTimers } from './scheduler';
import type { WatchFiles } from './watch-files';

/** Shows notices to the operator (a thin shell adapter). */
export interface WatchNotifier {
  show(notices: WatchNotice[]): void;
}

export interface WatchServiceDeps {
  files: WatchFiles;
  round: RoundDeps;
  settings: Pick<SettingsStore, 'read' | 'update'>;
  clock: WatchClock;
  timers: WatchTimers;
  notifier?: WatchNotifier;
  /** Delay of the first scheduled round after start (see WatchScheduler). */
  startDelayMs?: number;
}

/** What one round did. */
export interface RoundOutcome {
  entries: WatchChange[];
  /** Problems present after the round (tenants and limits; an unreachable instance counts once). */
  problems: number;
  baseline: WatchBaseline;
  /** The round had no baseline to compare with: every problem is reported as present at start. */
  first: boolean;
}

function problemsIn(baseline: WatchBaseline | null): number {
  return baseline ? Object.values(baseline.subjects).filter((s) => severityOf(s.kind, s.value) > 0).length : 0;
}

export class WatchService {
  readonly #deps: WatchServiceDeps;
  readonly #scheduler: WatchScheduler;
  #notifier: WatchNotifier | undefined;
  /** Problems after the last round; null until known (read from the stored baseline on first use). */
  #problems: number | null = null;
  readonly #listeners = new Set<(outcome: RoundOutcome) => void>();

  constructor(deps: WatchServiceDeps) {
    this.#deps = deps;
    this.#notifier = deps.notifier;
    this.#scheduler = new WatchScheduler({
      run: async () => {
        await this.runRound();
      },
      schedule: () => this.schedule(),
      clock: deps.clock,
      timers: deps.timers,
      // Files are read when first needed, not when every shell (or CLI command) builds the core.
      lastRunAt: () => {
        const stored = deps.files.baseline();
        return stored ? Date.parse(stored.at) : null;
      },
      ...(deps.startDelayMs !== undefined ? { startDelayMs: deps.startDelayMs } : {}),
    });
  }

  /** The shell's notifier (Electron sets it once its app is ready). */
  setNotifier(notifier: WatchNotifier | undefined): void {
    this.#notifier = notifier;
  }

  /** Called after every round (the CLI's terminal loop prints from it). */
  onRound(listener: (outcome: RoundOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start the schedule (the window and the browser shell do; the CLI's `watch` does). */
  start(): void {
    this.#scheduler.start();
  }

  stop(): void {
    this.#scheduler.stop();
  }

  schedule(): WatchSchedule {
    const { intervalMinutes, paused } = this.#deps.settings.read().watch;
    return { intervalMinutes, paused };
  }

  /** Change the interval or pause/resume; stored in the settings file, effective at once. */
  configure(patch: Partial<WatchSchedule>): WatchStatus {
    this.#deps.settings.update((draft) => {
      if (patch.intervalMinutes !== undefined) draft.watch.intervalMinutes = patch.intervalMinutes;
      if (patch.paused !== undefined) draft.watch.paused = patch.paused;
    });
    this.#scheduler.reschedule();
    return this.status();
  }

  status(): WatchStatus {
    const s = this.#scheduler.state();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      ...this.schedule(),
      running: s.running,
      lastRunAt: iso(s.lastRunAt),
      nextRunAt: iso(s.nextRunAt),
      lastError: s.lastError,
      problems: (this.#problems ??= problemsIn(this.#deps.files.baseline())),
      cursor: this.#deps.files.changes(Number.MAX_SAFE_INTEGER).cursor,
    };
  }

  /** Feed entries after the cursor `since`, oldest first. */
  changes(since = 0, limit?: number): { entries: WatchChange[]; cursor: number } {
    return this.#deps.files.changes(since, limit);
  }

  /** Run a round now through the schedule (joins one under way); answers the status after it. */
  async runNow(): Promise<WatchStatus> {
    await this.#scheduler.runNow();
    const status = this.status();
    if (status.lastError !== null) throw new ConsoleError('internal', `The watch round failed: ${status.lastError}`);
    return status;
  }

  /**
   * One round outside the schedule's bookkeeping (`tenantctl watch --once` calls it directly):
   * gather, compare with the stored baseline, append to the feed, notify.
   */
  async runRound(signal?: AbortSignal): Promise<RoundOutcome> {
    const input = await gatherRound(this.#deps.round, signal);
    const at = new Date(this.#deps.clock.now()).toISOString();
    let first = false;
    let problems = 0;
    const { entries, baseline } = this.#deps.files.commitRound((stored) => {
      first = stored === null;
      const out = detectChanges(stored, input, at);
      problems = out.problems;
      return out;
    });
    this.#problems = problems;
    const outcome: RoundOutcome = { entries, problems, baseline, first };
    const notices = noticesFor(entries);
    if (notices.length > 0) this.#notifier?.show(notices);
    for (const listener of this.#listeners) listener(outcome);
    return outcome;
  }
}
