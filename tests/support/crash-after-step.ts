/**
 * Test-only tenantctl entry that SIGKILLs its own process right after a chosen step of the create
 * saga, so tests can prove that `tenants reconcile --repair` (of this console or another) finishes
 * the job. The product carries no hook for this: the fault is injected through the tenant service's
 * registry dependency.
 *
 *   node --import tsx tests/support/crash-after-step.ts <journal|keychain|tms|record> <tenantctl args…>
 *
 * The saga writes the tenant's document in the instance's team registry after each step (the claim
 * at step "journal", its pending step set to "keychain" and then "tms", the document made active at
 * "record"); the wrapped registry lets that write land in Elasticsearch, then kills the process,
 * exactly as a crash would.
 */
import { runCli } from '../../main/cli/index';
import { createCore, type CoreOptions } from '../../main/core';
import type { InstanceRegistry } from '../../main/services/registry';
import { CREATE_STEPS, TenantService, type CreateStep } from '../../main/services/tenants';
import type { RegistryTenantDoc } from '../../shared/team/registry';

function isStep(value: string | undefined): value is CreateStep {
  return (CREATE_STEPS as readonly string[]).includes(value ?? '');
}

/** The create step a registry write completes, if it is one. */
export function stepOf(
  write: 'claim' | 'write',
  doc: RegistryTenantDoc,
  before?: RegistryTenantDoc,
): CreateStep | null {
  if (write === 'claim') return doc.phase === 'creating' ? 'journal' : null;
  if (doc.phase === 'active' && before?.phase === 'creating') return 'record';
  if (doc.pending?.op === 'create' && doc.pending.step !== before?.pending?.step) {
    const s = doc.pending.step;
    return s === 'keychain' || s === 'tms' ? s : null;
  }
  return null;
}

/** An instance registry that kills the process right after the write completing `step`. */
export function crashingRegistry(inner: InstanceRegistry, step: CreateStep): InstanceRegistry {
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'claim')
        return async (doc: RegistryTenantDoc) => {
          const out = await target.claim(doc);
          if (stepOf('claim', doc) === step) process.kill(process.pid, 'SIGKILL');
          return out;
        };
      if (name === 'write')
        return async (from: { doc: RegistryTenantDoc }, doc: RegistryTenantDoc, options?: { refresh?: boolean }) => {
          const out = await target.write(from as never, doc, options);
          if (stepOf('write', doc, from.doc) === step) process.kill(process.pid, 'SIGKILL');
          return out;
        };
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const [, , step, ...args] = process.argv;
if (!isStep(step)) {
  process.stderr.write(`crash-after-step: the first argument is one of ${CREATE_STEPS.join(', ')}\n`);
  process.exit(2);
}
const code = await runCli([process.argv[0]!, 'tenantctl', ...args], {
  createCore: async (options?: CoreOptions) => {
    const core = await createCore(options);
    const registry = { of: async (id: string) => crashingRegistry(await core.registry.of(id), step) };
    return { ...core, tenants: new TenantService({ ...core, registry }) };
  },
});
process.exit(code);
