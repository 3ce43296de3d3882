/**
 * `tenantctl tenants discover|adopt|adopt-import`: the fleet that already exists. Discover lists the
 * tenants on an instance without a record, with their evidence; adopt gives one a record without
 * changing anything on the instance (the existing token, if any, comes from stdin or a hidden prompt
 * and goes to the keychain only); adopt-import adopts the rows of a CSV file, one by one, like import.
 */
import type { Command } from 'commander';
import { deletedText, type DiscoveryReport, type FoundTenant } from '../../../shared/tenants/adoption';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { formatByteSize } from '../../../shared/capacity/capacity-model';
import { ConsoleError, isRefusal, toConsoleError } from '../../../shared/errors/errors';
import { MAX_TOKEN_LENGTH } from '../../../shared/text/input-rules';
import type { CliContext } from '../context';
import { formatTable, printJson, printLines, warn } from '../output';
import { readCsvFile, type CsvSpec } from '../../services/csv-import';

function evidence(f: FoundTenant): string {
  if (f.footprints.length === 0) return 'no Elasticsearch data';
  return f.footprints
    .map(
      (p) =>
        `${p.version}: ${p.contexts.join('+')}, ${p.indices} indices, ${p.primaries} primaries, ${formatByteSize(p.sizeBytes)}, oldest ${p.oldestIndexCreated?.slice(0, 10) ?? '?'}`,
    )
    .join('; ');
}

function tmsText(f: FoundTenant): string {
  const t = f.tms;
  if (t.outcome === 'registered') return 'registered';
  if (t.outcome === 'absent') return 'not registered';
  if (t.outcome === 'no-tms') return '-';
  return 'could not tell';
}

export function discoveryLines(r: DiscoveryReport): string[] {
  const lines: string[] = [];
  if (r.found.length === 0) lines.push(`No tenant on ${r.instanceId} without a record.`);
  else
    lines.push(
      ...formatTable(
        ['TENANT', 'STATUS', 'TMS', 'EVIDENCE'],
        r.found.map((f) => [
          f.tenant,
          f.verification?.status ?? 'not asked',
          tmsText(f),
          `${evidence(f)}${f.deleted ? ` (${deletedText(f.deleted)})` : ''}${f.notAdoptable ? ` (not adoptable: ${f.notAdoptable})` : ''}`,
        ]),
      ),
    );
  if (r.recorded.length) lines.push('', `Already recorded: ${r.recorded.join(', ')}.`);
  if (r.unrecognised.length)
    lines.push(
      '',
      'Unrecognised (look like Tracardi names, fit no version profile):',
      ...r.unrecognised.map((u) => `  ${u.kind} ${u.name}: ${u.why}`),
    );
  lines.push('', `${r.esRequests} Elasticsearch requests.`);
  return lines;
}

interface AdoptRow {
  line: number;
  instance: string;
  tenant: string;
  domain: string;
  email?: string;
  guiDomain?: string;
}

const ADOPT_CSV: CsvSpec = {
  columns: ['instance', 'tenant', 'domain', 'email', 'gui_domain'],
  required: 3,
  header: 'instance',
};

/**
 * Rows of an adopt file: instance,tenant,domain[,email][,gui_domain]; a first row starting with
 * `instance` is a header. Read like import (size, encoding, quoting refused up front); a row of the
 * wrong shape refuses the whole file, naming its line, so nothing is adopted from a file misread.
 */
export async function adoptRows(file: string): Promise<AdoptRow[]> {
  const table = await readCsvFile(file, ADOPT_CSV);
  if (table.problems.length > 0)
    throw new ConsoleError(
      'validation',
      `${file}: nothing adopted; ${table.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}.`,
    );
  return table.rows.map(({ line, values: v }) => ({
    line,
    instance: v.instance ?? '',
    tenant: v.tenant ?? '',
    domain: v.domain ?? '',
    ...(v.email ? { email: v.email } : {}),
    ...(v.gui_domain ? { guiDomain: v.gui_domain } : {}),
  }));
}

/** Adds `discover`, `adopt` and `adopt-import` under the `tenants` command (`recordLines` prints a record as `show` does). */
export function registerTenantsAdoptCommands(
  tenants: Command,
  ctx: CliContext,
  recordLines: (r: TenantRecord) => string[],
): void {
  tenants
    .command('discover')
    .description(
      'list the tenants on an instance that have no record, with their evidence (read-only; the TMS can confirm a name, not list)',
    )
    .argument('<instance>', 'instance id')
    .option('--json', 'print the report as JSON')
    .action(async (instanceId: string, o: { json?: boolean }) => {
      const report = await (await ctx.core()).discovery.discover(instanceId);
      if (o.json) return printJson(report, ctx.streams);
      for (const n of report.notes) warn(n, ctx.streams);
      printLines(discoveryLines(report), ctx.streams);
    });

  tenants
    .command('adopt')
    .description('record a tenant that already exists on the instance; nothing on the instance changes')
    .argument('<instance>', 'instance id')
    .argument('<tenant>', 'tenant name (as discover lists it)')
    .option('--domain <domain>', 'its API domain (must derive the tenant name; single-tenant: default the API URL)')
    .option('--gui-domain <domain>', 'its GUI domain (default: from the instance GUI URL pattern)')
    .option('--email <address>', 'contact e-mail')
    .option('--token-stdin', 'read its existing installation token from stdin (or a hidden prompt): keychain only')
    .option('--json', 'print the record as JSON')
    .action(
      async (
        instanceId: string,
        tenant: string,
        o: { domain?: string; guiDomain?: string; email?: string; tokenStdin?: boolean; json?: boolean },
      ) => {
        const core = await ctx.core();
        core.settings.assertWritable();
        const [token] = o.tokenStdin ? await ctx.readSecrets(['installation token'], MAX_TOKEN_LENGTH) : [];
        const record = await core.tenants.adopt({
          instanceId,
          tenant,
          ...(o.domain !== undefined ? { domain: o.domain } : {}),
          ...(o.guiDomain !== undefined ? { guiDomain: o.guiDomain } : {}),
          ...(o.email !== undefined ? { email: o.email } : {}),
          ...(token !== undefined ? { token } : {}),
        });
        if (o.json) return printJson(record, ctx.streams);
        printLines(
          [
            `Adopted ${record.tenant} on ${record.instanceId} (token ${record.adopted?.token ?? 'unknown'}); nothing on the instance changed.`,
            ...recordLines(record),
          ],
          ctx.streams,
        );
      },
    );

  tenants
    .command('adopt-import')
    .description('adopt the tenants of a CSV file: instance,tenant,domain[,email][,gui_domain]; row by row (no tokens)')
    .argument('<csv>', 'CSV file (a header row starting with "instance" is skipped)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      const rows = await adoptRows(file);
      if (rows.length === 0) throw new ConsoleError('validation', `${file} has no rows to adopt.`);
      const results = [];
      for (const row of rows) {
        const base = { line: row.line, instance: row.instance, tenant: row.tenant };
        try {
          const { line: _, instance, ...rest } = row;
          await service.adopt({ instanceId: instance, ...rest });
          results.push({ ...base, outcome: 'adopted' as const });
        } catch (err) {
          const e = toConsoleError(err);
          const outcome = isRefusal(e.code) ? ('refused' as const) : ('failed' as const);
          results.push({ ...base, outcome, code: e.code, reason: e.message });
        }
      }
      const adopted = results.filter((r) => r.outcome === 'adopted').length;
      const notAdopted = results.length - adopted;
      if (o.json) printJson({ adopted, notAdopted, rows: results }, ctx.streams);
      else
        printLines(
          [
            ...formatTable(
              ['LINE', 'INSTANCE', 'TENANT', 'RESULT', 'REASON'],
              results.map((r) => [String(r.line), r.instance, r.tenant, r.outcome, 'reason' in r ? r.reason : '']),
            ),
            '',
            `${adopted} adopted, ${notAdopted} not adopted, of ${results.length} row(s).`,
          ],
          ctx.streams,
        );
      if (notAdopted > 0) {
        ctx.streams.stderr.write(`tenantctl: ${notAdopted} of ${results.length} row(s) were not adopted.\n`);
        process.exitCode = 1;
      }
    });
}
