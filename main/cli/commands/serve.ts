/**
 * `tenantctl serve`: the browser shell. Serves the built renderer and the contract on 127.0.0.1 at a
 * random port behind a per-run access token, and prints the URL to open.
 *
 * `--resolve <host=address>` or curl's `<host:port:address>` (repeatable) answers verification's DNS
 * lookups for the named hosts (or `*.suffix` wildcards) from the command line instead of DNS, and
 * connects its Tracardi requests for them there; every other name still goes to the system resolver. For sandboxes and UI tests whose tenant domains exist in
 * no DNS (e.g. `--resolve '*.sandbox.test=127.0.0.1'`).
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleError } from '../../../shared/errors/errors';
import { warmUp } from '../../core';
import { createHandlers } from '../../handlers';
import { parseResolveRule } from '../../services/resolve-rules';
import { startBrowserShell } from '../../server/browser-shell';
import type { CliContext } from '../context';
import { RESOLVE_FLAGS, RESOLVE_HELP, collectRule } from '../resolve-option';
import { printJson, printLines } from '../output';
import { onStopSignals } from '../stop-signals';

/**
 * The package's root: the nearest folder above this module whose package.json is ours. This module
 * runs from main/cli/commands (sources, under tsx in tests) or from a chunk under out/main (the
 * build, in the checkout or in an installed package), so the depth is not fixed.
 */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'tracardi-tenant-console') return dir;
    } catch {
      // no package.json here (or not JSON): keep going up
    }
    if (path.dirname(dir) === dir) throw new ConsoleError('internal', `No tenant console package above ${from}.`);
  }
}

export const RENDERER_DIR = path.join(packageRoot(), 'out', 'renderer');

/** Register `serve`. */
export function registerServeCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the console in a browser, on 127.0.0.1 only, behind a per-run access token')
    .option('--port <port>', 'port (default: a free one)', (v) => Number.parseInt(v, 10))
    .option(RESOLVE_FLAGS, RESOLVE_HELP, collectRule)
    .option('--json', 'print {url} as JSON (for scripts)')
    .option('--check-results', "check every answer against the contract's result schemas (development, tests)")
    .action(async (opts: { port?: number; json?: boolean; resolve?: string[]; checkResults?: boolean }) => {
      if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
        throw new ConsoleError(
          'validation',
          `The renderer is not built (${RENDERER_DIR}): run \`npm run build\` first, or use \`npm run serve\`.`,
        );
      }
      if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
        throw new ConsoleError('validation', '--port must be a number from 0 to 65535.');
      }
      const rules = (opts.resolve ?? []).map(parseResolveRule);
      const core = await ctx.core({ resolveRules: rules });
      const handlers = createHandlers(core, { shell: 'browser' });
      const shell = await startBrowserShell({
        handlers,
        staticDir: RENDERER_DIR,
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        checkResults: opts.checkResults === true,
        log: (line) => ctx.streams.stderr.write(`${line}\n`),
      });
      void warmUp(core);
      // The watch's schedule runs in this process; the page polls its feed and notifies.
      core.watch.start();
      if (opts.json) printJson({ url: shell.url }, ctx.streams);
      else
        printLines(
          [
            `Tracardi Tenant Console: open ${shell.url}`,
            ...rules.map((r) => `DNS override for verification: ${r.host} -> ${r.addresses.join(', ')}`),
            'Listening on 127.0.0.1 only. Ctrl-C stops it.',
          ],
          ctx.streams,
        );
      await new Promise<void>((resolve) => {
        onStopSignals(() => {
          core.watch.stop();
          void shell.stop().then(resolve);
        });
      });
    });
}
