/**
 * `tenantctl tenants verify [<instance> [<tenant>]] [--all] [--concurrency N] [--resolve R]… [--json]`:
 * the install status report. Registered under the `tenants` command by `registerVerifyCommand(tenants, ctx)`.
 * `--resolve host:port:address` (curl's syntax; `host=address` too, as `serve` takes) verifies a host
 * before DNS points at it: its lookups answer the address and Tracardi requests connect there.
 *
 * Exit codes: 0 when the report was produced, whatever the statuses in it (not installed is an
 * answer); 1 when the verification itself failed: it could not run (unknown instance, cancelled),
 * an instance's Elasticsearch could not be listed, or results could not be stored; 2 for bad input.
 */
import type { Command } from 'commander';
import { ConsoleError } from '../../../shared/errors/errors';
import { VERIFY_STATUSES } from '../../../shared/tenants/tenant';
import type { VerifyRun, VerifyScope, VerifyService } from '../../services/verify';
import { parseResolveRule } from '../../services/resolve-rules';
import type { CliContext } from '../context';
import { RESOLVE_FLAGS, RESOLVE_HELP, collectRule } from '../resolve-option';
import { EXIT_FAILURE, formatTable, printJson, printLines, warn, type OutputStreams } from '../output';
import { onStopSignals } from '../stop-signals';

interface VerifyCliOptions {
  all?: boolean;
  concurrency?: string;
  json?: boolean;
  resolve?: string[];
}

/** The verify service of the core (added to `Core` by the composition root). */
type CoreWithVerify = { verify: VerifyService };

/** Adds `verify` under the `tenants` command. */
export function registerVerifyCommand(tenants: Command, ctx: CliContext): void {
  tenants
    .command('verify')
    .description(
      'verify install status: DNS, who answers (GET /info/version/details), Tracardi GET /install (as the tenant), Elasticsearch artefacts',
    )
    .argument('[instance]', 'instance id (all its tenants, or one with <tenant>)')
    .argument('[tenant]', 'tenant name')
    .option('--all', 'every tenant of every instance')
    .option('--concurrency <n>', 'tenants probed at once (1-64, default 16)')
    .option(RESOLVE_FLAGS, RESOLVE_HELP, collectRule)
    .option('--json', 'results and run statistics as JSON on stdout')
    .action(async (instance: string | undefined, tenant: string | undefined, opts: VerifyCliOptions) => {
      const scope = scopeFrom(instance, tenant, opts.all === true);
      const concurrency = parseConcurrency(opts.concurrency);
      const rules = (opts.resolve ?? []).map(parseResolveRule);
      const core = (await ctx.core({ resolveRules: rules })) as unknown as Partial<CoreWithVerify>;
      if (!core.verify) throw new ConsoleError('internal', 'This build has no verify service in its core.');

      const progress = progressReporter(ctx.streams, opts.json === true);
      const controller = new AbortController();
      // Ctrl-C cancels the checks still to run; the report of those done is printed.
      const release = onStopSignals(() => controller.abort(), ['SIGINT']);
      let run: VerifyRun;
      try {
        run = await core.verify.verify(scope, {
          signal: controller.signal,
          onProgress: (p) => progress(p.done, p.total),
          ...(concurrency !== undefined ? { concurrency } : {}),
        });
      } finally {
        release();
        progress.end();
      }

      if (opts.json) printJson(run, ctx.streams);
      else printReport(run, ctx.streams);
      for (const e of run.stats.instanceErrors)
        warn(`instance ${e.instanceId}: Elasticsearch could not be listed: ${e.message}`, ctx.streams);
      if (run.stats.recordFailures.length > 0) {
        warn(
          `${run.stats.recordFailures.length} result(s) could not be stored: ${run.stats.recordFailures[0]!.message}`,
          ctx.streams,
        );
      }
      // Exit 1 after the report: part of the verification could not be done (the warnings say which).
      if (run.stats.instanceErrors.length > 0 || run.stats.recordFailures.length > 0) process.exitCode = EXIT_FAILURE;
    });
}

function scopeFrom(instance: string | undefined, tenant: string | undefined, all: boolean): VerifyScope {
  if (all && instance !== undefined)
    throw new ConsoleError('validation', '--all verifies the whole fleet: give no instance with it.');
  if (all) return { fleet: true };
  if (instance === undefined)
    throw new ConsoleError('validation', 'Name an instance (and optionally a tenant), or use --all for the fleet.');
  if (tenant !== undefined) return { tenant: { instanceId: instance, tenant } };
  return { instanceId: instance };
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new ConsoleError('validation', `--concurrency must be a whole number from 1 to 64 (got "${value}").`);
  return n;
}

/** `verified 120/1000` on stderr: rewritten in place on a terminal, about once a second otherwise. */
function progressReporter(
  streams: OutputStreams,
  quiet: boolean,
): ((done: number, total: number) => void) & { end(): void } {
  const tty = (streams.stderr as { isTTY?: boolean }).isTTY === true;
  let last = 0;
  let shown = false;
  let pending: string | null = null;
  const report = (done: number, total: number): void => {
    if (quiet || total <= 1) return;
    const text = `verified ${done}/${total}`;
    const now = Date.now();
    if (tty) {
      streams.stderr.write(`\r${text}`);
      shown = true;
    } else if (now - last >= 1000 || done === total) {
      streams.stderr.write(`${text}\n`);
      last = now;
      pending = null;
      return;
    } else {
      pending = text;
    }
  };
  return Object.assign(report, {
    end(): void {
      if (tty && shown) streams.stderr.write('\n');
      else if (pending) streams.stderr.write(`${pending}\n`);
    },
  });
}

function printReport(run: VerifyRun, streams: OutputStreams): void {
  const { results, stats } = run;
  if (results.length === 0) {
    printLines(['No tenants to verify.'], streams);
    return;
  }
  const instances = new Set(results.map((r) => r.instanceId)).size;
  const rows = results.map((r) => [...(instances > 1 ? [r.instanceId] : []), r.tenant, r.status, r.summary]);
  const headers = [...(instances > 1 ? ['INSTANCE'] : []), 'TENANT', 'STATUS', 'SUMMARY'];
  const counts = VERIFY_STATUSES.filter((s) => stats.byStatus[s] > 0).map((s) => `${s} ${stats.byStatus[s]}`);
  printLines(
    [
      ...formatTable(headers, rows),
      '',
      `${stats.tenants} tenant(s) on ${stats.instances} instance(s) in ${(stats.durationMs / 1000).toFixed(1)} s: ${counts.join(', ')}; ${stats.esRequests} Elasticsearch request(s), ${stats.identityRequests} identity request(s).`,
    ],
    streams,
  );
}
