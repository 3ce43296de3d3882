/**
 * `tenantctl registry`: each instance's team registry (the record of its tenants and its audit trail,
 * in hidden indices of its own Elasticsearch): whether this console can read and change it, since
 * when, and when it last synced.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatTable, printJson, printLines } from '../output';

/** Register `registry status`. */
export function registerRegistryCommands(program: Command, ctx: CliContext): void {
  const registry = program
    .command('registry')
    .description("each instance's team registry: reachable, writable, since when, and what it holds");
  registry
    .command('status', { isDefault: true })
    .description('sync each instance and print its registry health (exit 1 when one cannot take changes)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await ctx.core();
      const ids = (await core.instances.list()).map((s) => s.instance.id);
      await Promise.all(ids.map(async (id) => (await core.registry.of(id)).sync()));
      const status = await core.registry.status(ids);
      if (o.json) printJson(status, ctx.streams);
      else
        printLines(
          status.length
            ? formatTable(
                ['INSTANCE', 'SCOPE', 'STATE', 'SINCE', 'LAST SYNC', 'WHY'],
                status.map((s) => [
                  s.instanceId,
                  s.scope,
                  s.health.state,
                  'since' in s.health ? s.health.since : '-',
                  s.syncedAt ?? 'never',
                  s.health.state === 'unreachable'
                    ? s.health.error
                    : s.health.state === 'read-only'
                      ? s.health.reason
                      : '',
                ]),
              )
            : ['No instances.'],
          ctx.streams,
        );
      if (status.some((s) => s.health.state !== 'ok')) process.exitCode = 1;
    });
}
