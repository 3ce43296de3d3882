/**
 * The console against a real Elasticsearch with security ON, through its own services over a real
 * core (settings file in a temp data folder, secrets in the OS keychain): basic auth, an API key made
 * through the security API, and the CA file, CA PEM and CA fingerprint trust options, each with a
 * capacity snapshot and a connection check, as a user holding only the role docs/security.md gives.
 * A wrong password, a wrong API key, a wrong CA or fingerprint, no CA and http:// on the TLS port
 * get the console's own wording. The read-only role reads what the console reads and writes nothing.
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/secured/secured-connection.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { InstanceInput } from '../../../shared/instances/instance';
import { createCore, type Core } from '../../../main/core';
import { testConnection } from '../../../main/services/connection-check';
import { KeytarSecretStore } from '../../../main/services/keychain';
import { requestJson } from '../../support/root-endpoint';
import { securedCluster } from '../../support/secured-cluster';
import {
  asElastic,
  basicAuth,
  createApiKey,
  documentedConsoleRole,
  putRole,
  putUser,
  readOnlyRole,
  removeSecurityObjects,
  type SecuredCluster,
} from '../../support/secured-elasticsearch';

const run = randomBytes(3).toString('hex');
const serviceName = `tracardi-tenant-console-secured-connection-${process.pid}-${run}`;
const CONSOLE_USER = `console-${run}`;
const READER = `reader-${run}`;
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const REGISTRY_INDEX = `.tracardi-console-probe-${run}`;

describe('the console against a secured Elasticsearch', () => {
  let cluster: SecuredCluster;
  let uuid: string;
  let dataDir: string;
  let core: Core;
  let apiKey: { id: string; encoded: string };
  const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };

  /** A single-tenant instance (no TMS to ask) whose Elasticsearch is the secured cluster. */
  async function addInstance(
    id: string,
    es: Partial<NonNullable<InstanceInput['es']>> & { nodes?: string[] },
    secrets: { 'es-password'?: string; 'es-api-key'?: string },
  ): Promise<void> {
    await core.instances.add(
      {
        id,
        name: `Secured ${id}`,
        environment: 'test',
        // Nothing listens there: the Tracardi check fails at once, the Elasticsearch one is what counts.
        apiUrl: 'http://127.0.0.1:9',
        tenantDomainSuffix: `${id}.secured.test`,
        tracardiVersion: '0.9.x',
        tenancy: 'single-tenant',
        es: { nodes: [cluster.directUrl], timeoutMs: 20_000, ...es },
      },
      secrets,
    );
  }

  /** Capacity snapshot and connection check of one instance. */
  async function readBoth(
    id: string,
  ): Promise<{ capacity: CapacityOutcome; check: { ok: boolean; detail: string; code?: string } }> {
    const capacity = await core.capacity.snapshot(id);
    const { instance } = await core.instances.get(id);
    const checks = await testConnection(instance, await core.instances.resolveSecrets(id));
    const es = checks.find((c) => c.target === 'elasticsearch')!;
    return { capacity, check: { ok: es.ok, detail: es.detail, ...(es.error ? { code: es.error.code } : {}) } };
  }

  function expectWorks(r: Awaited<ReturnType<typeof readBoth>>): void {
    if (!r.capacity.ok) throw new Error(`snapshot failed: ${r.capacity.error.message}`);
    expect(r.capacity.snapshot.cluster).toMatchObject({ uuid, version: expect.stringMatching(/^8\.19\./) });
    expect(r.capacity.snapshot.nodes.length).toBe(1);
    expect(r.check.ok, r.check.detail).toBe(true);
    expect(r.check.detail).toMatch(/^Elasticsearch 8\.19\.\d+, cluster ".+" (green|yellow), 1 data node/);
  }

  function expectFails(r: Awaited<ReturnType<typeof readBoth>>, code: string, message: RegExp): void {
    expect(r.capacity.ok).toBe(false);
    if (r.capacity.ok) return;
    expect(r.capacity.error.code).toBe(code);
    expect(r.capacity.error.message).toMatch(message);
    expect(r.check).toMatchObject({ ok: false, code });
    expect(r.check.detail).toMatch(message);
    // No secret in what the operator is shown.
    for (const text of [JSON.stringify(r.capacity), JSON.stringify(r.check)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(apiKey.encoded);
      expect(text).not.toContain(cluster.elasticPassword);
    }
  }

  beforeAll(async () => {
    cluster = await securedCluster();
    const state = await asElastic(cluster, 'GET', '/_cluster/state/metadata?filter_path=metadata.cluster_uuid');
    uuid = (state.body as { metadata: { cluster_uuid: string } }).metadata.cluster_uuid;
    const role = documentedConsoleRole();
    await putRole(cluster, CONSOLE_USER, role);
    await putUser(cluster, CONSOLE_USER, PASSWORD, [CONSOLE_USER]);
    await putRole(cluster, READER, readOnlyRole(role));
    await putUser(cluster, READER, PASSWORD, [READER]);
    apiKey = await createApiKey(cluster, `console-key-${run}`, role);
    // A registry-like hidden index (1 shard) the read-only user may read and not write.
    const made = await asElastic(cluster, 'PUT', `/${REGISTRY_INDEX}`, {
      settings: { number_of_shards: 1, number_of_replicas: 0, hidden: true },
    });
    expect(made.status, made.text).toBe(200);
    expect((await asElastic(cluster, 'PUT', `/${REGISTRY_INDEX}/_doc/one?refresh=true`, { n: 1 })).status).toBe(201);

    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secured-connection-'));
    core = await createCore({ dataDir, env, shell: 'test' });
  }, 360_000);

  afterAll(async () => {
    await core?.capacity.close();
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('').catch(() => [])) await keychain.delete(a);
    if (cluster) {
      await removeSecurityObjects(cluster, {
        users: [CONSOLE_USER, READER],
        roles: [CONSOLE_USER, READER],
        apiKeyIds: apiKey ? [apiKey.id] : [],
      });
      await asElastic(cluster, 'DELETE', `/${REGISTRY_INDEX}`);
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('basic auth (password in the keychain) with the CA file', async () => {
    await addInstance(
      'sec-basic',
      { auth: { type: 'basic', username: CONSOLE_USER }, tls: { caFile: cluster.caFile } },
      {
        'es-password': PASSWORD,
      },
    );
    expectWorks(await readBoth('sec-basic'));
    // The password is in the keychain, not in the settings file.
    expect(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).not.toContain(PASSWORD);
  });

  it('an API key made through the security API, with the CA as PEM text', async () => {
    await addInstance(
      'sec-apikey',
      { auth: { type: 'apiKey' }, tls: { caPem: cluster.caPem } },
      {
        'es-api-key': apiKey.encoded,
      },
    );
    expectWorks(await readBoth('sec-apikey'));
    expect(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).not.toContain(apiKey.encoded);
  });

  it('the CA pinned by its SHA-256 fingerprint alone (no CA file or PEM)', async () => {
    await addInstance(
      'sec-fingerprint',
      { auth: { type: 'basic', username: CONSOLE_USER }, tls: { caFingerprint: cluster.caFingerprint } },
      {
        'es-password': PASSWORD,
      },
    );
    expectWorks(await readBoth('sec-fingerprint'));
  });

  it('a wrong password is es-unauthorized: the login was rejected, check the user name and password', async () => {
    await addInstance(
      'sec-wrongpw',
      { auth: { type: 'basic', username: CONSOLE_USER }, tls: { caFile: cluster.caFile } },
      {
        'es-password': `${PASSWORD}-not`,
      },
    );
    expectFails(
      await readBoth('sec-wrongpw'),
      'es-unauthorized',
      /rejected the login \(401\); check the user name and password/,
    );
  });

  it('an API key Elasticsearch does not know is es-unauthorized: check the API key', async () => {
    const unknown = Buffer.from(`nosuchkeyid${run}:nosuchsecret`).toString('base64');
    await addInstance(
      'sec-wrongkey',
      { auth: { type: 'apiKey' }, tls: { caFile: cluster.caFile } },
      { 'es-api-key': unknown },
    );
    expectFails(await readBoth('sec-wrongkey'), 'es-unauthorized', /rejected the login \(401\); check the API key/);
  });

  it('an unrelated CA, no CA at all, or a wrong fingerprint is es-tls, each in its own words', async () => {
    const basic = { auth: { type: 'basic' as const, username: CONSOLE_USER } };
    await addInstance('sec-wrongca', { ...basic, tls: { caFile: cluster.wrongCaFile } }, { 'es-password': PASSWORD });
    await addInstance('sec-wrongcapem', { ...basic, tls: { caPem: cluster.wrongCaPem } }, { 'es-password': PASSWORD });
    await addInstance('sec-noca', basic, { 'es-password': PASSWORD });
    const unknownCa = /signed by an unknown or self-signed CA; configure the instance's CA file or fingerprint/;
    expectFails(await readBoth('sec-wrongca'), 'es-tls', unknownCa);
    expectFails(await readBoth('sec-wrongcapem'), 'es-tls', unknownCa);
    expectFails(await readBoth('sec-noca'), 'es-tls', unknownCa);

    const otherFingerprint = cluster.caFingerprint.replace(/^../, (b) => (b === 'AA' ? 'BB' : 'AA'));
    await addInstance(
      'sec-wrongfp',
      { ...basic, tls: { caFingerprint: otherFingerprint } },
      { 'es-password': PASSWORD },
    );
    expectFails(
      await readBoth('sec-wrongfp'),
      'es-tls',
      /no certificate presented by .* matches the configured CA fingerprint/,
    );
  });

  it('http:// on the TLS port says the node URL must start with https://', async () => {
    const plain = cluster.directUrl.replace('https:', 'http:');
    await addInstance(
      'sec-plainhttp',
      { nodes: [plain], auth: { type: 'basic', username: CONSOLE_USER } },
      {
        'es-password': PASSWORD,
      },
    );
    const r = await readBoth('sec-plainhttp');
    expect(r.capacity.ok).toBe(false);
    if (!r.capacity.ok) expect(r.capacity.error.message).toMatch(/must start with https:\/\//);
    expect(r.check.ok).toBe(false);
  });

  it('the read-only role reads what the console reads, the registry included, and may write nothing', async () => {
    await addInstance(
      'sec-readonly',
      { auth: { type: 'basic', username: READER }, tls: { caFile: cluster.caFile } },
      {
        'es-password': PASSWORD,
      },
    );
    expectWorks(await readBoth('sec-readonly'));
    const as = (method: string, p: string, body?: unknown) =>
      requestJson(cluster.directUrl, p, {
        ca: cluster.caPem,
        authorization: basicAuth(READER, PASSWORD),
        method,
        body,
      });
    const read = await as('GET', `/${REGISTRY_INDEX}/_doc/one`);
    expect(read.status, read.text).toBe(200);
    expect((await as('GET', `/${REGISTRY_INDEX}/_search?expand_wildcards=all`)).status).toBe(200);
    // No write: not to the registry, not a new registry index, not a tenant's index.
    expect((await as('PUT', `/${REGISTRY_INDEX}/_doc/two`, { n: 2 })).status).toBe(403);
    expect((await as('DELETE', `/${REGISTRY_INDEX}/_doc/one`)).status).toBe(403);
    expect((await as('PUT', `/.tracardi-console-new-${run}`)).status).toBe(403);
    expect((await as('PUT', `/09x.ro${run}.tracardi-profile`)).status).toBe(403);
  });
});
