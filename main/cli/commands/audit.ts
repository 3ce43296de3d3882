/**
 * `tenantctl audit`: the operator audit log (newest first), filtered by action, instance, tenant.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors';
import type { AuditLog } from '../../services/audit-log';
import type { CliContext } from '../context';
import { formatTable, printJson, printLines } from '../output';

/** Register `audit`. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('show the audit log of operator actions, newest first')
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
            ['TIME', 'USER', 'ACTION', 'OUTCOME', 'INSTANCE', 'TENANT', 'DETAIL'],
            entries.map((e) => [
              e.time,
              e.user,
              e.action,
              e.outcome,
              e.instanceId ?? '-',
              e.tenant ?? '-',
              e.detail ?? '',
            ]),
          ),
          ctx.streams,
        );
      },
    );
}
