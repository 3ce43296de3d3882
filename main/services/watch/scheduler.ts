/**
 * When rounds run: one timer armed for the next round, re-armed after every round and whenever the
 * schedule changes; never two rounds at once ("Run now" during a round joins it). The clock and the
 * timers come in through the constructor, so tests drive it with a fake clock.
 */
import type { WatchSchedule } from '../../../shared/watch/watch';

export interface WatchClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface WatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Who started a round: the schedule's timer, or the operator ("Run now"). */
export type RoundTrigger = 'schedule' | 'operator';

export interface SchedulerDeps {
  /** One round; its rejection is kept as `lastError`, never thrown at the timer. */
  run: (trigger: RoundTrigger) => Promise<void>;
  /** The schedule as stored now (read on every arming: another shell may have changed it). */
  schedule: () => Pick<WatchSchedule, 'intervalMinutes' | 'paused'>;
  clock: WatchClock;
  timers: WatchTimers;
  /** Delay of the first round after start (default: one minute, or the interval when shorter). */
  startDelayMs?: number;
  /** When the last round finished (a round of an earlier run, from the baseline), if known; read at start. */
  lastRunAt?: () => number | null;
}

export class WatchScheduler {
  readonly #deps: SchedulerDeps;
  #timer: unknown = null;
  #nextRunAt: number | null = null;
  #running: Promise<void> | null = null;
  #started = false;
  #lastRunAt: number | null;
  #lastError: string | null = null;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    this.#lastRunAt = null;
  }

  /** Arm the first round (unless paused). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#lastRunAt ??= this.#deps.lastRunAt?.() ?? null;
    const interval = this.#deps.schedule().intervalMinutes * 60_000;
    this.#arm(Math.min(this.#deps.startDelayMs ?? 60_000, interval));
  }

  /** Disarm; a round under way finishes. */
  stop(): void {
    this.#started = false;
    this.#disarm();
  }

  /** Re-read the schedule: a new interval counts from the last round, a pause disarms. */
  reschedule(): void {
    if (!this.#started || this.#running) return;
    const interval = this.#deps.schedule().intervalMinutes * 60_000;
    const from = this.#lastRunAt ?? this.#deps.clock.now();
    this.#arm(Math.max(0, from + interval - this.#deps.clock.now()));
  }

  /** Run a round now (paused or not); during a round, wait for that one. */
  runNow(trigger: RoundTrigger = 'operator'): Promise<void> {
    if (this.#running) return this.#running;
    this.#disarm();
    const round = this.#deps
      .run(trigger)
      .then(
        () => {
          this.#lastError = null;
        },
        (err: unknown) => {
          this.#lastError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        },
      )
      .finally(() => {
        this.#lastRunAt = this.#deps.clock.now();
        this.#running = null;
        if (this.#started) this.#arm(this.#deps.schedule().intervalMinutes * 60_000);
      });
    this.#running = round;
    return round;
  }

  /** Settles when no round is under way (at once when none is). */
  whenIdle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  state(): { running: boolean; nextRunAt: number | null; lastRunAt: number | null; lastError: string | null } {
    return {
      running: this.#running !== null,
      nextRunAt: this.#nextRunAt,
      lastRunAt: this.#lastRunAt,
      lastError: this.#lastError,
    };
  }

  #arm(delayMs: number): void {
    this.#disarm();
    if (this.#deps.schedule().paused) return;
    this.#nextRunAt = this.#deps.clock.now() + delayMs;
    this.#timer = this.#deps.timers.setTimeout(() => {
      this.#timer = null;
      this.#nextRunAt = null;
      void this.runNow('schedule');
    }, delayMs);
  }

  #disarm(): void {
    if (this.#timer !== null) this.#deps.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextRunAt = null;
  }
}
