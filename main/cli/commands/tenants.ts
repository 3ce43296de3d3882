/**
 * `tenantctl tenants ...`: the tenant lifecycle, headless (same TenantService as the UI).
 * Tokens are printed only by `handoff --stdout` and `token show --reveal`; the CLI has no clipboard.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import { describeOperator } from '../../../shared/team/operator';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import type { ReconcileReport, TenantService } from '../../services/tenants';
import { tenantCommand, type CliContext } from '../context';
import { escapeValue, formatFields, formatTable, printJson, printLines, warn } from '../output';
import { registerTenantsAdoptCommands } from './tenants-adopt';
import { registerTenantsImportCommand } from './tenants-import';
import { registerTenantsReportCommand } from './tenants-report';
import { registerVerifyCommand } from './verify';

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new ConsoleError('validation', `${flag}: must be a whole number, got "${value.slice(0, 40)}".`);
  return Number(value);
}

export function recordLines(r: TenantRecord): string[] {
  const v = r.lastVerification as { status?: string; checkedAt?: string; summary?: string } | undefined;
  return [
    `${r.tenant} on ${r.instanceId} (${r.state})`,
    ...formatFields([
      ['API domain', r.apiDomain],
      ['API URL', r.apiUrl],
      ['GUI URL', r.guiUrl],
      ['e-mail', r.email || '(none)'],
      ['created', r.createdAt],
      ['token expires', r.tokenExpiresAt ?? 'never'],
      ...(r.handedOverAt ? ([['handed over', r.handedOverAt]] as [string, string][]) : []),
      ...(r.rotatedAt ? ([['rotated', r.rotatedAt]] as [string, string][]) : []),
      ...(r.revokedAt ? ([['revoked', r.revokedAt]] as [string, string][]) : []),
      ...(r.installedAt ? ([['installed', r.installedAt]] as [string, string][]) : []),
      ...(r.capacityOverride
        ? ([
            ['capacity override', `${r.capacityOverride.reason} (${r.capacityOverride.by}, ${r.capacityOverride.at})`],
          ] as [string, string][])
        : []),
      ...(v?.status
        ? ([['last verified', `${v.status} at ${v.checkedAt ?? '?'}${v.summary ? `: ${v.summary}` : ''}`]] as [
            string,
            string,
          ][])
        : []),
      ...(r.adopted
        ? ([['adopted', `${r.adopted.at} by ${r.adopted.by}; token ${r.adopted.token}`]] as [string, string][])
        : []),
      ...r.warnings.map((w): [string, string] => ['warning', w]),
      ...(r.createdBy ? ([['created by', describeOperator(r.createdBy)]] as [string, string][]) : []),
      ...(r.updatedBy
        ? ([
            [
              'last change',
              `${r.lastChange ?? 'changed it'} by ${describeOperator(r.updatedBy)} at ${r.updatedAt ?? '?'}`,
            ],
          ] as [string, string][])
        : []),
      ...(r.state !== 'revoked'
        ? ([
            [
              'token held by',
              r.tokenHolder ? `${describeOperator(r.tokenHolder)} (since ${r.tokenHolder.since})` : 'nobody',
            ],
          ] as [string, string][])
        : []),
      ...(r.pendingOp
        ? ([
            [
              'pending',
              `a ${r.pendingOp.op} by ${describeOperator(r.pendingOp.by)} since ${r.pendingOp.startedAt} (step ${r.pendingOp.step})`,
            ],
          ] as [string, string][])
        : []),
    ]).map((l) => `  ${l}`),
  ];
}

/** One line per instance whose registry did not answer: the list shows its last-known record. */
async function registryNotes(service: TenantService, instanceIds: string[], ctx: CliContext): Promise<void> {
  for (const id of instanceIds) {
    const registry = await service.registryOf(id);
    const h = registry.health();
    if (h.state === 'unreachable')
      warn(
        `the team registry of ${id} is unreachable since ${h.since} (${h.error}): its tenants are the last-known record${registry.syncedAt() ? ` (in sync at ${registry.syncedAt()})` : ''}, read-only`,
        ctx.streams,
      );
    else if (h.state === 'read-only')
      warn(`the team registry of ${id} is read-only for this console: ${h.reason}`, ctx.streams);
  }
}

function reportLines(report: ReconcileReport): string[] {
  const lines: string[] = [];
  if (report.findings.length === 0) lines.push('Records, keychain and TMS agree: nothing to repair.');
  else {
    lines.push(
      ...formatTable(
        ['KIND', 'INSTANCE', 'TENANT', 'REPAIR'],
        report.findings.map((f) => [f.kind, f.instanceId, f.tenant, `${f.repairable ? '' : '(manual) '}${f.repair}`]),
      ),
    );
    lines.push('', ...report.findings.map((f) => `${f.id}: ${f.detail}`));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

/** Register `tenants create|list|show|preview|handoff|rotate|revoke|delete|reconcile|import|report`. */
export function registerTenantsCommands(program: Command, ctx: CliContext): void {
  const tenants = program
    .command('tenants')
    .description(
      "create and manage tenants (records in each instance's team registry, tokens in the OS keychain, entries in the TMS)",
    );
  registerVerifyCommand(tenants, ctx);

  /** A one-tenant command that prints the service's answer as JSON (with --json) or as lines. */
  const answerCommand = <T>(
    name: string,
    description: string,
    jsonHelp: string,
    ask: (service: TenantService, instanceId: string, tenant: string) => Promise<T>,
    lines: (answer: T, instanceId: string, tenant: string) => string[],
  ): void => {
    tenantCommand(tenants, name, description)
      .option('--json', jsonHelp)
      .action(async (instanceId: string, tenant: string, o: { json?: boolean }) => {
        const answer = await ask((await ctx.core()).tenants, instanceId, tenant);
        if (o.json) return printJson(answer, ctx.streams);
        printLines(lines(answer, instanceId, tenant), ctx.streams);
      });
  };

  tenants
    .command('create')
    .description('create a tenant: token in the keychain, entry in the TMS, record in the settings (all or nothing)')
    .argument('<instance>', 'instance id')
    .argument('<domain>', 'tenant API domain, or a bare label completed with the instance suffix')
    .requiredOption('--email <address>', 'contact e-mail of the tenant')
    .option('--days <n>', 'token lifetime in days (1-365)', '30')
    .option('--gui-domain <domain>', 'GUI domain (default: from the instance GUI URL pattern)')
    .option('--override-reason <text>', 'create even when capacity is exceeded; the reason is recorded and audited')
    .option(
      '--outside-suffix',
      "a domain outside the instance's tenant domain suffix, on purpose (its DNS points at it)",
    )
    .option('--json', 'print the record as JSON')
    .action(
      async (
        instanceId: string,
        domain: string,
        o: {
          email: string;
          days: string;
          guiDomain?: string;
          overrideReason?: string;
          outsideSuffix?: boolean;
          json?: boolean;
        },
      ) => {
        const service = (await ctx.core()).tenants;
        const record = await service.create({
          instanceId,
          domain,
          email: o.email,
          tokenLifetimeDays: wholeNumber(o.days, '--days'),
          ...(o.guiDomain !== undefined ? { guiDomain: o.guiDomain } : {}),
          ...(o.overrideReason !== undefined ? { capacityOverrideReason: o.overrideReason } : {}),
          ...(o.outsideSuffix ? { outsideSuffix: true } : {}),
        });
        if (o.json) return printJson(record, ctx.streams);
        for (const w of record.warnings) warn(w, ctx.streams);
        printLines(
          [
            `Created ${record.tenant} on ${record.instanceId}.`,
            ...recordLines(record),
            `Hand it over with: tenantctl tenants handoff ${record.instanceId} ${record.tenant} --out <file>`,
          ],
          ctx.streams,
        );
      },
    );

  tenants
    .command('preview')
    .description('what a create would do: tenant name, URLs, collisions, capacity')
    .argument('<instance>', 'instance id')
    .argument('<domain>', 'tenant API domain or bare label')
    .option('--gui-domain <domain>', 'GUI domain')
    .option('--quick', 'check the console records only (no TMS, Elasticsearch or DNS)')
    .option('--outside-suffix', "a domain outside the instance's tenant domain suffix, on purpose")
    .option('--json', 'print JSON')
    .action(
      async (
        instanceId: string,
        domain: string,
        o: { guiDomain?: string; quick?: boolean; outsideSuffix?: boolean; json?: boolean },
      ) => {
        const service = (await ctx.core()).tenants;
        const p = await service.preview({
          instanceId,
          domain,
          quick: !!o.quick,
          ...(o.guiDomain !== undefined ? { guiDomain: o.guiDomain } : {}),
          ...(o.outsideSuffix ? { outsideSuffix: true } : {}),
        });
        if (o.json) return printJson(p, ctx.streams);
        if (p.error) throw new ConsoleError('validation', p.error, { instanceId });
        printLines(
          [
            ...formatFields([
              ['tenant', p.tenant ?? '-'],
              ['API URL', p.apiUrl ?? '-'],
              ['GUI URL', p.guiUrl ?? '-'],
              ['capacity', p.capacity ? `${p.capacity.ok ? 'ok' : 'REFUSED'}: ${p.capacity.message}` : 'not checked'],
            ]),
            ...p.warnings.map((w) => `warning: ${w}`),
            ...p.collisions.map((c) => `collision (${c.where}): ${c.detail}`),
          ],
          ctx.streams,
        );
      },
    );

  tenants
    .command('list')
    .description('list tenant records')
    .option('--instance <id>', 'only this instance')
    .option('--json', 'print JSON')
    .action(async (o: { instance?: string; json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      const per = await service.byInstance(o.instance !== undefined ? { instanceId: o.instance } : {});
      const list = per.flatMap((p) => p.records);
      await registryNotes(
        service,
        per.filter((p) => !p.live).map((p) => p.instanceId),
        ctx,
      );
      if (o.json) return printJson(list, ctx.streams);
      if (list.length === 0) return printLines(['No tenants.'], ctx.streams);
      printLines(
        formatTable(
          ['INSTANCE', 'TENANT', 'STATE', 'API DOMAIN', 'TOKEN EXPIRES', 'TOKEN HELD BY'],
          list.map((r) => [
            r.instanceId,
            r.tenant,
            r.state,
            r.apiDomain,
            r.tokenExpiresAt ?? 'never',
            r.state === 'revoked' ? '-' : (r.tokenHolder?.name ?? '-'),
          ]),
        ),
        ctx.streams,
      );
    });

  answerCommand(
    'show',
    'show one tenant record (never its token: see "token show")',
    'print JSON',
    (service, instanceId, tenant) => service.get(instanceId, tenant),
    recordLines,
  );

  tenantCommand(
    tenants,
    'handoff',
    'the hand-over sheet (GUI URL, API URL, tenant, token, expiry, install steps): to a 0600 file with --out, or to stdout with --stdout',
  )
    .option('--out <file>', 'write the sheet to this file (mode 0600; an existing file is refused)')
    .option('--overwrite', 'with --out: replace an existing file')
    .option('--stdout', 'print the sheet, token included, on stdout')
    .option('--mark-handed-over', 'record that the token was handed over')
    .option('--json', 'print {path, state} as JSON')
    .action(
      async (
        instanceId: string,
        tenant: string,
        o: { out?: string; overwrite?: boolean; stdout?: boolean; markHandedOver?: boolean; json?: boolean },
      ) => {
        const service = (await ctx.core()).tenants;
        if (o.out === undefined && !o.stdout) {
          throw new ConsoleError(
            'validation',
            'The sheet holds the installation token: give --out <file> (written 0600) or --stdout.',
          );
        }
        if (o.out !== undefined && o.stdout)
          throw new ConsoleError('validation', 'Give either --out or --stdout, not both.');
        let path: string | null = null;
        if (o.out !== undefined)
          path = (await service.exportHandoff(instanceId, tenant, o.out, { overwrite: !!o.overwrite })).path;
        // The sheet is multi-line by design; each of its lines is escaped like any printed value.
        else
          ctx.streams.stdout.write(
            (await service.handoffSheet(instanceId, tenant)).split('\n').map(escapeValue).join('\n'),
          );
        const record = o.markHandedOver
          ? await service.markHandedOver(instanceId, tenant)
          : await service.get(instanceId, tenant);
        if (o.json) return printJson({ path, state: record.state }, ctx.streams);
        if (path !== null)
          printLines(
            [`Hand-over sheet written to ${path} (mode 0600).${o.markHandedOver ? ' Marked as handed over.' : ''}`],
            ctx.streams,
          );
        else if (o.markHandedOver) warn('marked as handed over', ctx.streams);
      },
    );

  tenantCommand(
    tenants,
    'rotate',
    'issue a new installation token (not after install); the old one stops working at once',
  )
    .option('--days <n>', 'lifetime of the new token (default: the previous lifetime)')
    .option('--json', 'print the record as JSON')
    .action(async (instanceId: string, tenant: string, o: { days?: string; json?: boolean }) => {
      const record = await (
        await ctx.core()
      ).tenants.rotate(
        instanceId,
        tenant,
        o.days !== undefined ? { tokenLifetimeDays: wholeNumber(o.days, '--days') } : {},
      );
      if (o.json) return printJson(record, ctx.streams);
      printLines(
        [`New token issued for ${tenant} on ${instanceId}; hand it over again.`, ...recordLines(record)],
        ctx.streams,
      );
    });

  answerCommand(
    'revoke',
    'kill the installation token in the TMS and the keychain (allowed at any time)',
    'print the record as JSON',
    (service, instanceId, tenant) => service.revoke(instanceId, tenant),
    (_record, instanceId, tenant) => [`Token of ${tenant} on ${instanceId} revoked.`],
  );

  tenantCommand(
    tenants,
    'delete',
    'remove the tenant from the TMS, the keychain and the records (an installed tenant needs --force); an adopted one keeps its TMS entry; Elasticsearch data is never deleted',
  )
    .option('--force', 'delete even an installed tenant')
    .option('--json', 'print JSON')
    .action(async (instanceId: string, tenant: string, o: { force?: boolean; json?: boolean }) => {
      const result = await (await ctx.core()).tenants.delete({ instanceId, tenant, force: !!o.force });
      if (o.json) return printJson(result, ctx.streams);
      printLines(
        [
          result.forgotten
            ? `Forgot ${tenant} on ${instanceId}: record and keychain token removed; its TMS entry and Elasticsearch data stay.`
            : `Deleted ${tenant} on ${instanceId} (TMS entry, keychain token, record); its Elasticsearch data stays.`,
        ],
        ctx.streams,
      );
    });

  tenants
    .command('reconcile')
    .description('compare records, keychain, TMS and pending operations; --repair applies every automatic repair')
    .option('--repair', 'apply the proposed repairs (all automatic ones)')
    .option('--id <finding-id...>', 'with --repair: only these findings')
    .option('--json', 'print JSON')
    .action(async (o: { repair?: boolean; id?: string[]; json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      if (!o.repair) {
        if (o.id) throw new ConsoleError('validation', '--id goes with --repair.');
        const report = await service.reconcile();
        if (o.json) return printJson(report, ctx.streams);
        for (const n of report.notes) warn(n, ctx.streams);
        return printLines(reportLines(report), ctx.streams);
      }
      const result = await service.repair(o.id?.length ? o.id : 'all');
      if (o.json) printJson(result, ctx.streams);
      else {
        printLines(
          result.applied.length
            ? result.applied.map((a) => `${a.ok ? 'repaired' : 'FAILED  '} ${a.id}: ${a.detail}`)
            : ['Nothing to repair.'],
          ctx.streams,
        );
        for (const n of result.after.notes) warn(n, ctx.streams);
        if (result.after.findings.length)
          printLines(['', 'Still disagreeing:', ...reportLines(result.after)], ctx.streams);
      }
      const failed = result.applied.filter((a) => !a.ok).length;
      if (failed) {
        ctx.streams.stderr.write(`tenantctl: ${failed} repair(s) failed; see above.\n`);
        process.exitCode = 1;
      }
    });

  tenants
    .command('move-in')
    .description(
      "publish this console's local records (kept before the team registry) to each instance's registry; a record the registry holds with other data waits for your choice",
    )
    .option('--instance <id>', 'with --keep: the instance of the conflicting record')
    .option('--tenant <name>', 'with --keep: the tenant of the conflicting record')
    .option(
      '--keep <which>',
      'resolve one conflict: "team" drops the local record, "local" writes it over the registry\'s',
    )
    .option('--json', 'print JSON')
    .action(async (o: { instance?: string; tenant?: string; keep?: string; json?: boolean }) => {
      const service = (await ctx.core()).tenants;
      if (o.keep !== undefined) {
        if (o.keep !== 'team' && o.keep !== 'local')
          throw new ConsoleError('validation', `--keep: "team" or "local", got "${o.keep.slice(0, 20)}".`);
        if (o.instance === undefined || o.tenant === undefined)
          throw new ConsoleError('validation', '--keep needs --instance and --tenant.');
        const record = await service.resolveMoveIn(o.instance, o.tenant, o.keep);
        if (o.json) return printJson({ record }, ctx.streams);
        return printLines(
          [
            o.keep === 'team'
              ? `Kept the team's record of ${o.tenant}; the local one is dropped.`
              : `Wrote the local record of ${o.tenant} to the team registry.`,
          ],
          ctx.streams,
        );
      }
      const reports = await service.moveInAll();
      if (o.json) return printJson(reports, ctx.streams);
      const lines: string[] = [];
      for (const r of reports) {
        for (const k of r.published) lines.push(`published ${k.tenant} on ${k.instanceId}`);
        for (const k of r.same)
          lines.push(`already in the registry: ${k.tenant} on ${k.instanceId} (local copy dropped)`);
        for (const w of r.waiting) warn(`${w.instanceId}: not published yet: ${w.reason}`, ctx.streams);
        for (const c of r.conflicts)
          lines.push(
            `CONFLICT ${c.tenant} on ${c.instanceId}: ${c.differences.join('; ')}. Choose: tenantctl tenants move-in --instance ${c.instanceId} --tenant ${c.tenant} --keep team|local`,
          );
      }
      printLines(lines.length ? lines : ['No local records to publish.'], ctx.streams);
      if (reports.some((r) => r.conflicts.length)) process.exitCode = 1;
    });

  registerTenantsImportCommand(tenants, ctx);
  registerTenantsAdoptCommands(tenants, ctx, recordLines);
  registerTenantsReportCommand(tenants, ctx);
}
