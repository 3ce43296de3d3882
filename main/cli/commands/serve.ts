/**
 * `tenantctl serve`: the browser shell. Serves the built renderer and the contract on 127.0.0.1 at a
 * random port behind a per-run access token, and prints the URL to open.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleError } from '../../../shared/errors';
import { createHandlers } from '../../handlers';
import { startBrowserShell } from '../../server/browser-shell';
import type { CliContext } from '../context';
import { printJson, printLines } from '../output';

const here = path.dirname(fileURLToPath(import.meta.url));
export const RENDERER_DIR = path.resolve(here, '../../../out/renderer');

/** Register `serve`. */
export function registerServeCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the console in a browser, on 127.0.0.1 only, behind a per-run access token')
    .option('--port <port>', 'port (default: a free one)', (v) => Number.parseInt(v, 10))
    .option('--json', 'print {url} as one JSON line (for scripts)')
    .action(async (opts: { port?: number; json?: boolean }) => {
      if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
        throw new ConsoleError('validation', `The renderer is not built (${RENDERER_DIR}): run \`npm run build\` first, or use \`npm run serve\`.`);
      }
      if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
        throw new ConsoleError('validation', '--port must be a number from 0 to 65535.');
      }
      const core = await ctx.core();
      const handlers = createHandlers(core, { shell: 'browser' });
      const shell = await startBrowserShell({
        handlers,
        staticDir: RENDERER_DIR,
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        log: (line) => ctx.streams.stderr.write(`${line}\n`),
      });
      if (opts.json) printJson({ url: shell.url }, ctx.streams);
      else printLines([`Tracardi Tenant Console: open ${shell.url}`, 'Listening on 127.0.0.1 only. Ctrl-C stops it.'], ctx.streams);
      await new Promise<void>((resolve) => {
        const stop = () => {
          void shell.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
