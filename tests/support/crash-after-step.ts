/**
 * Test-only tenantctl entry that SIGKILLs its own process right after a chosen step of the create
 * saga, so tests can prove that `tenants reconcile --repair` finishes the job. The product carries
 * no hook for this: the fault is injected through the tenant service's settings dependency.
 *
 *   node --import tsx tests/support/crash-after-step.ts <journal|keychain|tms|record> <tenantctl args…>
 *
 * The saga writes the settings file after each step (journal entry added at step "journal", its
 * step set to "keychain" and then "tms", the record written with the entry removed); the wrapped
 * store lets that write land on disk, then kills the process, exactly as a crash would.
 */
import { runCli } from '../../main/cli/index';
import { createCore, type CoreOptions } from '../../main/core';
import type { SettingsFile, SettingsStore } from '../../main/services/settings-store';
import { CREATE_STEPS, TenantService, type CreateStep } from '../../main/services/tenants';

function isStep(value: string | undefined): value is CreateStep {
  return (CREATE_STEPS as readonly string[]).includes(value ?? '');
}

/** True when `after` shows the create saga has just completed `step` (compared with `before`). */
export function completedStep(step: CreateStep, before: SettingsFile, after: SettingsFile): boolean {
  if (step === 'record') return after.tenants.length > before.tenants.length;
  const stepOf = (file: SettingsFile) =>
    new Map(
      (file.journal as { id: string; op: string; step: string }[])
        .filter((j) => j.op === 'create')
        .map((j) => [j.id, j.step]),
    );
  const was = stepOf(before);
  return [...stepOf(after)].some(([id, s]) => s === step && was.get(id) !== step);
}

/** A settings store that kills the process right after the write completing `step`. */
export function crashingSettings(inner: SettingsStore, step: CreateStep): SettingsStore {
  return {
    path: inner.path,
    read: () => inner.read(),
    status: () => inner.status(),
    assertWritable: () => inner.assertWritable(),
    takeUrlCredentials: () => inner.takeUrlCredentials(),
    report: (line) => inner.report(line),
    update(fn) {
      let before: SettingsFile | null = null;
      const written = inner.update((draft) => {
        before = structuredClone(draft);
        return fn(draft);
      });
      if (before && completedStep(step, before, written)) process.kill(process.pid, 'SIGKILL');
      return written;
    },
  };
}

const [, , step, ...args] = process.argv;
if (!isStep(step)) {
  process.stderr.write(`crash-after-step: the first argument is one of ${CREATE_STEPS.join(', ')}\n`);
  process.exit(2);
}
const code = await runCli([process.argv[0]!, 'tenantctl', ...args], {
  createCore: async (options?: CoreOptions) => {
    const core = await createCore(options);
    return { ...core, tenants: new TenantService({ ...core, settings: crashingSettings(core.settings, step) }) };
  },
});
process.exit(code);
