/**
 * The contract's handlers: one thin function per call, each delegating to a core service. Electron's
 * IPC and the browser shell both serve these through `dispatch`, which has already validated the
 * arguments with the contract's schemas.
 */
import { randomUUID } from 'node:crypto';
import type { AppStatus, VerifyJob } from '../shared/contract/contract';
import { ConsoleError, describeIssues, toConsoleError } from '../shared/errors/errors';
import { instanceInputProblem } from '../shared/text/input-rules';
import { instanceSchema, type Instance } from '../shared/instances/instance';
import { fieldWords } from '../shared/text/schema-words';
import type { VerificationResult } from '../shared/tenants/tenant';
import type { Core } from './core';
import { testConnection } from './services/connection-check';
import { accountFor, keychainStatus } from './services/keychain';
import type { Handlers } from './transport/dispatch';

export interface ShellDeps {
  /**
   * Ask the operator where to write a hand-off sheet (Electron: main's save dialog); null = cancelled.
   * Without it (browser shell) the sheet goes to the page, which downloads it.
   */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
  /** True when the core was given the workstation clipboard (Electron): then main copies and clears. */
  clipboard?: boolean;
  /** Which shell serves the handlers (shown in the status bar). */
  shell?: AppStatus['shell'];
}

interface Job {
  total: number;
  done: number;
  finished: boolean;
  results: VerificationResult[];
  error?: ConsoleError;
  finishedAt?: number;
}

/** Finished verification jobs are kept this long for a late poll, then dropped. */
const JOB_TTL_MS = 10 * 60_000;

function parseInstance(raw: unknown): Instance {
  const parsed = instanceSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConsoleError('validation', `Invalid instance: ${describeIssues(parsed.error, fieldWords)}`);
  }
  // The same input rules as an add (shared/text/input-rules.ts): a form's values are refused before a connection.
  const problem = instanceInputProblem(parsed.data);
  if (problem) throw new ConsoleError('validation', `Invalid instance: ${problem}`);
  return parsed.data;
}

/** Every instance id, in the settings' order. */
async function instanceIds(core: Core): Promise<string[]> {
  return (await core.instances.list()).map((s) => s.instance.id);
}

/** `{ expectedVersion }` when the screen sent one. */
function expected(version: string | undefined): { expectedVersion?: string } {
  return version === undefined ? {} : { expectedVersion: version };
}

/** Build the handler map over a core. */
export function createHandlers(core: Core, deps: ShellDeps = {}): Handlers {
  const jobs = new Map<string, Job>();

  function sweepJobs(): void {
    const now = Date.now();
    for (const [id, job] of jobs)
      if (job.finishedAt !== undefined && now - job.finishedAt > JOB_TTL_MS) jobs.delete(id);
  }

  return {
    'app.status': async () => {
      const status = core.settings.status();
      const prefs = core.settings.read().preferences;
      return {
        shell: deps.shell ?? (core.shell === 'electron' ? 'electron' : core.shell === 'cli' ? 'cli' : 'browser'),
        dataDir: core.dataDir,
        settingsPath: status.path,
        readOnly: status.readOnly,
        problems: [...status.problems, ...core.notices.list()],
        clipboard: deps.clipboard === true,
        clipboardClearSeconds: prefs.clipboardClearSeconds,
        theme: prefs.theme,
        operator: core.operator.view(),
        keychain: core.keychainId,
      };
    },
    'preferences.set': async (args) => {
      const written = core.settings.update((draft) => {
        if (args.clipboardClearSeconds !== undefined)
          draft.preferences.clipboardClearSeconds = args.clipboardClearSeconds;
        if (args.theme !== undefined) draft.preferences.theme = args.theme;
      });
      return written.preferences;
    },
    'operator.set': async (input) => core.operator.set(input),
    'app.keychain': async () => keychainStatus(core.secrets, core.keychainService),

    'instances.summaries': async () => core.instances.list(),
    'instances.list': async () => core.instances.listDetails(),
    'instances.add': async ({ instance, secrets }) => core.instances.add(instance, secrets),
    'instances.update': async ({ id, patch, secrets }) => core.instances.update(id, patch, secrets),
    'instances.remove': async ({ id, force }) => {
      const result = await core.instances.remove(id, { force });
      return { removed: result.removed };
    },
    'instances.testConnection': async ({ instance, secrets }) => {
      const candidate = parseInstance(instance);
      // Secrets typed in the form win; otherwise use what an existing instance keeps in the keychain.
      const saved = (await core.instances.list()).find((v) => v.instance.id === candidate.id)?.instance;
      const stored = saved ? await core.instances.resolveSecrets(candidate.id) : {};
      // The form cannot name a CA file; an existing instance's own (set with tenantctl) still applies.
      if (saved?.es.tls.caFile !== undefined && candidate.es.tls.caPem === undefined)
        candidate.es.tls.caFile = saved.es.tls.caFile;
      return testConnection(candidate, { ...stored, ...secrets });
    },
    'instances.versionCheck': async ({ id }) => core.versions.check((await core.instances.get(id)).instance),

    'instances.test': async ({ id }) => {
      const { instance } = await core.instances.get(id);
      return testConnection(instance, await core.instances.resolveSecrets(id));
    },
    'instances.indices': async ({ id, tenant, pattern, limit }) =>
      core.indices.list(id, {
        limit,
        ...(tenant !== undefined ? { tenant } : {}),
        ...(pattern !== undefined ? { pattern } : {}),
      }),

    'capacity.snapshot': async ({ id }) => {
      // A refresh of the screen brings the team's record too: the registry's steady sync (one
      // statistics request when nothing changed) runs beside the snapshot, on the same cluster.
      const [snapshot] = await Promise.all([
        core.capacity.snapshot(id),
        core.tenants.refreshRegistry(id).catch(() => null),
      ]);
      return snapshot;
    },
    'capacity.place': async ({ version, count, environment }) =>
      core.placement.place({
        count,
        ...(version !== undefined ? { version } : {}),
        ...(environment !== undefined ? { environment } : {}),
      }),
    'capacity.history': async ({ id, range, points }) => {
      await core.instances.get(id); // an unknown id is an error, not an empty history
      await core.capacity.flush(); // the snapshots answered so far are in it: every screen reads the same forecast
      return core.history.view(id, range, points);
    },
    'capacity.headroom': async () => {
      await core.capacity.flush();
      return core.history.headroom((await core.instances.list()).map((s) => s.instance.id));
    },

    'tenants.list': async ({ instanceId }) => core.tenants.rows(instanceId === undefined ? {} : { instanceId }),
    'tenants.head': async ({ limit }) => {
      // The first screen draws from the cache at once; the full list (tenants.list) syncs.
      const rows = await core.tenants.rows({ cachedOnly: true });
      return { rows: rows.slice(0, limit), total: rows.length };
    },
    'tenants.get': async ({ instanceId, tenant }) => ({
      ...(await core.tenants.get(instanceId, tenant)),
      // Whether the token is here (never the token): the window offers its actions by it.
      tokenInKeychain: await core.secrets.list(accountFor.tokenPrefix(instanceId)).then(
        (accounts) => accounts.includes(accountFor.token(instanceId, tenant)),
        () => null,
      ),
    }),
    'tenants.preview': async ({ instanceId, domain, quick, outsideSuffix }) =>
      core.tenants.preview({ instanceId, domain, quick, ...(outsideSuffix ? { outsideSuffix } : {}) }),
    'tenants.create': async (args) => {
      const input = { ...args };
      return core.tenants.create(input);
    },
    'tenants.revealToken': async ({ instanceId, tenant }) => core.tenants.revealToken(instanceId, tenant),
    'tenants.copyToken': async ({ instanceId, tenant }) => core.tenants.copyToken(instanceId, tenant),
    'tenants.exportHandoff': async ({ instanceId, tenant }) => {
      const fileName = `tracardi-handoff-${instanceId}-${tenant}.md`;
      // Electron: main's own save dialog picks the file (it asked about overwriting). Browser shell:
      // the page downloads the sheet, onto the operator's machine, never onto the server's disk.
      if (!deps.chooseExportPath) {
        return { saved: 'download', fileName, content: await core.tenants.handoffSheet(instanceId, tenant) };
      }
      const target = await deps.chooseExportPath(fileName);
      if (target === null) throw new ConsoleError('validation', 'Export cancelled: no file chosen.');
      const { path: written } = await core.tenants.exportHandoff(instanceId, tenant, target, { overwrite: true });
      return { saved: 'file', path: written };
    },
    'tenants.markHandedOver': async ({ instanceId, tenant, expectedVersion }) =>
      core.tenants.markHandedOver(instanceId, tenant, expected(expectedVersion)),
    'tenants.rotate': async ({ instanceId, tenant, expectedVersion }) =>
      core.tenants.rotate(instanceId, tenant, expected(expectedVersion)),
    'tenants.revoke': async ({ instanceId, tenant, expectedVersion }) =>
      core.tenants.revoke(instanceId, tenant, expected(expectedVersion)),
    'tenants.delete': async ({ instanceId, tenant, force, expectedVersion }) =>
      core.tenants.delete({ instanceId, tenant, force, ...expected(expectedVersion) }),
    'tenants.moveIns': async () => core.tenants.moveInReports(),
    'tenants.resolveMoveIn': async ({ instanceId, tenant, keep }) => ({
      record: await core.tenants.resolveMoveIn(instanceId, tenant, keep),
    }),
    'registry.status': async ({ sync }) => {
      // Synced through the tenant list, so another operator's changes it finds reach the Changes feed.
      if (sync) await core.tenants.byInstance();
      return core.registry.status(await instanceIds(core));
    },
    'audit.verify': async ({ instanceId }) =>
      core.registry.verifyAudit(instanceId !== undefined ? [instanceId] : await instanceIds(core)),
    'tenants.discover': async ({ id }) => core.discovery.discover(id),
    'tenants.adopt': async (args) => core.tenants.adopt(args),
    'tenants.report': async ({ format, instanceId }) =>
      core.report.render({ format, ...(instanceId !== undefined ? { instanceId } : {}) }),
    'tenants.repair': async ({ findingIds }) => (await core.tenants.repair(findingIds)).after.findings,

    'verify.start': async ({ scope, concurrency }) => {
      sweepJobs();
      const jobId = randomUUID();
      const job: Job = { total: 0, done: 0, finished: false, results: [] };
      jobs.set(jobId, job);
      const started = core.verify.verify(scope, {
        ...(concurrency !== undefined ? { concurrency } : {}),
        onProgress: (p) => {
          job.total = p.total;
          job.done = p.done;
          if (p.result) job.results.push(p.result);
        },
      });
      started.then(
        (run) => {
          job.done = run.results.length;
          job.total = run.results.length;
          job.finished = true;
          job.finishedAt = Date.now();
        },
        (err: unknown) => {
          job.error = toConsoleError(err);
          job.finished = true;
          job.finishedAt = Date.now();
        },
      );
      return { jobId, total: job.total };
    },
    'verify.poll': async ({ jobId, since }) => {
      const job = jobs.get(jobId);
      if (!job) throw new ConsoleError('not-found', 'This verification run is unknown or expired: start a new one.');
      const answer: VerifyJob = {
        jobId,
        total: job.total,
        done: job.done,
        finished: job.finished,
        results: job.results.slice(since),
      };
      if (job.error) answer.error = job.error.toJSON();
      return answer;
    },

    'audit.list': async ({ outcome, limit, ...query }) => {
      if (outcome === undefined) return core.audit.list({ ...query, limit });
      // The log filters by everything but the outcome: filter the matches, then keep the newest.
      const all = await core.audit.list(query);
      return all.filter((e) => e.outcome === outcome).slice(0, limit);
    },

    'watch.status': async () => core.watch.status(),
    'watch.changes': async ({ since, limit }) => core.watch.changes(since, limit),
    'watch.configure': async (patch) => core.watch.configure(patch),
    'watch.runNow': async () => core.watch.runNow(),
    'watch.acknowledged': async () => core.watch.acknowledgements(),
    'watch.acknowledge': async (add) => core.watch.acknowledge(add),
  };
}
