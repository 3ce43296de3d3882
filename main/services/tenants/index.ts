/** The tenant lifecycle's public API: `import { TenantService } from './services/tenants'`. */
export { TenantService } from './tenant-service';
export { renderHandoffSheet } from './handoff-sheet';
export { fillGuiPattern } from './preview';
export {
  CREATE_STEPS,
  FINDING_KINDS,
  MIN_OVERRIDE_REASON,
  TOKEN_BYTES,
  type AdoptionDiscovery,
  type CapacitySource,
  type Clipboard,
  type CreateInput,
  type CreateStep,
  type FindingKind,
  type JournalEntry,
  type PreviewInput,
  type ReconcileFinding,
  type ReconcileReport,
  type RepairOutcome,
  type RepairReport,
  type RevealedToken,
  type TenantInstanceSource,
  type TenantPreview,
  type TenantServiceDeps,
} from './types';
