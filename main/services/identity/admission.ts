/**
 * The version check where a tenant is created: a create on an instance that reports another
 * profile's version is refused until the profile is fixed (its footprint, names and verification
 * would all be the wrong version's); the preview says so before the operator submits.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { describeReport, type VersionCheck } from '../../../shared/instances/version-check';
import type { VersionProbe } from './version-probe';

type Checked = Pick<Instance, 'id' | 'apiUrl' | 'tenancy' | 'tracardiVersion'>;

/** The refusal of a create on an instance whose reported version is another profile's (a `mismatch` check). */
export function versionRefusal(check: VersionCheck): ConsoleError {
  const reported = check.reported ?? { version: null, dbVersion: null, profile: null };
  const fix = reported.profile ?? '?';
  return new ConsoleError(
    'version-mismatch',
    `Instance ${check.instanceId} reports ${describeReport(reported)}, the ${fix} profile, but is registered as ${check.registered}: no tenant is created on it until its version profile is ${fix}.`,
    { instanceId: check.instanceId, remedy: 'set-version-profile' },
  );
}

/**
 * Refuses a create when the instance reports another profile's version. An instance that does not
 * answer is not refused here (creating a tenant needs the TMS, not the Tracardi API). No probe: no check.
 */
export async function refuseVersionMismatch(
  probe: VersionProbe | undefined,
  instance: Checked,
  tenantHost?: string,
): Promise<void> {
  if (!probe) return;
  const check = await probe.check(instance, tenantHost === undefined ? {} : { tenantHost });
  if (check.outcome === 'mismatch') throw versionRefusal(check);
}

/** The preview's version line (a mismatch worded as the create's refusal); null without a probe. */
export async function previewVersion(
  probe: VersionProbe | undefined,
  instance: Checked,
  tenantHost: string,
): Promise<{ outcome: VersionCheck['outcome']; message: string } | null> {
  if (!probe) return null;
  const check = await probe.check(instance, { tenantHost });
  return {
    outcome: check.outcome,
    message: check.outcome === 'mismatch' ? versionRefusal(check).message : check.message,
  };
}
