// The watch's schedule (main/services/watch/scheduler.ts) on a fake clock: first round after the
// start delay, then every interval; pause and resume; a new interval counts from the last round;
// "Run now" during a round joins it; a failing round is kept as lastError and the schedule goes on.
import { describe, expect, it } from 'vitest';
import type { WatchSchedule } from '../../../shared/watch/watch';
import { WatchScheduler } from '../../../main/services/watch';
import { FakeTimers, settle } from './support/fake-timers';

const MIN = 60_000;

// The scheduler reads only the timing half of the schedule (not the notification choice).
type Timing = Pick<WatchSchedule, 'intervalMinutes' | 'paused'>;

function setup(schedule: Timing = { intervalMinutes: 15, paused: false }, run?: () => Promise<void>) {
  const fake = new FakeTimers();
  const rounds: number[] = [];
  const current = { ...schedule };
  const scheduler = new WatchScheduler({
    run:
      run ??
      (async () => {
        rounds.push(fake.nowMs);
      }),
    schedule: () => current,
    clock: fake.clock,
    timers: fake.timers,
    startDelayMs: MIN,
  });
  const minutes = () => rounds.map((t) => (t - Date.parse('2026-01-01T00:00:00Z')) / MIN);
  return { fake, scheduler, rounds, current, minutes };
}

describe('watch scheduler', () => {
  it('runs the first round after the start delay, then every interval', async () => {
    const { fake, scheduler, minutes } = setup();
    scheduler.start();
    expect(scheduler.state().nextRunAt).toBe(fake.nowMs + MIN);
    await fake.advance(46 * MIN);
    expect(minutes()).toEqual([1, 16, 31, 46]);
    expect(scheduler.state().lastRunAt).toBe(fake.nowMs);
  });

  it('the start delay never exceeds the interval', async () => {
    const { fake, scheduler, current, minutes } = setup({ intervalMinutes: 1, paused: false });
    current.intervalMinutes = 1;
    scheduler.start();
    await fake.advance(3 * MIN);
    expect(minutes()).toEqual([1, 2, 3]);
  });

  it('paused: no timer and no round; resumed: the next round an interval after the last', async () => {
    const { fake, scheduler, current, minutes } = setup();
    scheduler.start();
    await fake.advance(2 * MIN); // round at 1
    current.paused = true;
    scheduler.reschedule();
    expect(fake.pending).toBe(0);
    expect(scheduler.state().nextRunAt).toBeNull();
    await fake.advance(60 * MIN);
    expect(minutes()).toEqual([1]);
    current.paused = false;
    scheduler.reschedule(); // at 62: the last round was at 1, so the next is due now
    await fake.advance(0);
    expect(minutes()).toEqual([1, 62]);
    await fake.advance(15 * MIN);
    expect(minutes()).toEqual([1, 62, 77]);
  });

  it('run now works while paused and does not re-arm a paused schedule', async () => {
    const { fake, scheduler, minutes } = setup({ intervalMinutes: 15, paused: true });
    scheduler.start();
    expect(fake.pending).toBe(0);
    await fake.advance(5 * MIN);
    await scheduler.runNow();
    expect(minutes()).toEqual([5]);
    expect(fake.pending).toBe(0);
  });

  it('a new interval counts from the last round', async () => {
    const { fake, scheduler, current, minutes } = setup();
    scheduler.start();
    await fake.advance(2 * MIN); // round at 1
    current.intervalMinutes = 5;
    scheduler.reschedule();
    expect(scheduler.state().nextRunAt).toBe(Date.parse('2026-01-01T00:06:00Z'));
    await fake.advance(10 * MIN);
    expect(minutes()).toEqual([1, 6, 11]);
  });

  it('run now restarts the interval from its end', async () => {
    const { fake, scheduler, minutes } = setup();
    scheduler.start();
    await fake.advance(10 * MIN); // round at 1, next due at 16
    await scheduler.runNow(); // at 10
    await fake.advance(14 * MIN); // 24: not yet
    expect(minutes()).toEqual([1, 10]);
    await fake.advance(1 * MIN);
    expect(minutes()).toEqual([1, 10, 25]);
  });

  it('never runs two rounds at once: run now during a round joins it', async () => {
    let release!: () => void;
    let started = 0;
    const { fake, scheduler } = setup(undefined, () => {
      started++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    scheduler.start();
    await fake.advance(MIN);
    expect(started).toBe(1);
    expect(scheduler.state().running).toBe(true);
    const joined = scheduler.runNow();
    await fake.advance(60 * MIN); // no timer is armed while a round runs
    expect(started).toBe(1);
    release();
    await joined;
    await settle();
    expect(scheduler.state().running).toBe(false);
    expect(scheduler.state().nextRunAt).toBe(fake.nowMs + 15 * MIN);
  });

  it('a failed round is kept as lastError (one line) and the schedule goes on; a good one clears it', async () => {
    let fail = true;
    const { fake, scheduler } = setup(undefined, async () => {
      if (fail) throw new Error('Elasticsearch timed out\nstack…');
    });
    scheduler.start();
    await fake.advance(MIN);
    expect(scheduler.state().lastError).toBe('Elasticsearch timed out');
    expect(scheduler.state().nextRunAt).toBe(fake.nowMs + 15 * MIN);
    fail = false;
    await fake.advance(15 * MIN);
    expect(scheduler.state().lastError).toBeNull();
  });

  it('stop disarms; start again arms again', async () => {
    const { fake, scheduler, minutes } = setup();
    scheduler.start();
    scheduler.stop();
    expect(fake.pending).toBe(0);
    await fake.advance(30 * MIN);
    expect(minutes()).toEqual([]);
    scheduler.start();
    await fake.advance(MIN);
    expect(minutes()).toEqual([31]);
  });
});
