// Helpers shared by the verification integration tests: a TMS registration as the console makes it,
// the tenant operator's install through the Tracardi installer, and cleaning a tenant out of a cluster.
import { createCore, type Core } from '../../main/core';
import { requestWithHost, type HostResponse } from '../../main/services/tracardi-client';
import { SIM_MYSQL_USER_INDEX, deleteTenantArtefacts, startTms, startTracardi } from '../simulator';
import type { TmsSimulator, TracardiSimulator } from '../simulator';

export const PASSWORD = 'correct-horse-battery';

/** Registers a tenant in the simulated TMS through its HTTP API (as the console would). */
export async function registerInTms(
  tms: TmsSimulator,
  apiKey: string,
  name: string,
  token: string,
  expire: string | null = null,
): Promise<void> {
  const auth = (await (await fetch(`${tms.url}/api-key/${apiKey}`)).json()) as { access_token: string };
  const res = await fetch(`${tms.url}/tenant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.access_token}` },
    body: JSON.stringify({
      id: name,
      created: new Date().toISOString(),
      name,
      install_token: token,
      email: `ops@${name}.test`,
      expire,
    }),
  });
  if (res.status !== 200) throw new Error(`TMS POST /tenant ${name}: HTTP ${res.status} ${await res.text()}`);
}

/** What the tenant's operator does in the Tracardi installer: POST /install with the tenant's Host. */
export function simulatedInstall(sim: TracardiSimulator, apiDomain: string, token: string): Promise<HostResponse> {
  return requestWithHost(
    { apiUrl: sim.url, tenantHost: apiDomain },
    {
      method: 'POST',
      path: '/install',
      body: { username: `admin@${apiDomain}`, password: PASSWORD, token, needs_admin: true, update_mapping: false },
      timeoutMs: 120_000,
    },
  );
}

/** Removes a tenant's indices, aliases and templates; tolerates the integ-test distribution lacking _delete_by_query. */
export async function cleanupTenant(esUrl: string, tenant: string): Promise<void> {
  try {
    await deleteTenantArtefacts(esUrl, tenant);
  } catch (err) {
    // The simulator removes its shared 0.9 user rows with _delete_by_query, which the integ-test
    // distribution lacks (no reindex module); the indices are gone by then: delete the rows by id.
    if (!/deleting users/.test((err as Error).message)) throw err;
    const res = await fetch(`${esUrl}/${SIM_MYSQL_USER_INDEX}/_search?size=1000&_source=false&q=tenant:${tenant}`);
    const hits = ((await res.json()) as { hits?: { hits?: { _id: string }[] } }).hits?.hits ?? [];
    for (const h of hits)
      await fetch(`${esUrl}/${SIM_MYSQL_USER_INDEX}/_doc/${encodeURIComponent(h._id)}?refresh=true`, {
        method: 'DELETE',
      });
  }
}

/**
 * A 0.9 instance whose API host is in no DNS (`suffix` ends in `.invalid`, RFC 6761: only a --resolve
 * rule reaches it): the simulated TMS and Tracardi on the second test cluster (the capacity tests lower
 * shard limits on the first), the instance added to a core over `dataDir`, one tenant created on it.
 */
export async function unresolvableInstanceWithTenant(o: {
  esUrls: readonly string[];
  dataDir: string;
  env: NodeJS.ProcessEnv;
  apiKey: string;
  id: string;
  name: string;
  suffix: string;
  tenant: string;
}): Promise<{ esUrl: string; core: Core; tms: TmsSimulator; tracardi: TracardiSimulator }> {
  const esUrl = (o.esUrls[1] ?? o.esUrls[0]!).replace(/\/+$/, '');
  await cleanupTenant(esUrl, o.tenant);
  const tms = await startTms({ apiKey: o.apiKey });
  const tracardi = await startTracardi({ version: '0.9.x', esUrl, tmsUrl: tms.url, tmsApiKey: o.apiKey });
  const core = await createCore({ dataDir: o.dataDir, env: o.env, shell: 'test' });
  await core.instances.add(
    {
      id: o.id,
      name: o.name,
      environment: 'test',
      apiUrl: `http://api.${o.suffix}:${tracardi.port}`,
      tenantDomainSuffix: o.suffix,
      tracardiVersion: '0.9.x',
      tmsUrl: tms.url,
      es: { nodes: [esUrl] },
      expectedAddresses: ['127.0.0.1'],
    },
    { 'tms-api-key': o.apiKey },
  );
  await core.tenants.create({
    instanceId: o.id,
    domain: `${o.tenant}.${o.suffix}`,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
  });
  return { esUrl, core, tms, tracardi };
}
