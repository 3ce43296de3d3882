/**
 * What the UI benches share: a data folder with tenants on instances (written through the settings
 * store: listing needs no TMS, Elasticsearch or keychain), a year of hourly capacity history for each
 * instance, and the registry caches as a move-in leaves them (the shell itself: ui-load.ts).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from '../../main/services/history';
import { RegistryCache } from '../../main/services/registry/cache';
import { openSettingsStore } from '../../main/services/settings-store';
import type { HistorySample } from '../../shared/capacity/capacity-history';
import { registryPartOf, registryScope, type RegistryTenantDoc } from '../../shared/team/registry';
import {
  VERIFY_STATUSES,
  type TenantRecord,
  type VerificationResult,
  type VerifyStatus,
} from '../../shared/tenants/tenant';

const WORDS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'soylent', 'stark', 'wayne', 'wonka', 'tyrell'];
const ENVIRONMENTS = ['production', 'production', 'staging', 'development', 'test'] as const;

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

/** `tenants` tenant records on `instances` instances, written through the core's settings store. */
export function seedConsole(
  dataDir: string,
  { tenants: TENANTS, instances: INSTANCES }: { tenants: number; instances: number },
): void {
  const store = openSettingsStore(dataDir);
  const now = Date.parse('2026-06-01T00:00:00Z');
  store.update((draft) => {
    draft.instances = Array.from({ length: INSTANCES }, (_, i) => ({
      id: `bench-${i + 1}`,
      name: `Bench instance ${i + 1}`,
      environment: ENVIRONMENTS[i % ENVIRONMENTS.length] as (typeof ENVIRONMENTS)[number],
      colour: '#2f6fde',
      apiUrl: `https://api.bench${i + 1}.example.test`,
      guiUrlPattern: 'https://{label}-gui.{suffix}',
      tenantDomainSuffix: `bench${i + 1}.example.test`,
      tenancy: 'multi-tenant',
      tracardiVersion: i % 2 ? '0.8.x' : '0.9.x',
      tmsUrl: `https://tms.bench${i + 1}.example.test`,
      es: {
        nodes: [`https://es.bench${i + 1}.example.test:9200`],
        auth: { type: 'none' },
        tls: { verify: true },
        timeoutMs: 10_000,
      },
      expectedAddresses: [`10.0.${i}.1`],
      footprint: { indexShards: 3, confShards: 1, replicas: 1 },
    }));
    const tenants: TenantRecord[] = [];
    for (let n = 0; n < TENANTS; n++) {
      const instance = `bench-${(n % INSTANCES) + 1}`;
      const suffix = `bench${(n % INSTANCES) + 1}.example.test`;
      const tenant = `${WORDS[n % WORDS.length]}${n.toString(36)}`;
      const created = new Date(now - n * 60_000).toISOString();
      const status = VERIFY_STATUSES[n % VERIFY_STATUSES.length] as VerifyStatus;
      tenants.push({
        instanceId: instance,
        tenant,
        apiDomain: `${tenant}.${suffix}`,
        apiUrl: `https://${tenant}.${suffix}`,
        guiDomain: `${tenant}-gui.${suffix}`,
        guiUrl: `https://${tenant}-gui.${suffix}`,
        email: `admin@${tenant}.example.com`,
        createdAt: created,
        tokenExpiresAt: new Date(now + 30 * 86_400_000).toISOString(),
        state: n % 3 === 0 ? 'installed' : n % 3 === 1 ? 'handed-over' : 'registered',
        warnings: [],
        // Three in four have been verified at least once.
        ...(n % 4 === 3 ? {} : { lastVerification: verification(instance, tenant, status, created) }),
      });
    }
    draft.tenants = tenants;
  });
}

/**
 * What an operator's data folder holds after the move-in (the first connect published the local
 * records): each instance's records in its registry's local cache, as a full sync leaves it, and none
 * left in config.json. Written straight into the cache (no Elasticsearch): the list reads the cache.
 */
export function seedMovedIn(dataDir: string): void {
  const store = openSettingsStore(dataDir);
  const settings = store.read();
  const by = { name: 'Bench operator', workstation: 'bench' };
  for (const instance of settings.instances) {
    const scope = registryScope(instance);
    const records = (settings.tenants as TenantRecord[]).filter((t) => t.instanceId === instance.id);
    const docs = records.map((record, seqNo) => {
      const doc: RegistryTenantDoc = {
        scope,
        tenant: record.tenant,
        phase: 'active',
        record: registryPartOf(record),
        createdBy: by,
        updatedBy: by,
        updatedAt: record.createdAt,
        change: 'published it from the local records of bench',
        rev: 1,
        verifiedBy: null,
        holder: null,
        pending: null,
        deleted: null,
      };
      return { id: `${scope}/${record.tenant}`, doc, version: { seqNo, primaryTerm: 1 } };
    });
    const at = new Date().toISOString();
    new RegistryCache(dataDir, instance.id).merge(
      scope,
      docs,
      { cursor: docs.length - 1, syncedAt: at, fullSyncAt: at },
      { replaceAll: true },
    );
  }
  store.update((draft) => {
    draft.tenants = [];
  });
}

/**
 * A year of hourly capacity samples for every instance (3 data nodes, 20 tenants' figures each), in
 * the data folder's history as the console keeps it: written as raw lines, then compacted by the
 * history store itself (raw 7 days, hourly 90 days, daily beyond). The first screen must not pay
 * for it. Returns the samples kept and the bytes on disk.
 */
export async function seedHistory(dataDir: string, INSTANCES: number): Promise<{ samples: number; bytes: number }> {
  const now = Date.now();
  const store = new HistoryStore({ dir: join(dataDir, 'history'), clock: { now: () => now } });
  const HOUR = 3_600_000;
  let samples = 0;
  let bytes = 0;
  for (let i = 0; i < INSTANCES; i++) {
    const id = `bench-${i + 1}`;
    const lines: string[] = [];
    for (let h = 365 * 24; h >= 0; h--) {
      const grown = 1 - h / (365 * 24); // the year's growth, 0 to 1
      const node = (n: number): HistorySample['n'][number] => [
        `es-${n}`,
        Math.round((200 + 300 * grown) * 2 ** 30),
        1000 * 2 ** 30,
        850 * 2 ** 30,
        900 * 2 ** 30,
        950 * 2 ** 30,
        Math.round((2 + Math.sin(h / 7)) * 2 ** 30),
        4 * 2 ** 30,
      ];
      const pt: HistorySample['pt'] = {};
      for (let t = 0; t < 20; t++) pt[`tenant${t}`] = [Math.round(60 + 30 * grown), Math.round(2 ** 30 * grown)];
      const sample: HistorySample = {
        t: now - h * HOUR,
        st: 'green',
        n: [node(1), node(2), node(3)],
        sh: [Math.round(1200 + 1500 * grown), 3000],
        ix: Math.round(400 + 500 * grown),
        tn: 20,
        pt,
      };
      lines.push(JSON.stringify(sample));
    }
    mkdirSync(join(dataDir, 'history'), { recursive: true });
    writeFileSync(store.file(id), `${lines.join('\n')}\n`);
    await store.compact(id);
    samples += (await store.read(id)).length;
    bytes += statSync(store.file(id)).size;
  }
  return { samples, bytes };
}
