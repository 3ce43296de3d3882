/** Install status verification's public API: `import { VerifyService } from './services/verify'`. */
export { VerifyService } from './verify-service';
export { runPool } from './pool';
export { keepsMysql } from './identity';
export {
  STATUS_PRECEDENCE,
  buildListing,
  deriveStatus,
  esCouldNotTell,
  evaluateDns,
  evaluateEs,
  type EsListing,
  type KnownInstances,
  type StatusInput,
} from './evaluate';
export type {
  TenantRef,
  VerifyAudit,
  VerifyInstances,
  VerifyOptions,
  VerifyProgress,
  VerifyRun,
  VerifyScope,
  VerifyServiceDeps,
  VerifyStats,
  VerifyTenants,
  VerifyTokenStore,
  VerifyTracardi,
} from './types';
