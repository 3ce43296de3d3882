/**
 * The contract's handlers: one thin function per call, each delegating to a core service. Electron's
 * IPC and the browser shell both serve these through `dispatch`, which has already validated the
 * arguments with the contract's schemas.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppStatus, VerifyJob } from '../shared/contract';
import { ConsoleError, toConsoleError } from '../shared/errors';
import { instanceSchema, type Instance } from '../shared/instance';
import type { VerificationResult } from '../shared/tenant';
import type { Core } from './core';
import { testConnection } from './services/connection-check';
import type { Handlers } from './transport/dispatch';

export interface ShellDeps {
  /** Ask the operator where to write a hand-off sheet (Electron's save dialog); null = cancelled. */
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
    const first = parsed.error.issues[0];
    throw new ConsoleError(
      'validation',
      `Invalid instance: ${first ? `${first.path.join('.') || 'instance'}: ${first.message}` : 'check the form'}`,
    );
  }
  return parsed.data;
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
        problems: status.problems,
        clipboard: deps.clipboard === true,
        clipboardClearSeconds: prefs.clipboardClearSeconds,
        theme: prefs.theme,
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

    'instances.list': async () => core.instances.listDetails(),
    'instances.get': async ({ id }) => core.instances.details(id),
    'instances.add': async ({ instance, secrets }) => core.instances.add(instance, secrets),
    'instances.update': async ({ id, patch, secrets }) => core.instances.update(id, patch, secrets),
    'instances.remove': async ({ id, force }) => {
      const result = await core.instances.remove(id, { force });
      return { removed: result.removed };
    },
    'instances.testConnection': async ({ instance, secrets }) => {
      const candidate = parseInstance(instance);
      // Secrets typed in the form win; otherwise use what an existing instance keeps in the keychain.
      const known = (await core.instances.list()).some((v) => v.instance.id === candidate.id);
      const stored = known ? await core.instances.resolveSecrets(candidate.id) : {};
      return testConnection(candidate, { ...stored, ...secrets });
    },

    'capacity.snapshot': async ({ id }) => core.capacity.snapshot(id),

    'tenants.list': async ({ instanceId }) => core.tenants.rows(instanceId === undefined ? {} : { instanceId }),
    'tenants.get': async ({ instanceId, tenant }) => core.tenants.get(instanceId, tenant),
    'tenants.preview': async ({ instanceId, domain, quick }) => core.tenants.preview({ instanceId, domain, quick }),
    'tenants.create': async (args) => {
      const input = { ...args };
      return core.tenants.create(input);
    },
    'tenants.revealToken': async ({ instanceId, tenant }) => core.tenants.revealToken(instanceId, tenant),
    'tenants.copyToken': async ({ instanceId, tenant }) => core.tenants.copyToken(instanceId, tenant),
    'tenants.exportHandoff': async ({ instanceId, tenant, path: requested }) => {
      const suggested = `tracardi-handoff-${instanceId}-${tenant}.md`;
      let target = requested ?? null;
      if (target === null && deps.chooseExportPath) {
        target = await deps.chooseExportPath(suggested);
        if (target === null) throw new ConsoleError('validation', 'Export cancelled: no file chosen.');
      }
      if (target === null) {
        // The browser shell writes into the data folder's private exports/ folder.
        const dir = path.join(core.dataDir, 'exports');
        await mkdir(dir, { recursive: true, mode: 0o700 });
        target = path.join(dir, suggested);
      }
      return core.tenants.exportHandoff(instanceId, tenant, target, { overwrite: requested === undefined });
    },
    'tenants.markHandedOver': async ({ instanceId, tenant }) => core.tenants.markHandedOver(instanceId, tenant),
    'tenants.rotate': async ({ instanceId, tenant }) => core.tenants.rotate(instanceId, tenant),
    'tenants.revoke': async ({ instanceId, tenant }) => core.tenants.revoke(instanceId, tenant),
    'tenants.delete': async ({ instanceId, tenant, force }) => core.tenants.delete({ instanceId, tenant, force }),
    'tenants.report': async ({ format, instanceId }) =>
      core.report.render({ format, ...(instanceId !== undefined ? { instanceId } : {}) }),
    'tenants.reconcile': async () => (await core.tenants.reconcile()).findings,
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

    'audit.list': async (query) => core.audit.list(query),
  };
}
