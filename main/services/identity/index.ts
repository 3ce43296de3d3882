/**
 * Which Tracardi an instance runs, against its version profile. The public API:
 * `import { VersionProbe } from './services/identity'`; the comparison is pure (shared/instances/version-check.ts).
 */
export { VersionProbe, type VersionDetailsSource } from './version-probe';
export { previewVersion, refuseVersionMismatch, versionRefusal } from './admission';
