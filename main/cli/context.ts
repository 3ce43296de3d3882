/**
 * What every command module gets: the core (built on first use, from the global --data-dir), the
 * output streams, and stdin for secrets. A command module is a `RegisterCommands` function.
 */
import type { Command } from 'commander';
import type { Core, CoreOptions } from '../core';
import type { OutputStreams } from './output';

export interface CliContext {
  /**
   * The core for this run, built on first call (settings warnings are printed then). A command that
   * takes `--resolve` passes its rules on that first call.
   */
  core(options?: Pick<CoreOptions, 'resolveRules'>): Promise<Core>;
  streams: OutputStreams;
  /**
   * Read `count` secrets for the named flags: one line each from stdin when it is piped, or a
   * hidden prompt each on a terminal. Never from argv (visible in `ps`). Each is refused past
   * `maxLength` characters (default MAX_SECRET_LENGTH; an installation token MAX_TOKEN_LENGTH).
   */
  readSecrets(labels: string[], maxLength?: number): Promise<string[]>;
  env: NodeJS.ProcessEnv;
}

/** Adds one group of commands to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

/** A subcommand of `parent` that names one tenant: `<name> <instance> <tenant>`. */
export function tenantCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .argument('<instance>', 'instance id')
    .argument('<tenant>', 'tenant name');
}
