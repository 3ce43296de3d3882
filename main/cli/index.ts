/**
 * tenantctl: the headless shell over the same core as the Electron and browser shells.
 *
 * Command groups are listed in `./registry` (COMMANDS): each is loaded with a dynamic import only
 * when it runs (see registry.ts for how to add one). This file stays light: whatever it imports
 * statically, every command pays for at start.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { Core, createCore } from '../core';
import type { CliContext } from './context';
import { EXIT_BAD_INPUT, EXIT_OK, reportFailure, warn, type OutputStreams } from './output';
import { COMMANDS, groupToLoad } from './registry';

export { COMMANDS } from './registry';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  streams?: OutputStreams;
  /** Secrets source (tests); default stdin/prompt. */
  readSecrets?: (labels: string[], maxLength?: number) => Promise<string[]>;
  /** Core factory (tests); default `createCore`. */
  createCore?: typeof createCore;
}

/**
 * Build the program for `argv`: the group it names is loaded and registered in full, every other
 * group only by name and summary (enough for the top-level help). The core is built lazily from the
 * parsed global options.
 */
export async function buildProgram(argv: readonly string[], options: RunOptions = {}): Promise<Command> {
  const env = options.env ?? process.env;
  const streams = options.streams ?? { stdout: process.stdout, stderr: process.stderr };
  const program = new Command('tenantctl');
  let core: Promise<Core> | null = null;

  const ctx: CliContext = {
    env,
    streams,
    readSecrets: async (labels, maxLength) =>
      (options.readSecrets ?? (await import('./secret-input')).readSecrets)(labels, maxLength),
    core(extra = {}) {
      core ??= (async () => {
        const { dataDir } = program.opts<{ dataDir?: string }>();
        // Loaded on first use: `derive` and `--help` do not pay for the services and conf.
        const create = options.createCore ?? (await import('../core')).createCore;
        const rules = extra.resolveRules?.length ? { resolveRules: extra.resolveRules } : {};
        const built = await create({ dataDir, env, shell: 'cli', ...rules });
        for (const problem of built.settings.status().problems) warn(problem, streams);
        // A file the run repairs or sets aside (a history compacted, a watch file) is told as it happens.
        // (A test's partial core may have none.)
        built.notices?.onReport((line) => warn(line, streams));
        return built;
      })();
      return core;
    },
  };

  program
    .description('Tracardi Tenant Console, headless: instances, capacity and tenants from the command line.')
    .option('--data-dir <dir>', 'data folder (default: $TENANT_CONSOLE_DATA_DIR or ~/.config/tracardi-tenant-console)')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      // Usage errors are printed by reportFailure, as one line.
      outputError: () => {},
    });

  const chosen = groupToLoad(argv);
  for (const group of COMMANDS) {
    if (group === chosen) (await group.load())(program, ctx);
    else program.command(group.name).description(group.summary);
  }
  return program;
}

/** Run tenantctl with `argv` (as in process.argv); resolves to the exit code. */
export async function runCli(argv: string[] = process.argv, options: RunOptions = {}): Promise<number> {
  try {
    const program = await buildProgram(argv, options);
    await program.parseAsync(argv);
    // A command that printed its own report and still failed (tenants import) sets process.exitCode.
    return typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return EXIT_OK; // --help, --version
    // A group without its subcommand: commander has printed the group's help; that is the message.
    if (err instanceof CommanderError && err.code === 'commander.help') return EXIT_BAD_INPUT;
    const formatAt = argv.indexOf('--format');
    const json =
      argv.includes('--json') || argv.includes('--format=json') || (formatAt >= 0 && argv[formatAt + 1] === 'json');
    const reportOptions: Parameters<typeof reportFailure>[1] = { json };
    if (options.env) reportOptions.env = options.env;
    if (options.streams) reportOptions.streams = options.streams;
    return reportFailure(err, reportOptions);
  }
}

/** Resolves once everything written to `stream` so far has left the process (or the stream is gone). */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // Writes complete in order: this empty write's callback runs after every earlier chunk is
    // handed to the OS. A reader that went away (EPIPE) ends the wait too.
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

/**
 * Run and exit. The exit stays explicit (the process may hold a keychain call that timed out), but
 * only after stdout and stderr have drained: a pipe takes 64 KiB at a time, and `process.exit()`
 * drops whatever is still queued (a large `--json` report through `| cat` came out cut and invalid).
 */
export async function main(): Promise<void> {
  const code = await runCli(process.argv);
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) await main();
