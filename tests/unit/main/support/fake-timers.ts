/** A clock and timers a test moves by hand (the watch scheduler takes both through its constructor). */
export class FakeTimers {
  nowMs: number;
  #next = 1;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.nowMs = start;
  }

  readonly clock = { now: () => this.nowMs };
  readonly timers = {
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = this.#next++;
      this.#pending.set(id, { at: this.nowMs + ms, fn });
      return id;
    },
    clearTimeout: (handle: unknown): void => {
      this.#pending.delete(handle as number);
    },
  };

  /** Timers armed now. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Move the clock by `ms`, firing due timers in order (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      const due = [...this.#pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#pending.delete(due[0]);
      this.nowMs = due[1].at;
      due[1].fn();
      await settle();
    }
    this.nowMs = end;
    await settle();
  }
}

/** Let pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
