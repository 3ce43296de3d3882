/**
 * `tenantctl watch [--interval 15m]`: the watch's rounds in a terminal, each change printed as one
 * line, until SIGINT or SIGTERM. `tenantctl watch --once [--json]`: one round against the baseline in
 * the data folder (without one: every present problem), for cron and monitoring. Exit codes
 * (docs/watch.md): 0 no problem, 1 a tenant not installed or a limit crossed, 2 usage,
 * 3 the round could not run.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import { type WatchChange } from '../../../shared/watch/watch';
import { describeChange, parseIntervalMinutes } from '../../../shared/watch/watch-text';
import type { Core } from '../../core';
import { parseResolveRule } from '../../services/resolve-rules';
import { WatchScheduler, type RoundOutcome } from '../../services/watch';
import type { CliContext } from '../context';
import { RESOLVE_FLAGS, RESOLVE_HELP, collectRule } from '../resolve-option';
import { printJson, printLines, reportFailure, warn } from '../output';
import { onStopSignals } from '../stop-signals';

export const EXIT_WATCH_PROBLEMS = 1;
export const EXIT_WATCH_FAILED = 3;

const LABEL: Record<WatchChange['severity'], string> = { problem: 'PROBLEM', recovered: 'RECOVERED', info: 'CHANGE' };

/** One line per change: time, severity, subject, old -> new, detail (escaped when printed). */
export function formatChange(change: WatchChange): string {
  return `${change.at}  ${LABEL[change.severity].padEnd(9)}  ${describeChange(change)}${change.notify ? '' : ' [quiet]'}`;
}

function summaryLine(outcome: RoundOutcome): string {
  const p = outcome.problems;
  const problems = p === 0 ? 'no problem' : `${p} problem${p === 1 ? '' : 's'}`;
  const changes = `${outcome.entries.length} change${outcome.entries.length === 1 ? '' : 's'}`;
  return `${outcome.baseline.at}  ${outcome.first ? 'first round (no baseline yet): present problems listed' : changes}; ${problems} now.`;
}

/** Register `watch`. */
export function registerWatchCommands(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description('re-verify the fleet and snapshot capacity on a schedule, printing each change (Ctrl-C stops)')
    .option('--interval <duration>', 'time between rounds: 15m, 1h, 30 (minutes); default the stored schedule')
    .option('--once', 'one round against the stored baseline, then exit: 0 no problem, 1 problems, 3 failed')
    .option('--json', 'with --once: print {first, problems, changes} as JSON')
    .option(RESOLVE_FLAGS, RESOLVE_HELP, collectRule)
    .action(async (opts: { interval?: string; once?: boolean; json?: boolean; resolve?: string[] }) => {
      let minutes: number | undefined;
      if (opts.interval !== undefined) {
        const parsed = parseIntervalMinutes(opts.interval);
        if (parsed === null)
          throw new ConsoleError('validation', '--interval must be whole minutes from 1m to 24h (e.g. 15m, 1h).');
        minutes = parsed;
      }
      if (opts.json && !opts.once) throw new ConsoleError('validation', '--json needs --once.');
      if (opts.once && opts.interval !== undefined)
        throw new ConsoleError('validation', '--interval has no use with --once.');
      const rules = (opts.resolve ?? []).map(parseResolveRule);
      const core = await ctx.core({ resolveRules: rules });
      try {
        if (opts.once) await once(core, ctx, opts.json === true);
        else await loop(core, ctx, minutes);
      } finally {
        // Idle keep-alive sockets would hold the process open until they time out.
        await core.capacity.close();
      }
    });
}

async function once(core: Core, ctx: CliContext, json: boolean): Promise<void> {
  let outcome: RoundOutcome;
  try {
    outcome = await core.watch.runRound();
  } catch (err) {
    reportFailure(err, { json, env: ctx.env, streams: ctx.streams });
    process.exitCode = EXIT_WATCH_FAILED;
    return;
  }
  if (json) printJson({ first: outcome.first, problems: outcome.problems, changes: outcome.entries }, ctx.streams);
  else printLines([...outcome.entries.map(formatChange), summaryLine(outcome)], ctx.streams);
  if (outcome.problems > 0) process.exitCode = EXIT_WATCH_PROBLEMS;
}

async function loop(core: Core, ctx: CliContext, minutes: number | undefined): Promise<void> {
  const stored = core.watch.schedule();
  if (stored.paused && minutes === undefined)
    warn('The stored schedule is paused (in the console); this terminal watch runs anyway.', ctx.streams);
  const intervalMinutes = minutes ?? stored.intervalMinutes;
  let controller = new AbortController();
  const scheduler = new WatchScheduler({
    run: async () => {
      controller = new AbortController();
      try {
        const outcome = await core.watch.runRound(controller.signal);
        printLines([...outcome.entries.map(formatChange), summaryLine(outcome)], ctx.streams);
      } catch (err) {
        if (!controller.signal.aborted) warn(`Round failed: ${(err as Error).message}`, ctx.streams);
        throw err;
      }
    },
    schedule: () => ({ intervalMinutes, paused: false }),
    clock: { now: () => Date.now() },
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    startDelayMs: 0,
  });
  printLines([`Watching every ${intervalMinutes} min; Ctrl-C stops.`], ctx.streams);
  const stopped = new Promise<void>((resolve) =>
    onStopSignals(() => {
      scheduler.stop();
      controller.abort();
      resolve();
    }),
  );
  scheduler.start();
  await stopped;
  // A round under way was aborted: wait for it to wind down before the process goes.
  await scheduler.whenIdle();
  printLines(['Stopped.'], ctx.streams);
}
