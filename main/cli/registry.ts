/**
 * Every tenantctl command group, in help order, each loaded only when it runs.
 *
 * A group is a name, the one-line summary `tenantctl --help` lists, and a `load` that imports its
 * module with a dynamic `import()`. The bundler makes every such module its own chunk, so
 * `tenantctl derive` never parses the Elasticsearch client, keytar, the core or the HTTP server:
 * only the group named on the command line is loaded and registered in full; the others appear
 * in the top-level help as their summary alone.
 *
 * To add a group: write `main/cli/commands/<name>.ts` exporting `register<Name>Commands(program, ctx)`
 * (it adds exactly the top-level command `<name>`, with `summary` as its description) and append
 * `<name>: '<summary>'` to SUMMARIES and
 * `<name>: async () => (await import('./commands/<name>')).register<Name>Commands` to LOADERS below
 * (the compiler refuses a group without its loader). A subcommand of an existing group (e.g.
 * `tenants adopt`) goes into that group's module.
 * Keep heavy imports out of this file and out of index.ts: a static import here is paid by every run.
 */
import type { RegisterCommands } from './context';

export interface CommandGroup {
  /** The top-level command the group's module registers. */
  name: string;
  /** Its description, as the module sets it (tests/unit/main/cli-registry.test.ts checks they agree). */
  summary: string;
  /** Import the module and return its register function. */
  load(): Promise<RegisterCommands>;
}

/** Each group's summary, in help order. */
const SUMMARIES = {
  derive: 'print the tenant name Tracardi derives from a tenant API URL or host',
  instances: 'manage Tracardi instances (settings in config.json, secrets in the OS keychain)',
  tenants:
    "create and manage tenants (records in each instance's team registry, tokens in the OS keychain, entries in the TMS)",
  token: 'installation tokens (kept in the OS keychain)',
  operator: 'who is at this console: the name and e-mail every change and audit entry carries',
  audit: "show the audit log of operator actions, newest first; verify the instances' audit chains",
  registry: "each instance's team registry: reachable, writable, since when, and what it holds",
  capacity: 'capacity of one instance or of all (in parallel): shards, disk, heap, tenants, room for more',
  watch: 're-verify the fleet and snapshot capacity on a schedule, printing each change (Ctrl-C stops)',
  serve: 'serve the console in a browser, on 127.0.0.1 only, behind a per-run access token',
} as const;

type GroupName = keyof typeof SUMMARIES;

/** Each group's loader: a literal `import()` apiece, so that each module is its own chunk. */
const LOADERS: Record<GroupName, () => Promise<RegisterCommands>> = {
  derive: async () => (await import('./commands/derive')).registerDeriveCommands,
  instances: async () => (await import('./commands/instances')).registerInstancesCommands,
  tenants: async () => (await import('./commands/tenants')).registerTenantsCommands,
  token: async () => (await import('./commands/token')).registerTokenCommands,
  operator: async () => (await import('./commands/operator')).registerOperatorCommands,
  audit: async () => (await import('./commands/audit')).registerAuditCommands,
  registry: async () => (await import('./commands/registry')).registerRegistryCommands,
  capacity: async () => (await import('./commands/capacity')).registerCapacityCommands,
  watch: async () => (await import('./commands/watch')).registerWatchCommands,
  serve: async () => (await import('./commands/serve')).registerServeCommands,
};

export const COMMANDS: readonly CommandGroup[] = (Object.keys(SUMMARIES) as GroupName[]).map((name) => ({
  name,
  summary: SUMMARIES[name],
  load: LOADERS[name],
}));

/** Global options that take a value (their value is not a command name). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--data-dir']);

/**
 * The command group `argv` (as in process.argv) runs, or null for the top-level help, a version
 * request or an unknown name (commander then reports it against the summaries).
 */
export function groupToLoad(argv: readonly string[]): CommandGroup | null {
  const args = argv.slice(2);
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    // `tenantctl help <group>` shows the group's own help, so that group is loaded too.
    name = arg === 'help' ? args[i + 1] : arg;
    break;
  }
  return COMMANDS.find((group) => group.name === name) ?? null;
}
