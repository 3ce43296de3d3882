/**
 * The team registry: each instance's record of its tenants and its audit trail, kept in hidden
 * indices of the instance's own Elasticsearch and cached in the data folder (docs/registry.md).
 */
export {
  RegistryConflict,
  type AuditFilter,
  type RegistryBackend,
  type RegistryPrivileges,
  type Stored,
  type Versioned,
} from './backend';
export { RegistryCache, type CacheState, type RegistryHealth } from './cache';
export { EsRegistryBackend, tokenOf, type EsRequest, type EsRequester, type EsResponse } from './es-backend';
export { MemoryRegistryBackend } from './memory-backend';
export { InstanceRegistry, type SyncOutcome } from './instance-registry';
export { RegistryService, clientRequester, type RegistryServiceDeps } from './registry-service';
export { entryHash, genesisHash, verifyChain, type ChainProblem, type ChainReport } from './audit-chain';
export { RECENT_WINDOW, RECENT_MARGIN, windowStart, FULL_SYNC_MS, type DocChange } from './sync';
