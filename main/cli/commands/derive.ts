/**
 * `tenantctl derive <url-or-host>`: the tenant name Tracardi will derive from an API domain.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors';
import type { CliContext } from '../context';
import { printJson, printLines, warn } from '../output';

/** The result of shared/tenant-name.ts `deriveTenantName` (written against its agreed signature). */
export type DeriveResult =
  | {
      ok: true;
      tenant: string;
      asciiHost: string;
      warnings: { code: string; message: string; lettersOnlyTenant: string | null }[];
    }
  | { ok: false; error: { code: string; message: string }; asciiHost?: string };

type DeriveFn = (input: string) => DeriveResult;

// Loaded on use: the rest of tenantctl does not depend on it.
async function loadDerive(): Promise<DeriveFn> {
  const mod: { deriveTenantName: DeriveFn } = await import('../../../shared/tenant-name');
  return mod.deriveTenantName;
}

/** Register `derive`. */
export function registerDeriveCommands(program: Command, ctx: CliContext): void {
  program
    .command('derive')
    .description('print the tenant name Tracardi derives from a tenant API URL or host')
    .argument('<url-or-host>', 'e.g. https://company-x.instance1.domain.com or company-x.instance1.domain.com')
    .option('--json', 'print {tenant, asciiHost, warnings} as JSON')
    .action(async (input: string, opts: { json?: boolean }) => {
      const deriveTenantName = await loadDerive();
      const result = deriveTenantName(input);
      if (!result.ok) {
        const host = result.asciiHost ? ` (host ${result.asciiHost})` : '';
        throw new ConsoleError(
          'validation',
          `Cannot derive a tenant name from "${input.slice(0, 200)}"${host}: ${result.error.message}`,
        );
      }
      if (opts.json) {
        printJson({ tenant: result.tenant, asciiHost: result.asciiHost, warnings: result.warnings }, ctx.streams);
        return;
      }
      for (const w of result.warnings) warn(w.message, ctx.streams);
      printLines([result.tenant], ctx.streams);
    });
}
