/**
 * `tenantctl derive <url-or-host>`: the tenant name Tracardi will derive from an API domain.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import { deriveTenantName } from '../../../shared/tenants/tenant-name';
import type { CliContext } from '../context';
import { printJson, printLines, warn } from '../output';

/** Register `derive`. */
export function registerDeriveCommands(program: Command, ctx: CliContext): void {
  program
    .command('derive')
    .description('print the tenant name Tracardi derives from a tenant API URL or host')
    .argument('<url-or-host>', 'e.g. https://company-x.instance1.domain.com or company-x.instance1.domain.com')
    .option('--json', 'print {tenant, asciiHost, warnings} as JSON')
    .action((input: string, opts: { json?: boolean }) => {
      const result = deriveTenantName(input);
      if (!result.ok) throw new ConsoleError('validation', `Cannot derive a tenant name: ${result.error.message}`);
      if (opts.json) {
        printJson({ tenant: result.tenant, asciiHost: result.asciiHost, warnings: result.warnings }, ctx.streams);
        return;
      }
      for (const w of result.warnings) warn(w.message, ctx.streams);
      printLines([result.tenant], ctx.streams);
    });
}
