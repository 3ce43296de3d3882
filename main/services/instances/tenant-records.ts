/** The tenant records the settings file holds for an instance, as a removal sees them. */
import type { SettingsFile } from '../settings-store';

/** The tenant records of an instance (tenant records carry `instanceId`, shared/tenants/tenant.ts). */
export function tenantsOf(settings: SettingsFile, instanceId: string): unknown[] {
  return settings.tenants.filter(
    (t) => typeof t === 'object' && t !== null && (t as { instanceId?: unknown }).instanceId === instanceId,
  );
}

export function tenantName(record: unknown): string {
  const name = (record as { tenant?: unknown }).tenant;
  return typeof name === 'string' ? name : '?';
}
