/**
 * `tenantctl token show <instance> <tenant>`: the installation token's metadata, and the token
 * itself only with `--reveal` (audited as 'reveal').
 */
import type { Command } from 'commander';
import { tenantCommand, type CliContext } from '../context';
import { escapeValue, formatFields, printJson, printLines } from '../output';

/** Register `token show`. */
export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('installation tokens (kept in the OS keychain)');

  tenantCommand(token, 'show', 'show where and until when a tenant token works; the token itself only with --reveal')
    .option('--reveal', 'print the token (audited)')
    .option('--json', 'print JSON')
    .action(async (instanceId: string, tenant: string, o: { reveal?: boolean; json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      if (o.reveal) {
        const revealed = await service.revealToken(instanceId, tenant);
        if (o.json) return printJson(revealed, ctx.streams);
        // The token alone on stdout, so `$(tenantctl token show i t --reveal)` captures just it.
        ctx.streams.stdout.write(`${revealed.token}\n`);
        ctx.streams.stderr.write(
          `${escapeValue(`token of ${tenant} on ${instanceId}; expires ${revealed.expiresAt ?? 'never'}; GUI ${revealed.guiUrl}`)}\n`,
        );
        return;
      }
      const record = await service.get(instanceId, tenant);
      const meta = {
        instanceId,
        tenant,
        state: record.state,
        apiUrl: record.apiUrl,
        guiUrl: record.guiUrl,
        expiresAt: record.tokenExpiresAt,
        expired: record.tokenExpiresAt !== null && new Date(record.tokenExpiresAt).getTime() <= Date.now(),
        note: 'The token is not printed: add --reveal (the reveal is audited).',
      };
      if (o.json) return printJson(meta, ctx.streams);
      printLines(
        [
          ...formatFields([
            ['tenant', `${tenant} on ${instanceId} (${record.state})`],
            ['GUI URL', record.guiUrl],
            ['API URL', record.apiUrl],
            ['expires', `${record.tokenExpiresAt ?? 'never'}${meta.expired ? ' (EXPIRED)' : ''}`],
          ]),
          meta.note,
        ],
        ctx.streams,
      );
    });
}
