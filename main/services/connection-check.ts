/**
 * "Test connection" for an instance being added or edited: the Tracardi API, the TMS and
 * Elasticsearch are checked separately, in parallel, each with its own timeout, so the operator
 * sees which one failed and why.
 */
import type { ConnectionCheck, DetectedTenancy } from '../../shared/contract/contract';
import { countOf } from '../../shared/text/counts';
import { toConsoleError } from '../../shared/errors/errors';
import type { Instance } from '../../shared/instances/instance';
import { compareVersion } from '../../shared/instances/version-check';
import { ConsoleError } from '../../shared/errors/errors';
import { assertSupportedEsVersion, createEsClient, diagnoseEsError, type InstanceSecrets } from './es-client';
import { lowestVersion } from './capacity';
import { HttpTmsClient } from './tms-client';
import { TracardiClient, type VersionDetails } from './tracardi-client';

/** A tenant name no TMS holds: looking it up proves the API-key exchange and the bearer work. */
const PROBE_TENANT = 'tenantctlconnectionprobe';

function failed(target: ConnectionCheck['target'], err: unknown): ConnectionCheck {
  const error = toConsoleError(err);
  return { target, ok: false, detail: error.message, error: error.toJSON() };
}

async function checkTracardi(instance: Instance): Promise<ConnectionCheck> {
  const client = new TracardiClient({ timeoutMs: Math.min(instance.es.timeoutMs, 10_000) });
  try {
    const details = await client.getVersionDetails({ apiUrl: instance.apiUrl });
    const tenancy = detectTenancy(details);
    const mode = tenancy ? `, ${tenancy.mode}${tenancy.tenantName ? ` (tenant ${tenancy.tenantName})` : ''}` : '';
    // Another profile's version is a failed check: every name, footprint and verdict would be wrong.
    const version = compareVersion(instance.id, instance.tracardiVersion, details);
    const profile = version.reported?.profile ?? null;
    const wrong =
      version.outcome === 'mismatch'
        ? `: the ${profile} profile, but registered as ${instance.tracardiVersion}`
        : version.outcome === 'unknown-version'
          ? `: no version profile fits it (registered as ${instance.tracardiVersion})`
          : '';
    return {
      target: 'tracardi',
      ok: wrong === '',
      detail: `Tracardi ${details.version ?? '(version not reported)'}${mode}, db ${details.dbVersion ?? '?'}${wrong}`,
      ...(tenancy ? { tenancy } : {}),
      ...(version.outcome === 'mismatch' && profile !== null ? { versionProfile: profile } : {}),
    };
  } catch (err) {
    return failed('tracardi', err);
  } finally {
    client.close();
  }
}

const TENANT_NAME_RE = /^[a-z0-9]{3,40}$/;

/**
 * Tenancy from `GET /info/version/details`: 0.9 has `multi-tenant` (and the served `tenant`); a
 * 0.8.x instance without that field is the open-source build, which is single-tenant (and, as
 * observed on a real 0.8.2, names its tenant in `name`). Null when the answer does not tell.
 */
export function detectTenancy(details: VersionDetails): DetectedTenancy | null {
  const named = (n: string | null) => (n !== null && TENANT_NAME_RE.test(n) ? { tenantName: n } : {});
  if (details.multiTenant === true) return { mode: 'multi-tenant', how: 'GET /info/version/details: multi-tenant' };
  if (details.multiTenant === false)
    return { mode: 'single-tenant', ...named(details.tenant), how: 'GET /info/version/details: not multi-tenant' };
  if (details.version?.startsWith('0.8'))
    return {
      mode: 'single-tenant',
      ...named(details.name),
      how: `Tracardi ${details.version} (the open-source 0.8.x build is single-tenant)`,
    };
  return null;
}

async function checkTms(instance: Instance, secrets: InstanceSecrets): Promise<ConnectionCheck> {
  if (instance.tmsUrl === undefined)
    return {
      target: 'tms',
      ok: true,
      detail: 'Single-tenant: no TMS (the instance checks its one INSTALLATION_TOKEN).',
    };
  const apiKey = secrets['tms-api-key'];
  if (!apiKey)
    return { target: 'tms', ok: false, detail: 'No TMS API key: type it in the form (it goes to the keychain).' };
  const tms = new HttpTmsClient({ instanceId: instance.id, tmsUrl: instance.tmsUrl, apiKey, timeoutMs: 10_000 });
  try {
    await tms.getTenant(PROBE_TENANT);
    return { target: 'tms', ok: true, detail: `TMS at ${tms.where} accepted the API key` };
  } catch (err) {
    return failed('tms', err);
  }
}

async function checkElasticsearch(instance: Instance, secrets: InstanceSecrets): Promise<ConnectionCheck> {
  let client;
  try {
    client = await createEsClient(instance, secrets);
    // The version from the nodes, as the capacity snapshot reads it (`GET /` needs a module that
    // some distributions leave out).
    const nodes = (await client.transport.request({
      method: 'GET',
      path: '/_nodes/_all/_none',
      querystring: { filter_path: 'nodes.*.version' },
    })) as { nodes?: Record<string, { version?: string }> };
    const version = lowestVersion(Object.values(nodes.nodes ?? {}).flatMap((n) => (n.version ? [n.version] : [])));
    assertSupportedEsVersion(version, instance);
    const health = await client.cluster.health();
    return {
      target: 'elasticsearch',
      ok: true,
      detail: `Elasticsearch ${version}, cluster "${health.cluster_name}" ${health.status}, ${countOf(health.number_of_data_nodes, 'data node')}`,
    };
  } catch (err) {
    return failed('elasticsearch', err instanceof ConsoleError ? err : await diagnoseEsError(err, instance));
  } finally {
    await client?.close().catch(() => {});
  }
}

/** Check the three services of an instance; never throws. */
export async function testConnection(instance: Instance, secrets: InstanceSecrets): Promise<ConnectionCheck[]> {
  const [tracardi, tms, es] = await Promise.all([
    checkTracardi(instance),
    checkTms(instance, secrets),
    checkElasticsearch(instance, secrets),
  ]);
  // Tracardi did not tell, but a TMS that accepts the key is what multi-tenant instances ask.
  if (tracardi.tenancy === undefined && tms.ok && instance.tmsUrl !== undefined)
    tracardi.tenancy = { mode: 'multi-tenant', how: 'its TMS answers' };
  return [tracardi, tms, es];
}
