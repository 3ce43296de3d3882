/**
 * `tenantctl audit`: the operator audit log (newest first), filtered by action, instance, tenant: the
 * instances' team trails merged with this workstation's own entries. `tenantctl audit verify` walks
 * each instance's hash chain and names the first entry edited, deleted or reordered.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import type { AuditLog } from '../../services/audit-log';
import type { CliContext } from '../context';
import { formatTable, printJson, printLines } from '../output';

/** Register `audit`. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description("show the audit log of operator actions, newest first; verify the instances' audit chains");
  audit
    .command('verify')
    .description(
      "walk each instance's audit chain and name the first entry edited, deleted or reordered (exit 1 if any)",
    )
    .option('--instance <id>', 'only this instance')
    .option('--json', 'print JSON')
    .action(async (o: { instance?: string; json?: boolean }) => {
      const core = await ctx.core();
      const ids = o.instance !== undefined ? [o.instance] : (await core.instances.list()).map((s) => s.instance.id);
      const reports = await core.registry.verifyAudit(ids);
      if (o.json) printJson(reports, ctx.streams);
      else
        printLines(
          reports.map((r) =>
            r.error
              ? `${r.instanceId}: NOT CHECKED: ${r.error}`
              : r.problem
                ? `${r.instanceId}: BROKEN at entry ${r.problem.seq} (${r.problem.kind}): ${r.problem.detail}`
                : `${r.instanceId}: intact (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'})`,
          ),
          ctx.streams,
        );
      if (reports.some((r) => r.problem || r.error)) process.exitCode = 1;
    });
  audit
    .command('list', { isDefault: true })
    .description('show the audit log of operator actions, newest first (the default)')
    .option(
      '--action <action>',
      'only this action (create, override, reveal, copy, export, hand-over, rotate, revoke, delete, reconcile, repair, ...)',
    )
    .option('--instance <id>', 'only this instance')
    .option('--tenant <name>', 'only this tenant')
    .option('--since <iso-time>', 'only entries at or after this time')
    .option('--limit <n>', 'at most this many entries', '200')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        action?: string;
        instance?: string;
        tenant?: string;
        since?: string;
        limit: string;
        json?: boolean;
      }) => {
        const core = (await ctx.core()) as unknown as { audit?: AuditLog };
        if (!core.audit) throw new ConsoleError('internal', 'The audit log is not built by this core.');
        if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1)
          throw new ConsoleError(
            'validation',
            `--limit: must be a whole number above 0, got "${o.limit.slice(0, 20)}".`,
          );
        if (o.since !== undefined && Number.isNaN(new Date(o.since).getTime()))
          throw new ConsoleError('validation', `--since: "${o.since.slice(0, 40)}" is not a date or time.`);
        const entries = await core.audit.list({
          limit: Number(o.limit),
          ...(o.action !== undefined ? { action: o.action } : {}),
          ...(o.instance !== undefined ? { instanceId: o.instance } : {}),
          ...(o.tenant !== undefined ? { tenant: o.tenant } : {}),
          ...(o.since !== undefined ? { since: o.since } : {}),
        });
        if (o.json) return printJson(entries, ctx.streams);
        if (entries.length === 0) return printLines(['No audit entries.'], ctx.streams);
        printLines(
          formatTable(
            ['TIME', 'OPERATOR', 'WORKSTATION', 'ACTION', 'OUTCOME', 'INSTANCE', 'TENANT', 'DETAIL'],
            entries.map((e) => [
              e.time,
              e.user,
              e.operator?.workstation ?? '-',
              e.action,
              e.outcome,
              e.instanceId ?? '-',
              e.tenant ?? '-',
              `${e.team === null ? '(not in the team trail: the registry was unreachable) ' : ''}${e.detail ?? ''}`,
            ]),
          ),
          ctx.streams,
        );
      },
    );
}
