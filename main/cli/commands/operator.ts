/**
 * `tenantctl operator`: who is at this console. Set once (name and e-mail); every registry change
 * and audit entry then carries them with this workstation's name.
 */
import type { Command } from 'commander';
import type { OperatorView } from '../../../shared/team/operator';
import type { CliContext } from '../context';
import { printJson, printLines } from '../output';

function describe(view: OperatorView): string[] {
  return [
    `name:        ${view.name}${view.isDefault ? ' (default: OS user at host name; set yours with "tenantctl operator set --name")' : ''}`,
    `e-mail:      ${view.email ?? '(none)'}`,
    `workstation: ${view.workstation}`,
  ];
}

/** Register `operator`. */
export function registerOperatorCommands(program: Command, ctx: CliContext): void {
  const operator = program
    .command('operator')
    .description('who is at this console: the name and e-mail every change and audit entry carries');

  operator
    .command('show', { isDefault: true })
    .description('print the operator name, e-mail and workstation')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const view = (await ctx.core()).operator.view();
      if (o.json) return printJson(view, ctx.streams);
      printLines(describe(view), ctx.streams);
    });

  operator
    .command('set')
    .description('set the operator name and e-mail (once per workstation)')
    .option('--name <name>', 'your name as the team should read it, e.g. "Ann Smith"')
    .option('--email <address>', 'your e-mail address ("" for none)')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; email?: string; json?: boolean }) => {
      const core = await ctx.core();
      const current = core.operator.view();
      const view = core.operator.set({
        name: o.name ?? (current.isDefault ? null : current.name),
        email: o.email ?? current.email,
      });
      if (o.json) return printJson(view, ctx.streams);
      printLines(describe(view), ctx.streams);
    });

  operator
    .command('reset')
    .description('go back to the default name (OS user at host name) and no e-mail')
    .action(async () => {
      const view = (await ctx.core()).operator.set({ name: null, email: null });
      printLines(describe(view), ctx.streams);
    });
}
