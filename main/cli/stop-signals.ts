/**
 * Ctrl-C and `kill` for commands that stop cleanly (watch, serve, verify).
 *
 * Our listener stays registered for the rest of the process. `conf` (through atomically's
 * when-exit) answers the first SIGINT/SIGTERM by sending the same signal again; a process whose own
 * listener is gone by then (`process.once`, or removed when the command ended) dies of that second
 * signal: exit by signal, the command's last lines unprinted. So `stop` runs once, on the first
 * signal, and every later one (the re-sent signal included) is absorbed while the command winds
 * down; `release()` ends the command's interest without removing the listener.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Call `stop` on the first SIGINT or SIGTERM (or only the given signals); returns `release`. */
export function onStopSignals(
  stop: (signal: StopSignal) => void,
  signals: readonly StopSignal[] = ['SIGINT', 'SIGTERM'],
): () => void {
  let armed = true;
  const listener = (signal: StopSignal) => {
    if (!armed) return;
    armed = false;
    stop(signal);
  };
  for (const signal of signals) process.on(signal, listener);
  return () => {
    armed = false;
  };
}
