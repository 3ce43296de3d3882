/**
 * `tenantctl tenants import <csv>`: create tenants from a CSV file (read by services/csv-import).
 * Every row is checked first (shape, token lifetime, e-mail, instance, derived name, collisions
 * with records and with the file's other rows); a file with any bad row creates nothing, unless
 * `--skip-bad-rows` asks to create exactly the good ones. Then each row is created all or nothing
 * and reported row by row. Registered under `tenants` by `registerTenantsImportCommand(tenants, ctx)`.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { ConsoleError, isRefusal, toConsoleError, type ErrorCode } from '../../../shared/errors/errors';
import { readCsvFile, type CsvRow } from '../../services/csv-import';
import type { TenantService } from '../../services/tenants';
import type { CliContext } from '../context';
import { withCliRemedy } from '../remedies';
import { formatTable, printJson, printLines } from '../output';

export const IMPORT_COLUMNS = ['instance', 'domain', 'email', 'token_lifetime_days', 'gui_domain'] as const;

interface ImportResult {
  line: number;
  instance: string;
  domain: string;
  outcome: 'created' | 'refused' | 'failed' | 'skipped';
  tenant?: string;
  code?: string;
  reason?: string;
}

function refused(row: CsvRow, code: ErrorCode, reason: string): ImportResult {
  return {
    line: row.line,
    instance: row.values.instance!,
    domain: row.values.domain!,
    outcome: 'refused',
    code,
    reason,
  };
}

/** Why a row cannot be created (checked before anything is written), or null when it can. */
async function checkRow(
  service: TenantService,
  row: CsvRow,
  seen: Map<string, number>,
  outsideSuffix: boolean,
): Promise<ImportResult | null> {
  const v = row.values;
  if (!/^\d+$/.test(v.token_lifetime_days!) || Number(v.token_lifetime_days) < 1 || Number(v.token_lifetime_days) > 365)
    return refused(
      row,
      'validation',
      `token_lifetime_days must be a whole number from 1 to 365, got "${v.token_lifetime_days!.slice(0, 20)}".`,
    );
  if (!z.email().safeParse(v.email).success) return refused(row, 'validation', 'A valid contact e-mail is required.');
  let preview;
  try {
    preview = await service.preview({
      instanceId: v.instance!,
      domain: v.domain!,
      quick: true,
      ...(outsideSuffix ? { outsideSuffix } : {}),
    });
  } catch (err) {
    const e = toConsoleError(err);
    return refused(row, e.code, e.message);
  }
  if (preview.tenant === null) return refused(row, 'validation', preview.error ?? 'The domain gives no tenant name.');
  const clash = preview.collisions[0];
  if (clash) return { ...refused(row, 'tenant-collision', clash.detail), tenant: preview.tenant };
  const key = `${v.instance}/${preview.tenant}`;
  const earlier = seen.get(key);
  if (earlier !== undefined)
    return {
      ...refused(row, 'tenant-collision', `Line ${earlier} of this file already creates tenant ${preview.tenant}.`),
      tenant: preview.tenant,
    };
  seen.set(key, row.line);
  return null;
}

/** Adds `import` under the `tenants` command. */
export function registerTenantsImportCommand(tenants: Command, ctx: CliContext): void {
  tenants
    .command('import')
    .description(
      'create tenants from a CSV file: instance,domain,email,token_lifetime_days[,gui_domain]; a file with a bad row creates nothing',
    )
    .argument('<csv>', 'UTF-8 CSV file, at most 5 MiB (a header row starting with "instance" is skipped)')
    .option('--skip-bad-rows', 'create the good rows and report the bad ones (default: a bad row stops the import)')
    .option('--outside-suffix', "allow domains outside their instance's tenant domain suffix, on purpose")
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { json?: boolean; skipBadRows?: boolean; outsideSuffix?: boolean }) => {
      const table = await readCsvFile(file, { columns: IMPORT_COLUMNS, required: 4, header: 'instance' });
      if (table.rows.length === 0 && table.problems.length === 0)
        throw new ConsoleError('validation', `${file} has no rows to import.`);
      const service = (await ctx.core()).tenants;

      const results: ImportResult[] = table.problems.map((p) => ({
        line: p.line,
        instance: '',
        domain: '',
        outcome: 'refused',
        code: 'validation',
        reason: `Line ${p.line}: ${p.message}.`,
      }));
      const good: CsvRow[] = [];
      const seen = new Map<string, number>();
      for (const row of table.rows) {
        const bad = await checkRow(service, row, seen, o.outsideSuffix === true);
        if (bad) results.push(bad);
        else good.push(row);
      }
      const stop = results.length > 0 && !o.skipBadRows;
      for (const row of good) {
        const base = { line: row.line, instance: row.values.instance!, domain: row.values.domain! };
        if (stop) {
          results.push({ ...base, outcome: 'skipped', reason: 'not created: the file has bad rows' });
          continue;
        }
        try {
          const record = await service.create({
            instanceId: row.values.instance!,
            domain: row.values.domain!,
            email: row.values.email!,
            tokenLifetimeDays: Number(row.values.token_lifetime_days),
            ...(row.values.gui_domain ? { guiDomain: row.values.gui_domain } : {}),
            ...(o.outsideSuffix ? { outsideSuffix: true } : {}),
          });
          results.push({ ...base, outcome: 'created', tenant: record.tenant });
        } catch (err) {
          const e = toConsoleError(err);
          results.push({
            ...base,
            outcome: isRefusal(e.code) ? 'refused' : 'failed',
            code: e.code,
            reason: withCliRemedy(e),
            ...(e.tenant ? { tenant: e.tenant } : {}),
          });
        }
      }
      results.sort((a, b) => a.line - b.line);
      report(ctx, results, stop, o.json === true);
    });
}

function report(ctx: CliContext, results: ImportResult[], stopped: boolean, json: boolean): void {
  const created = results.filter((r) => r.outcome === 'created').length;
  const notCreated = results.length - created;
  const summary = stopped
    ? `Nothing created: ${results.filter((r) => r.outcome === 'refused').length} bad row(s) of ${results.length}; fix them, or import the good rows with --skip-bad-rows.`
    : `${created} created, ${notCreated} not created, of ${results.length} row(s).`;
  if (json) {
    printJson({ created, notCreated, stopped, rows: results }, ctx.streams);
  } else {
    printLines(
      [
        ...formatTable(
          ['LINE', 'INSTANCE', 'DOMAIN', 'RESULT', 'TENANT / REASON'],
          results.map((r) => [
            String(r.line),
            r.instance,
            r.domain,
            r.outcome,
            r.outcome === 'created' ? r.tenant! : (r.reason ?? ''),
          ]),
        ),
        '',
        summary,
      ],
      ctx.streams,
    );
  }
  if (notCreated > 0) {
    // The report is the output (also with --json): signal the failure by the exit code only.
    ctx.streams.stderr.write(
      `tenantctl: ${stopped ? summary : `${notCreated} of ${results.length} row(s) were not created.`}\n`,
    );
    process.exitCode = 1;
  }
}
