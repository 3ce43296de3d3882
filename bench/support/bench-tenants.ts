/**
 * The benches' fleet: plausible instances and tenant records (status badges, three in four verified),
 * the same for every build and every store (config.json, the team registry), so two builds are
 * compared on the same records.
 */
import type { Instance } from '../../shared/instances/instance';
import {
  VERIFY_STATUSES,
  type TenantRecord,
  type VerificationResult,
  type VerifyStatus,
} from '../../shared/tenants/tenant';

const WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'soylent', 'stark', 'wayne', 'wonka', 'tyrell'];
const ENVIRONMENTS = ['production', 'production', 'staging', 'development', 'test'] as const;
const NOW = Date.parse('2026-06-01T00:00:00Z');

/** A plausible verification result for the list's status badges (evidence kept small). */
function verification(instanceId: string, tenant: string, status: VerifyStatus, at: string): VerificationResult {
  const dns = { domain: `${tenant}.x`, addresses: ['10.0.0.1'], expected: ['10.0.0.1'], outcome: 'ok' as const };
  return {
    instanceId,
    tenant,
    status,
    summary: `Bench result: ${status}.`,
    checkedAt: at,
    evidence: {
      dns: { api: dns, gui: dns },
      install: { outcome: status === 'installed' ? 'installed' : 'not-installed', httpStatus: 200 },
      es: {
        outcome: status === 'installed' ? 'complete' : 'none',
        indicesExpected: 12,
        indicesFound: status === 'installed' ? 12 : 0,
        aliasesExpected: 12,
        aliasesFound: status === 'installed' ? 12 : 0,
        templatesExpected: 12,
        templatesFound: status === 'installed' ? 12 : 0,
        missing: [],
      },
      token: { expiresAt: null, expired: false, inKeychain: true },
    },
  };
}

/**
 * Instance `i` (0-based) of a bench fleet: `id`, tenants under `suffix` (its registry scope), its
 * Elasticsearch at `esUrl` (a name that resolves nowhere when only config.json is read).
 */
export function benchInstance(i: number, id: string, suffix: string, esUrl?: string): Instance {
  return {
    id,
    name: `Bench instance ${i + 1}`,
    environment: ENVIRONMENTS[i % ENVIRONMENTS.length] as (typeof ENVIRONMENTS)[number],
    colour: '#2f6fde',
    apiUrl: `https://api.${suffix}`,
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: suffix,
    tenancy: 'multi-tenant',
    tracardiVersion: i % 2 ? '0.8.x' : '0.9.x',
    tmsUrl: `https://tms.${suffix}`,
    es: {
      nodes: [esUrl ?? `https://es.${suffix}:9200`],
      auth: { type: 'none' },
      tls: { verify: true },
      timeoutMs: 30_000,
    },
    expectedAddresses: [`10.0.${i % 250}.1`],
    footprint: { indexShards: 3, confShards: 1, replicas: 1 },
  };
}

/** Tenant number `n` of the fleet, on `instanceId` under `suffix` (names unique across the fleet). */
export function benchRecord(n: number, instanceId: string, suffix: string): TenantRecord {
  const tenant = `${WORDS[n % WORDS.length]}${n.toString(36)}`;
  const created = new Date(NOW - n * 60_000).toISOString();
  const status = VERIFY_STATUSES[n % VERIFY_STATUSES.length] as VerifyStatus;
  return {
    instanceId,
    tenant,
    apiDomain: `${tenant}.${suffix}`,
    apiUrl: `https://${tenant}.${suffix}`,
    guiDomain: `${tenant}-gui.${suffix}`,
    guiUrl: `https://${tenant}-gui.${suffix}`,
    email: `admin@${tenant}.example.com`,
    createdAt: created,
    tokenExpiresAt: new Date(NOW + 30 * 86_400_000).toISOString(),
    state: n % 3 === 0 ? 'installed' : n % 3 === 1 ? 'handed-over' : 'registered',
    warnings: [],
    // Three in four have been verified at least once.
    ...(n % 4 === 3 ? {} : { lastVerification: verification(instanceId, tenant, status, created) }),
  };
}
