/**
 * The watch: a schedule (settings file, `watch` section) of rounds that re-verify the fleet and
 * snapshot capacity, compare with the stored baseline and append the changes to the feed; each
 * round's notices go to the shell's notifier (Electron: main's Notification; the browser shell's
 * page polls `watch.changes` instead). `tenantctl watch` runs the same rounds.
 *
 * Audit: a scheduled round (the timer, `tenantctl watch`, `--once` from cron) writes an entry only
 * when it found changes or failed; a round the operator asked for ("Run now") always does; so does
 * every change of the schedule.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import { type WatchChange, type WatchSchedule, type WatchStatus } from '../../../shared/watch/watch';
import { noticesFor, type WatchNotice } from '../../../shared/watch/watch-text';
import { detectChanges, severityOf, type WatchBaseline } from '../../../shared/watch/watch-detect';
import { entriesToNotify } from '../../../shared/watch/notification-choice';
import type { WatchAcks } from '../../../shared/watch/watch-acks';
import type { SettingsStore } from '../settings-store';
import { gatherRound, type RoundDeps } from './round';
import { WatchScheduler, type RoundTrigger, type WatchClock, type WatchTimers } from './scheduler';
import type { WatchFiles } from './watch-files';

/** Shows notices to the operator (a thin shell adapter). */
export interface WatchNotifier {
  show(notices: WatchNotice[]): void;
}

/** Where the watch's audit entries go (the audit log). */
export interface WatchAudit {
  record(entry: { action: string; outcome: 'ok' | 'refused' | 'failed'; detail?: string }): Promise<unknown>;
}

export interface WatchServiceDeps {
  files: WatchFiles;
  round: RoundDeps;
  settings: Pick<SettingsStore, 'read' | 'update'>;
  clock: WatchClock;
  timers: WatchTimers;
  notifier?: WatchNotifier;
  /** The audit log: rounds that found changes or failed, rounds run by the operator, schedule changes. */
  audit?: WatchAudit;
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
      run: async (trigger) => {
        await this.runRound(undefined, { trigger });
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
    const { intervalMinutes, paused, notifications } = this.#deps.settings.read().watch;
    return { intervalMinutes, paused, notifications };
  }

  /** Change the interval or pause/resume; stored in the settings file, effective at once. */
  async configure(patch: Partial<WatchSchedule>): Promise<WatchStatus> {
    const before = this.schedule();
    this.#deps.settings.update((draft) => {
      if (patch.intervalMinutes !== undefined) draft.watch.intervalMinutes = patch.intervalMinutes;
      if (patch.paused !== undefined) draft.watch.paused = patch.paused;
      if (patch.notifications !== undefined) draft.watch.notifications = patch.notifications;
    });
    this.#scheduler.reschedule();
    const after = this.schedule();
    const changed: string[] = [];
    if (after.intervalMinutes !== before.intervalMinutes)
      changed.push(`interval ${before.intervalMinutes} -> ${after.intervalMinutes} min`);
    if (after.paused !== before.paused) changed.push(after.paused ? 'paused' : 'resumed');
    if (after.notifications !== before.notifications)
      changed.push(`desktop notifications ${before.notifications} -> ${after.notifications}`);
    if (changed.length > 0) await this.#audit({ action: 'watch-configure', outcome: 'ok', detail: changed.join('; ') });
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

  /** Which feed entries the operator acknowledged (marked seen). */
  acknowledgements(): WatchAcks {
    return this.#deps.files.acknowledgements();
  }

  /** Mark entries seen: some by id, or every one up to an id; kept next to the feed. */
  acknowledge(add: { ids?: readonly number[]; through?: number }): WatchAcks {
    return this.#deps.files.acknowledge(add);
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
   * gather, compare with the stored baseline, append to the feed, notify, and audit it when it
   * found changes, failed, or was the operator's (`trigger`, default a scheduled round).
   */
  async runRound(signal?: AbortSignal, options: { trigger?: RoundTrigger } = {}): Promise<RoundOutcome> {
    const trigger = options.trigger ?? 'schedule';
    const what = trigger === 'operator' ? 'round run by the operator' : 'scheduled round';
    let outcome: RoundOutcome;
    try {
      outcome = await this.#round(signal);
    } catch (err) {
      await this.#audit({
        action: 'watch',
        outcome: 'failed',
        detail: `${what} failed: ${err instanceof Error ? err.message.split('\n')[0]! : String(err)}`,
      });
      throw err;
    }
    if (trigger === 'operator' || outcome.entries.length > 0)
      await this.#audit({ action: 'watch', outcome: 'ok', detail: `${what}: ${roundDetail(outcome)}` });
    return outcome;
  }

  async #round(signal?: AbortSignal): Promise<RoundOutcome> {
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
    // The operator's choice (every change, problems only, none), read at the end of each round.
    const notices = noticesFor(entriesToNotify(entries, this.schedule().notifications));
    if (notices.length > 0) this.#notifier?.show(notices);
    for (const listener of this.#listeners) listener(outcome);
    return outcome;
  }

  /** Best effort: an audit log that cannot be written does not fail the round or the change. */
  async #audit(entry: Parameters<WatchAudit['record']>[0]): Promise<void> {
    try {
      await this.#deps.audit?.record(entry);
    } catch {
      // The feed and the baseline hold what the round found.
    }
  }
}

/** "2 changes (1 problem, 1 recovered); 3 problems now", counts only (no names, no secrets). */
function roundDetail(outcome: RoundOutcome): string {
  const n = outcome.entries.length;
  const by = (severity: WatchChange['severity']) => outcome.entries.filter((e) => e.severity === severity).length;
  const parts = [
    [by('problem'), 'problem'],
    [by('recovered'), 'recovered'],
    [by('info'), 'info'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, word]) => `${count} ${word === 'problem' && count !== 1 ? 'problems' : word}`);
  const changes = n === 0 ? 'no change' : `${n} change${n === 1 ? '' : 's'} (${parts.join(', ')})`;
  const first = outcome.first ? ' (first round: the baseline)' : '';
  return `${changes}${first}; ${outcome.problems} problem${outcome.problems === 1 ? '' : 's'} now`;
}
