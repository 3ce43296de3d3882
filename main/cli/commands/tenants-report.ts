/**
 * `tenantctl tenants report`: the fleet report (every tenant's status, instance, token state, last
 * verification and evidence) as CSV or JSON, streamed piece by piece to stdout or to `--output`.
 * No token is in it: the report service reads which tokens exist, never their values.
 */
import { createWriteStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import { REPORT_FORMATS, type ReportFormat } from '../../services/report';
import type { CliContext } from '../context';
import { printLines } from '../output';

function reportFormat(value: string): ReportFormat {
  const format = value.trim().toLowerCase();
  if ((REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new ConsoleError(
    'validation',
    `--format: expected ${REPORT_FORMATS.join(' or ')}, got "${value.slice(0, 20)}".`,
  );
}

/** Write the pieces to `path` through a temp file renamed over it: a failed run leaves no half report. */
async function writeReportFile(path: string, pieces: Iterable<string>, overwrite: boolean): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const cannotWrite = (err: unknown) =>
    new ConsoleError('validation', `Cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  if (!overwrite) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw new ConsoleError('conflict', `${path} exists; choose another file or give --overwrite.`);
  }
  try {
    const out = createWriteStream(tmp, { flags: 'wx' });
    const done = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
    });
    for (const piece of pieces) {
      if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    out.end();
    await done;
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw cannotWrite(err);
  }
}

export function registerTenantsReportCommand(tenants: Command, ctx: CliContext): void {
  tenants
    .command('report')
    .description(
      'the fleet report: every tenant with status, instance, token state, last verification and evidence (never a token)',
    )
    .option('--format <csv|json>', 'csv (spreadsheet-safe) or json', 'csv')
    .option('--output <file>', 'write the report to this file (default: stream it to stdout)')
    .option('--overwrite', 'with --output: replace an existing file')
    .option('--instance <id>', 'only the tenants of this instance')
    .action(async (o: { format: string; output?: string; overwrite?: boolean; instance?: string }) => {
      const format = reportFormat(o.format);
      const report = await (
        await ctx.core()
      ).report.report({ format, ...(o.instance !== undefined ? { instanceId: o.instance } : {}) });
      if (o.output === undefined) {
        for (const piece of report.pieces) ctx.streams.stdout.write(piece);
        return;
      }
      await writeReportFile(o.output, report.pieces, !!o.overwrite);
      printLines(
        [`Fleet report (${report.count} tenant${report.count === 1 ? '' : 's'}, ${format}) written to ${o.output}.`],
        ctx.streams,
      );
    });
}
