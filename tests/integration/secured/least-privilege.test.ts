/**
 * Least privilege, found against a real Elasticsearch with security ON (TLS, native users and roles:
 * tests/support/secured-elasticsearch.ts): what the console READS with the role docs/security.md
 * gives. Through the console's own services over a real core (settings file, OS keychain):
 * the capacity snapshot with the creation dates its growth reads, verification, discovery and the
 * connection check. A user holding exactly the documented role gets what `elastic` gets; without any
 * one of its privileges, or with `monitor` narrowed to `*.tracardi-*`, something differs.
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/secured/least-privilege.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { CapacityService } from '../../../main/services/capacity';
import { testConnection } from '../../../main/services/connection-check';
import { HistoryService, HistoryStore } from '../../../main/services/history';
import { KeytarSecretStore } from '../../../main/services/keychain';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../../simulator';
import { createIndex, es } from '../../support/capacity-fixture';
import { securedCluster } from '../../support/secured-cluster';
import {
  describePrivilege,
  documentedConsoleRole,
  isRegistryEntry,
  privilegesOf,
  putRole,
  putUser,
  removeSecurityObjects,
  withoutPrivilege,
  type EsRole,
  type SecuredCluster,
} from '../../support/secured-elasticsearch';
import { cleanupTenant, registerInTms, simulatedInstall } from '../../support/verify-fixtures';

const run = randomBytes(3).toString('hex');
const serviceName = `tracardi-tenant-console-least-privilege-${process.pid}-${run}`;
const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
// `.invalid` never resolves (RFC 6761): the core's resolve rule sends its names to the simulator.
const SUFFIX = 'lpriv.invalid';
const ID = 'lpriv';
const ADOPTED = `lpadopt${run}`;
const FOUND = `lpfound${run}`;
const CLOSED = `lp-other-closed-${run}`;
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

/** What the console reads, as plain data that two users' runs can be compared by. */
interface Observation {
  connection: unknown;
  capacity: unknown;
  growth: unknown;
  discovery: unknown;
  verify: unknown;
}

describe('least privilege: the documented role against a secured cluster', () => {
  let cluster: SecuredCluster;
  let dataDir: string;
  let core: Core;
  let tms: TmsSimulator;
  let tracardi: TracardiSimulator;
  let baseline: Observation;
  const role = documentedConsoleRole();
  const users: string[] = [];
  const roles: string[] = [];
  const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };

  /** A native user holding exactly `grant` (its own role of that name). */
  async function userWith(name: string, grant: EsRole): Promise<string> {
    const user = `lp-${name}-${run}`;
    await putRole(cluster, user, grant);
    await putUser(cluster, user, PASSWORD, [user]);
    users.push(user);
    roles.push(user);
    return user;
  }

  /** Everything the console reads, as `username` (basic auth, password in the keychain, CA file). */
  async function observeAs(username: string, password: string): Promise<Observation> {
    await core.instances.update(ID, { es: { auth: { type: 'basic', username } } }, { 'es-password': password });
    const { instance } = await core.instances.get(ID);
    const checks = await testConnection(instance, await core.instances.resolveSecrets(ID));
    const esCheck = checks.find((c) => c.target === 'elasticsearch')!;

    // A capacity service of its own (fresh caches: nothing read as another user is reused) over the
    // core's instances and keychain, recording into a history of its own (the growth it measured).
    const historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-history-'));
    const store = new HistoryStore({ dir: historyDir });
    const capacity = new CapacityService({ instances: core.instances, history: store });
    const outcome = await capacity.snapshot(ID);
    await capacity.close();
    const growth = (await new HistoryService({ store }).view(ID, '90d')).cluster;
    fs.rmSync(historyDir, { recursive: true, force: true });

    const discovery = await core.discovery.discover(ID).then(
      (r) => ({
        found: r.found.map((f) => ({
          tenant: f.tenant,
          footprints: f.footprints.map(({ sizeBytes, ...rest }) => ({ ...rest, sized: sizeBytes > 0 })),
          verification: f.verification?.status ?? null,
          tms: f.tms.outcome,
        })),
        recorded: r.recorded,
        unrecognised: r.unrecognised,
      }),
      (err: { code?: string; message?: string }) => ({ failed: err.code, message: err.message }),
    );
    const verify = await core.verify.verify({ tenant: { instanceId: ID, tenant: ADOPTED } });
    const result = verify.results[0];

    return {
      connection: esCheck.ok ? { ok: esCheck.detail } : { failed: esCheck.error?.code, message: esCheck.detail },
      capacity: outcome.ok
        ? {
            cluster: outcome.snapshot.cluster,
            openShards: outcome.snapshot.shards.open,
            otherIndices: outcome.snapshot.otherIndices,
            tenants: outcome.snapshot.tenants.map(({ storeBytes, ...t }) => ({ ...t, sized: storeBytes > 0 })),
          }
        : { failed: outcome.error.code, message: outcome.error.message },
      // Shards a month (bytes move as segments merge): without creation dates, installs drop out.
      growth: growth === null ? null : growth.months.map((m) => ({ month: m.month, shards: m.shards })),
      discovery,
      verify: result === undefined ? null : { status: result.status, es: result.evidence.es },
    };
  }

  /** The operations whose observation differs from the superuser's. */
  function broken(o: Observation): string[] {
    return (Object.keys(baseline) as (keyof Observation)[]).filter(
      (k) => JSON.stringify(o[k]) !== JSON.stringify(baseline[k]),
    );
  }

  beforeAll(async () => {
    cluster = await securedCluster();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'least-privilege-'));
    // The fixtures go in as `elastic` (adminUrl): two 0.9 tenants installed through the simulator, and
    // another application's closed index (whose status only index `monitor` on `*` reveals).
    for (const t of [ADOPTED, FOUND]) await cleanupTenant(cluster.adminUrl, t);
    tms = await startTms({ apiKey: API_KEY });
    tracardi = await startTracardi({ version: '0.9.x', esUrl: cluster.adminUrl, tmsUrl: tms.url, tmsApiKey: API_KEY });
    await Promise.all(
      [ADOPTED, FOUND].map(async (t) => {
        const token = `tok-${t}-${randomBytes(6).toString('hex')}`;
        await registerInTms(tms, API_KEY, t, token);
        const res = await simulatedInstall(tracardi, `${t}.${SUFFIX}`, token);
        expect(res.status, res.text).toBe(200);
      }),
    );
    expect((await createIndex(cluster.adminUrl, CLOSED)).status).toBe(200);
    expect((await es(cluster.adminUrl, 'POST', `/${CLOSED}/_close`)).status).toBe(200);

    core = await createCore({
      dataDir,
      env,
      shell: 'test',
      resolveRules: [{ host: `*.${SUFFIX}`, addresses: ['127.0.0.1'], port: tracardi.port }],
    });
    await core.instances.add(
      {
        id: ID,
        name: 'Least privilege',
        environment: 'test',
        apiUrl: `http://api.${SUFFIX}:${tracardi.port}`,
        tenantDomainSuffix: SUFFIX,
        tracardiVersion: '0.9.x',
        tmsUrl: tms.url,
        es: {
          nodes: [cluster.directUrl],
          auth: { type: 'basic', username: 'elastic' },
          tls: { caFile: cluster.caFile },
        },
        expectedAddresses: ['127.0.0.1'],
      },
      { 'tms-api-key': API_KEY, 'es-password': cluster.elasticPassword },
    );
    // One tenant under management (verification needs a record); the other stays for discovery.
    await core.tenants.adopt({ instanceId: ID, tenant: ADOPTED, domain: `${ADOPTED}.${SUFFIX}` });
    baseline = await observeAs('elastic', cluster.elasticPassword);
  }, 360_000);

  afterAll(async () => {
    await core?.capacity.close();
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('').catch(() => [])) await keychain.delete(a);
    await Promise.allSettled([tracardi?.stop(), tms?.stop()]);
    if (cluster) {
      await removeSecurityObjects(cluster, { users, roles });
      for (const t of [ADOPTED, FOUND]) await cleanupTenant(cluster.adminUrl, t);
      await es(cluster.adminUrl, 'DELETE', `/${CLOSED}`);
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the superuser sees both tenants installed, their growth, and the closed index as closed', () => {
    const capacity = baseline.capacity as { openShards: number; tenants: { tenant: string; sized: boolean }[] };
    expect(capacity.tenants.filter((t) => t.tenant === ADOPTED || t.tenant === FOUND)).toHaveLength(2);
    expect(capacity.tenants.every((t) => t.sized)).toBe(true);
    expect(baseline.connection).toMatchObject({ ok: expect.stringMatching(/^Elasticsearch 8\.19\./) });
    expect((baseline.growth as { shards: number }[]).reduce((n, m) => n + m.shards, 0)).toBeGreaterThan(0);
    const discovery = baseline.discovery as { found: { tenant: string; verification: string | null }[] };
    expect(discovery.found).toContainEqual(expect.objectContaining({ tenant: FOUND, verification: 'installed' }));
    expect(baseline.verify).toMatchObject({ status: 'installed' });
  });

  it('a user holding exactly the documented role reads what the superuser reads', async () => {
    const user = await userWith('documented', role);
    const seen = await observeAs(user, PASSWORD);
    expect(seen).toEqual(baseline);
  });

  // The registry's own privileges (`.tracardi-console-*`, issue 17) are its own tests' business.
  const readPrivileges = privilegesOf(role).filter((p) => 'cluster' in p || !isRegistryEntry(p));

  // What docs/security.md's table says breaks without each read privilege, and the action
  // Elasticsearch refuses (the console's es-forbidden message names it).
  const DOCUMENTED_BREAKS: Record<string, { broken: (keyof Observation)[]; action: RegExp }> = {
    'cluster monitor': {
      broken: ['connection', 'capacity', 'growth', 'discovery', 'verify'],
      // Reading index templates is a cluster action that `monitor` grants.
      action: /403: (cluster:monitor\/|indices:admin\/index_template\/get)/,
    },
    'index monitor on *': { broken: ['capacity', 'growth', 'discovery', 'verify'], action: /403: indices:monitor\// },
    'index view_index_metadata on *.tracardi-*': {
      broken: ['discovery', 'verify'],
      action: /403: indices:admin\/aliases\/get/,
    },
  };

  it.each(readPrivileges.map((p) => [describePrivilege(p), p] as const))(
    'without %s something the console reads breaks',
    async (label, privilege) => {
      const user = await userWith(label.replace(/[^a-z0-9]+/gi, '-').toLowerCase(), withoutPrivilege(role, privilege));
      const seen = await observeAs(user, PASSWORD);
      expect(broken(seen), `nothing broke without ${label}: the privilege is not needed`).not.toEqual([]);
      const documented = DOCUMENTED_BREAKS[label];
      if (documented === undefined) return; // a privilege added after this table: needed is all we know
      expect(broken(seen)).toEqual(documented.broken);
      // Every failure is es-forbidden, naming the action refused and the role's privileges.
      const messages = [seen.connection, seen.capacity, seen.discovery].flatMap((o) =>
        typeof o === 'object' && o !== null && 'failed' in o ? [o as { failed: string; message: string }] : [],
      );
      const verifyError = (seen.verify as { es: { error?: string } }).es.error;
      expect(messages.map((m) => m.failed)).toEqual(messages.map(() => 'es-forbidden'));
      for (const message of [...messages.map((m) => m.message), verifyError ?? ''])
        expect(message).toMatch(documented.action);
      expect(verifyError).toMatch(/"monitor" on all indices \(\*\) and "view_index_metadata" on \*\.tracardi-\*/);
    },
  );

  it('index monitor on *.tracardi-* only is not enough: a closed index of another application counts as open', async () => {
    const narrowed: EsRole = {
      ...role,
      indices: role.indices.map((e) =>
        e.names.includes('*') && e.privileges.includes('monitor') ? { ...e, names: ['*.tracardi-*'] } : e,
      ),
    };
    expect(narrowed).not.toEqual(role);
    const user = await userWith('narrowed', narrowed);
    const seen = await observeAs(user, PASSWORD);
    expect(broken(seen)).toEqual(['capacity']);
    const shards = (o: Observation) => (o.capacity as { openShards: number }).openShards;
    // At least the closed index's one primary (other tests' closed indices may add theirs).
    expect(shards(seen)).toBeGreaterThanOrEqual(shards(baseline) + 1);
  });
});
