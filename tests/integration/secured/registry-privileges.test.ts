/**
 * The team registry against a real Elasticsearch with security ON (TLS, native users, roles and API
 * keys: tests/support/secured-elasticsearch.ts), through the console's own services over a real core
 * (settings file, OS keychain) and the TMS simulator:
 * - the role docs/security.md gives suffices for the whole team flow (the indices made on first use,
 *   create, rotate, the audit chain), with basic auth and the CA file, an API key and the CA PEM, and
 *   the CA pinned by its fingerprint;
 * - the read-only role reads the team's record and goes read-only, the missing privileges named;
 * - without each privilege of the registry's entry, the console refuses changes up front, naming it.
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/secured/registry-privileges.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../main/core';
import { KeytarSecretStore } from '../../../main/services/keychain';
import type { InstanceInput } from '../../../shared/instances/instance';
import { REGISTRY_INDICES } from '../../../shared/team/registry';
import { startTms, type TmsSimulator } from '../../simulator';
import { securedCluster } from '../../support/secured-cluster';
import {
  asElastic,
  createApiKey,
  documentedConsoleRole,
  isRegistryEntry,
  putRole,
  putUser,
  readOnlyRole,
  removeSecurityObjects,
  type EsRole,
  type SecuredCluster,
} from '../../support/secured-elasticsearch';

const run = randomBytes(3).toString('hex');
const serviceName = `tracardi-tenant-console-registry-privileges-${process.pid}-${run}`;
const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const SUFFIX = `regpriv-${run}.test`;

describe('the team registry with Elasticsearch security on', { timeout: 300_000 }, () => {
  let cluster: SecuredCluster;
  let tms: TmsSimulator;
  let dataDir: string;
  let core: Core;
  const users: string[] = [];
  const apiKeys: string[] = [];
  const role = documentedConsoleRole();
  const registryEntry = role.indices.find(isRegistryEntry)!;

  async function userWith(name: string, grant: EsRole): Promise<string> {
    const user = `rp-${name}-${run}`;
    await putRole(cluster, user, grant);
    await putUser(cluster, user, PASSWORD, [user]);
    users.push(user);
    return user;
  }

  async function addInstance(id: string, es: Partial<InstanceInput['es']>, secrets: Record<string, string>) {
    await core.instances.add(
      {
        id,
        name: `Secured ${id}`,
        environment: 'test',
        apiUrl: 'http://127.0.0.1:9',
        tenantDomainSuffix: SUFFIX,
        tracardiVersion: '0.9.x',
        tmsUrl: tms.url,
        es: { nodes: [cluster.url], ...es },
      },
      { 'tms-api-key': API_KEY, ...secrets },
    );
  }

  const create = (instanceId: string, tenant: string) =>
    core.tenants.create({
      instanceId,
      domain: tenant,
      email: `owner@${tenant}.test`,
      tokenLifetimeDays: 5,
      capacityOverrideReason: 'registry privileges test: capacity not under test',
    });

  async function dropRegistry(): Promise<void> {
    for (const index of Object.values(REGISTRY_INDICES)) await asElastic(cluster, 'DELETE', `/${index}`);
  }

  beforeAll(async () => {
    cluster = await securedCluster();
    tms = await startTms({ apiKey: API_KEY });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-privileges-'));
    core = await createCore({
      dataDir,
      env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
      shell: 'test',
    });
    core.operator.set({ name: 'Secured Sam', email: 'sam@secured.test' });
    // Start from no registry: the documented role must make it.
    await dropRegistry();
    expect(registryEntry.privileges.sort()).toEqual(['create_index', 'delete', 'index', 'read']);
  }, 360_000);

  afterAll(async () => {
    core?.registry.close();
    await core?.capacity.close();
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('').catch(() => [])) await keychain.delete(a);
    if (cluster) {
      await removeSecurityObjects(cluster, { users, roles: users, apiKeyIds: apiKeys });
      await dropRegistry();
    }
    await tms?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the documented role makes the registry on first use and runs the team flow (basic auth, CA file)', async () => {
    const user = await userWith('full', role);
    await addInstance(
      'full',
      { auth: { type: 'basic', username: user }, tls: { caFile: cluster.caFile } },
      {
        'es-password': PASSWORD,
      },
    );
    const made = await create('full', `first${run}`);
    expect(made.createdBy).toMatchObject({ name: 'Secured Sam' });
    const rotated = await core.tenants.rotate('full', `first${run}`);
    expect(rotated.lastChange).toBe('rotated the token');
    // The indices are the console's, as it makes them: hidden, one primary shard, strict mappings.
    const settings = await asElastic(
      cluster,
      'GET',
      `/${REGISTRY_INDICES.tenants},${REGISTRY_INDICES.audit}/_settings?expand_wildcards=all&filter_path=*.settings.index.hidden,*.settings.index.number_of_shards`,
    );
    for (const index of Object.values(REGISTRY_INDICES))
      expect((settings.body as Record<string, unknown>)[index]).toEqual({
        settings: { index: { hidden: 'true', number_of_shards: '1' } },
      });
    const mapping = await asElastic(cluster, 'GET', `/${REGISTRY_INDICES.tenants}/_mapping?expand_wildcards=all`);
    expect(JSON.stringify(mapping.body)).toContain('"dynamic":"strict"');
    const registry = await core.registry.of('full');
    await registry.sync();
    expect(registry.health().state).toBe('ok');
    expect(await core.registry.verifyAudit(['full'])).toEqual([
      { instanceId: 'full', entries: expect.any(Number), problem: null },
    ]);
  });

  it('the same role as an API key, with the CA as PEM; and with the CA pinned by its fingerprint', async () => {
    const key = await createApiKey(cluster, `rp-key-${run}`, role);
    apiKeys.push(key.id);
    await addInstance(
      'bykey',
      { auth: { type: 'apiKey' }, tls: { caPem: cluster.caPem } },
      { 'es-api-key': key.encoded },
    );
    expect((await core.tenants.list({ instanceId: 'bykey' })).map((r) => r.tenant)).toEqual([`first${run}`]);
    await create('bykey', `bykey${run}`);
    const user = users[0]!;
    await addInstance(
      'pinned',
      { auth: { type: 'basic', username: user }, tls: { caFingerprint: cluster.caFingerprint } },
      {
        'es-password': PASSWORD,
      },
    );
    expect((await core.tenants.list({ instanceId: 'pinned' })).map((r) => r.tenant).sort()).toEqual(
      [`bykey${run}`, `first${run}`].sort(),
    );
    const text = fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8');
    expect(text).not.toContain(key.encoded);
    expect(text).not.toContain(PASSWORD);
  });

  it('the read-only role shows the team’s record and refuses changes up front, naming what it lacks', async () => {
    const reader = await userWith('reader', readOnlyRole(role));
    await addInstance(
      'reader',
      { auth: { type: 'basic', username: reader }, tls: { caPem: cluster.caPem } },
      {
        'es-password': PASSWORD,
      },
    );
    const listed = await core.tenants.byInstance({ instanceId: 'reader' });
    expect(listed[0]!.live).toBe(true);
    expect(listed[0]!.records.map((r) => r.tenant).sort()).toEqual([`bykey${run}`, `first${run}`].sort());
    const registry = await core.registry.of('reader');
    expect(registry.health()).toMatchObject({
      state: 'read-only',
      missing: ['create_doc', 'index', 'delete', 'create_index'],
    });
    const refused = await create('reader', `nope${run}`).catch((e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({
      code: 'registry-read-only',
      message: expect.stringContaining(
        'may read the team registry but not write it (missing create_doc, index, delete, create_index',
      ),
    });
    expect(tms.tenants().has(`nope${run}`)).toBe(false);
  });

  for (const privilege of ['read', 'index', 'delete', 'create_index'] as const) {
    it(`without ${privilege} on the registry the console says so`, async () => {
      const grant: EsRole = {
        cluster: role.cluster,
        indices: role.indices.map((e) =>
          isRegistryEntry(e) ? { ...e, privileges: e.privileges.filter((p) => p !== privilege) } : e,
        ),
      };
      const user = await userWith(`no-${privilege.replace('_', '')}`, grant);
      const id = `no${privilege.replace('_', '')}`;
      await addInstance(
        id,
        { auth: { type: 'basic', username: user }, tls: { caFile: cluster.caFile } },
        {
          'es-password': PASSWORD,
        },
      );
      if (privilege === 'create_index') await dropRegistry(); // only the first use needs it
      const refused = (await create(id, `no${privilege.replace('_', '')}${run}`).catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(refused.code, refused.message).toBe('registry-read-only');
      if (privilege === 'read') {
        expect(refused.message).toContain('may not read the team registry (missing read');
      } else if (privilege === 'create_index') {
        expect(refused.message).toContain('does not exist on');
        expect(refused.message).toContain('may not create it (missing create_index');
      } else {
        expect(refused.message).toContain(`missing ${privilege === 'index' ? 'create_doc, index' : 'delete'}`);
      }
    });
  }
});
