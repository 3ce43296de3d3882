// What GET and POST /install do for one tenant, apart from HTTP: status check and idempotent install.
import type { Es } from './es';
import type { Context, Partitioning } from './naming';
import type { ShardSettings, VersionProfile } from './profiles';
import {
  expectedArtefacts,
  installArtefacts,
  missingArtefacts,
  namesFor,
  readState,
  type CreatedArtefacts,
} from './schema';
import { userStore } from './users';

export interface TenantStatus {
  schemaOk: boolean;
  adminOk: boolean;
  missing: string[];
}

export interface ContextResult {
  created: CreatedArtefacts;
  admin: boolean;
}

export interface InstallRequest {
  email: string;
  password: string;
  needsAdmin: boolean;
}

export interface InstallSettings {
  profile: VersionProfile;
  shards: ShardSettings;
  /** Period of each partitioned type (profiles.periodsFor). */
  periods: Readonly<Record<string, Partitioning>>;
  now: Date;
}

const CONTEXTS: readonly Context[] = ['staging', 'production'];

/** Tracardi's own check: every artefact of both contexts exists, and both contexts have an admin. */
export async function tenantStatus(
  es: Es,
  profile: VersionProfile,
  tenant: string,
  shards: ShardSettings,
): Promise<TenantStatus> {
  const names = namesFor(profile, tenant);
  const users = userStore(es, profile, names);
  const [state, ...admins] = await Promise.all([readState(es, names), ...CONTEXTS.map((c) => users.hasAdmin(c))]);
  const missing = missingArtefacts(expectedArtefacts(profile, tenant, shards), state);
  return { schemaOk: missing.length === 0, adminOk: admins.every(Boolean), missing };
}

/** Installs staging (with the static indices) then production; returns `[staging, production]`. */
export async function installTenant(
  es: Es,
  tenant: string,
  settings: InstallSettings,
  request: InstallRequest,
): Promise<ContextResult[]> {
  const { profile } = settings;
  const names = namesFor(profile, tenant);
  const users = userStore(es, profile, names);
  const all = expectedArtefacts(profile, tenant, settings.shards);
  const results: ContextResult[] = [];
  for (const context of CONTEXTS) {
    const artefacts = all.filter((a) => a.context === context || (context === 'staging' && a.context === 'static'));
    const created = await installArtefacts({
      es,
      artefacts,
      names,
      replicas: settings.shards.replicas,
      periods: settings.periods,
      now: settings.now,
    });
    if (request.needsAdmin) await users.putAdmin(context, request.email, request.password);
    results.push({ created, admin: await users.hasAdmin(context) });
  }
  return results;
}
