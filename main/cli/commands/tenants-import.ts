/**
 * `tenantctl tenants import <csv>`: create tenants from a CSV file, each row all or nothing, and
 * report row by row. Registered under the `tenants` command by `registerTenantsImportCommand(tenants, ctx)`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConsoleError, isRefusal, toConsoleError } from '../../../shared/errors';
import type { CliContext } from '../context';
import { withCliRemedy } from '../remedies';
import { formatTable, printJson, printLines } from '../output';

export interface ImportRow {
  line: number;
  instance: string;
  domain: string;
  email: string;
  tokenLifetimeDays: string;
  guiDomain?: string;
}

/** RFC 4180-ish: commas, double-quoted fields with "" escapes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows of the import file; a first row starting with `instance` is a header. Blank and `#` lines are skipped. */
export function importRows(text: string): ImportRow[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const out: ImportRow[] = [];
  rows.forEach((cells, i) => {
    const trimmed = cells.map((c) => c.trim());
    if (trimmed.every((c) => c === '') || trimmed[0]!.startsWith('#')) return;
    if (i === 0 && trimmed[0]!.toLowerCase() === 'instance') return;
    const [instance = '', domain = '', email = '', days = '', gui = ''] = trimmed;
    const row: ImportRow = { line: i + 1, instance, domain, email, tokenLifetimeDays: days };
    if (gui) row.guiDomain = gui;
    out.push(row);
  });
  return out;
}

interface ImportResult {
  line: number;
  instance: string;
  domain: string;
  outcome: 'created' | 'refused' | 'failed';
  tenant?: string;
  code?: string;
  reason?: string;
}

/** Adds `import` under the `tenants` command. */
export function registerTenantsImportCommand(tenants: Command, ctx: CliContext): void {
  tenants
    .command('import')
    .description(
      'create tenants from a CSV file: instance,domain,email,token_lifetime_days[,gui_domain]; each row all or nothing',
    )
    .argument('<csv>', 'CSV file (a header row starting with "instance" is skipped)')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new ConsoleError(
          'validation',
          `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        );
      }
      const rows = importRows(text);
      if (rows.length === 0) throw new ConsoleError('validation', `${file} has no rows to import.`);
      const results: ImportResult[] = [];
      for (const row of rows) {
        const base = { line: row.line, instance: row.instance, domain: row.domain };
        try {
          if (!/^\d+$/.test(row.tokenLifetimeDays))
            throw new ConsoleError(
              'validation',
              `token_lifetime_days must be a whole number, got "${row.tokenLifetimeDays.slice(0, 20)}".`,
            );
          const record = await service.create({
            instanceId: row.instance,
            domain: row.domain,
            email: row.email,
            tokenLifetimeDays: Number(row.tokenLifetimeDays),
            ...(row.guiDomain !== undefined ? { guiDomain: row.guiDomain } : {}),
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
      const created = results.filter((r) => r.outcome === 'created').length;
      const notCreated = results.length - created;
      if (o.json) printJson({ created, notCreated, rows: results }, ctx.streams);
      else {
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
            `${created} created, ${notCreated} not created, of ${results.length} row(s).`,
          ],
          ctx.streams,
        );
      }
      if (notCreated > 0) {
        // The report is the output (also with --json): signal the failure by the exit code only.
        ctx.streams.stderr.write(`tenantctl: ${notCreated} of ${results.length} row(s) were not created.\n`);
        process.exitCode = 1;
      }
    });
}
