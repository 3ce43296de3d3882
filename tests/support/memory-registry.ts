/**
 * The team registry in memory, for unit tests of the tenant lifecycle that run without an
 * Elasticsearch: one MemoryRegistryBackend shared by every instance (scoped by suffix, as one
 * cluster would), the RegistryService over it, and who is at the console. Integration tests use
 * the real one (tests/integration/registry-*.test.ts).
 */
import type { OperatorStamp } from '../../shared/team/operator';
import { MemoryRegistryBackend, RegistryService, type RegistryServiceDeps } from '../../main/services/registry';
import type { RegistryTenantDoc } from '../../shared/team/registry';

export interface MemoryTeam {
  backend: MemoryRegistryBackend;
  registry: RegistryService;
  operator: () => OperatorStamp;
  keychainId: string;
}

/** A registry in memory over `instances`, with its cache in `dataDir`. */
export function memoryTeam(
  dataDir: string,
  instances: RegistryServiceDeps['instances'],
  options: { backend?: MemoryRegistryBackend; operator?: OperatorStamp; keychainId?: string } = {},
): MemoryTeam {
  const backend = options.backend ?? new MemoryRegistryBackend();
  const stamp = options.operator ?? { name: 'Unit Tester', workstation: 'unit-host' };
  const operator = () => stamp;
  return {
    backend,
    registry: new RegistryService({ dataDir, instances, operator, backendFor: () => backend }),
    operator,
    keychainId: options.keychainId ?? `tester@unit-host/${dataDir}`,
  };
}

/** Every document of a scope with a change under way (or left by a crash). */
export async function pendingDocs(backend: MemoryRegistryBackend, scope: string): Promise<RegistryTenantDoc[]> {
  return (await backend.page(scope, -1, 100_000))
    .map((d) => d.doc)
    .filter((d) => d.pending !== null || d.phase === 'creating');
}
