/**
 * Proves the secured test cluster is what it claims (tests/support/secured-elasticsearch.ts): security
 * on, its own TLS with the CA the test made, `elastic`'s password, the root-endpoint shim behind TLS
 * asking the cluster about the caller, and roles, users and API keys made through the security API
 * (stored in the security index: the test plugin of secured-home.ts at work).
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/secured/secured-infra.test.ts
 */
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '../../support/root-endpoint';
import { securedCluster } from '../../support/secured-cluster';
import {
  asElastic,
  basicAuth,
  createApiKey,
  fingerprintOf,
  putRole,
  putUser,
  removeSecurityObjects,
  type SecuredCluster,
} from '../../support/secured-elasticsearch';

const run = randomBytes(3).toString('hex');
const USER = `infra-user-${run}`;
const NO_MONITOR = `infra-nomonitor-${run}`;
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

/** The certificates the server presents, leaf first, without trusting them. */
function presentedChain(url: string): Promise<{ fingerprints: string[]; subjects: string[] }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      const fingerprints: string[] = [];
      const subjects: string[] = [];
      let cert = socket.getPeerCertificate(true);
      while (cert?.raw && !fingerprints.includes(cert.fingerprint256)) {
        fingerprints.push(cert.fingerprint256);
        subjects.push(String(cert.subject.CN));
        cert = cert.issuerCertificate;
      }
      socket.destroy();
      resolve({ fingerprints, subjects });
    });
    socket.once('error', reject);
  });
}

describe('the secured test cluster', () => {
  let cluster: SecuredCluster;
  let apiKeyId: string | undefined;

  beforeAll(async () => {
    cluster = await securedCluster();
  }, 360_000);

  afterAll(async () => {
    if (cluster)
      await removeSecurityObjects(cluster, {
        users: [USER, NO_MONITOR],
        roles: [USER, NO_MONITOR],
        apiKeyIds: apiKeyId ? [apiKeyId] : [],
      });
  });

  it('has security on: no credentials 401, a wrong password 401, elastic authenticates as a superuser', async () => {
    const anonymous = await requestJson(cluster.directUrl, '/_cluster/health', { ca: cluster.caPem });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic realm="security"');
    const wrong = await requestJson(cluster.directUrl, '/_cluster/health', {
      ca: cluster.caPem,
      authorization: basicAuth('elastic', 'not-the-password'),
    });
    expect(wrong.status).toBe(401);
    const me = await asElastic(cluster, 'GET', '/_security/_authenticate');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'elastic', roles: ['superuser'] });
  });

  it("speaks TLS itself with the test CA's certificate, the CA in the chain; an unrelated CA fails the handshake", async () => {
    expect(cluster.directUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const chain = await presentedChain(cluster.directUrl);
    expect(chain.subjects).toEqual(['localhost', 'Tracardi Test CA']);
    expect(chain.fingerprints[1]).toBe(cluster.caFingerprint);
    expect(fingerprintOf(cluster.caPem)).toBe(cluster.caFingerprint);
    await expect(requestJson(cluster.directUrl, '/', { ca: cluster.wrongCaPem })).rejects.toThrow(
      /unable to verify|self[- ]signed|local issuer/i,
    );
    // The plain-HTTP port is not there: HTTP on the TLS port gets no Elasticsearch answer.
    await expect(
      requestJson(cluster.directUrl.replace('https:', 'http:'), '/_cluster/health', { timeoutMs: 5000 }),
    ).rejects.toThrow();
  });

  it('the root-endpoint shim answers GET / over TLS for a caller the cluster lets read it, and only then', async () => {
    const state = await asElastic(cluster, 'GET', '/_cluster/state/metadata?filter_path=metadata.cluster_uuid');
    const uuid = (state.body as { metadata: { cluster_uuid: string } }).metadata.cluster_uuid;
    const root = await requestJson(cluster.url, '/', {
      ca: cluster.caPem,
      authorization: basicAuth('elastic', cluster.elasticPassword),
    });
    expect(root.status).toBe(200);
    expect(root.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(root.body).toMatchObject({ cluster_uuid: uuid, version: { number: expect.stringMatching(/^8\.19\./) } });

    const anonymous = await requestJson(cluster.url, '/', { ca: cluster.caPem });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic realm="security"');

    await putRole(cluster, NO_MONITOR, { cluster: [], indices: [] });
    await putUser(cluster, NO_MONITOR, PASSWORD, [NO_MONITOR]);
    const forbidden = await requestJson(cluster.url, '/', {
      ca: cluster.caPem,
      authorization: basicAuth(NO_MONITOR, PASSWORD),
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('cluster:monitor/main');

    // Everything else goes through to the cluster with the caller's credentials.
    const health = await requestJson(cluster.url, '/_cluster/health', { ca: cluster.caPem });
    expect(health.status).toBe(401);
  });

  it('the admin URL is plain HTTP on loopback acting as elastic (for fixtures only)', async () => {
    expect(cluster.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await requestJson(cluster.adminUrl, '/_security/_authenticate');
    expect(me.body).toMatchObject({ username: 'elastic' });
  });

  it('makes a native role and user, and an API key limited to a role, through the security API', async () => {
    const role = { cluster: ['monitor'], indices: [] };
    await putRole(cluster, USER, role);
    await putUser(cluster, USER, PASSWORD, [USER]);
    const asUser = await requestJson(cluster.directUrl, '/_security/_authenticate', {
      ca: cluster.caPem,
      authorization: basicAuth(USER, PASSWORD),
    });
    expect(asUser.body).toMatchObject({ username: USER, roles: [USER], authentication_realm: { type: 'native' } });

    const key = await createApiKey(cluster, `infra-key-${run}`, role);
    apiKeyId = key.id;
    const asKey = (path: string, method = 'GET') =>
      requestJson(cluster.directUrl, path, { ca: cluster.caPem, authorization: `ApiKey ${key.encoded}`, method });
    expect((await asKey('/_security/_authenticate')).body).toMatchObject({ authentication_type: 'api_key' });
    expect((await asKey('/_cluster/health')).status).toBe(200);
    // Limited to the role: no index may be made with it.
    expect((await asKey(`/infra-denied-${run}`, 'PUT')).status).toBe(403);

    await removeSecurityObjects(cluster, { apiKeyIds: [key.id] });
    expect((await asKey('/_cluster/health')).status).toBe(401);
  });
});
