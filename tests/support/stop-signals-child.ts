/**
 * A command that stops cleanly on SIGINT/SIGTERM, with `conf` and `proper-lockfile` loaded as the
 * CLI loads them (atomically's when-exit re-sends the first signal; signal-exit then re-raises it
 * when no other listener is left). Prints "ready", then "stopped <signal>" and
 * exits 0 once stopped. Run by tests/unit/main/stop-signals.test.ts.
 *   node --import tsx tests/support/stop-signals-child.ts <dataDir> <once|kept>
 */
import Conf from 'conf';
import lockfile from 'proper-lockfile';
import { onStopSignals } from '../../main/cli/stop-signals';

const [dataDir, mode] = process.argv.slice(2);
// Writing once loads atomically and with it when-exit's signal listeners; taking a lock loads
// signal-exit's (proper-lockfile), as the settings store and the history do in the CLI.
const conf = new Conf({ cwd: dataDir!, projectName: 'stop-signals-test' });
conf.set('x', 1);
await (
  await lockfile.lock(conf.path, { realpath: false })
)();
const keepAlive = setInterval(() => undefined, 1000);
const stop = (signal: string) => {
  clearInterval(keepAlive);
  // Winding down takes a moment, as a real command's does.
  setTimeout(() => {
    process.stdout.write(`stopped ${signal}\n`);
  }, 100);
};
if (mode === 'once') {
  // What the commands did before: a listener that is gone when the re-sent signal arrives.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} else {
  onStopSignals(stop);
}
process.stdout.write('ready\n');
