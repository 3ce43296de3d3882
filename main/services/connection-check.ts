/**
 * "Test connection" for an instance being added or edited: the Tracardi API, the TMS and
 * Elasticsearch are checked separately, in parallel, each with its own timeout, so the operator
 * sees which one failed and why.
 */
import type { ConnectionCheck } from '../../shared/contract';
import { toConsoleError } from '../../shared/errors';
import type { Instance } from '../../shared/instance';
import { ConsoleError } from '../../shared/errors';
import { assertSupportedEsVersion, createEsClient, diagnoseEsError, type InstanceSecrets } from './es-client';
import { lowestVersion } from './capacity';
import { HttpTmsClient } from './tms-client';
import { TracardiClient } from './tracardi-client';

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
    const mode =
      details.multiTenant === true ? ', multi-tenant' : details.multiTenant === false ? ', single-tenant' : '';
    return {
      target: 'tracardi',
      ok: true,
      detail: `Tracardi ${details.version ?? '(version not reported)'}${mode}, db ${details.dbVersion ?? '?'}`,
    };
  } catch (err) {
    return failed('tracardi', err);
  } finally {
    client.close();
  }
}

async function checkTms(instance: Instance, secrets: InstanceSecrets): Promise<ConnectionCheck> {
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
      detail: `Elasticsearch ${version}, cluster "${health.cluster_name}" ${health.status}, ${health.number_of_data_nodes} data node(s)`,
    };
  } catch (err) {
    return failed('elasticsearch', err instanceof ConsoleError ? err : await diagnoseEsError(err, instance));
  } finally {
    await client?.close().catch(() => {});
  }
}

/** Check the three services of an instance; never throws. */
export async function testConnection(instance: Instance, secrets: InstanceSecrets): Promise<ConnectionCheck[]> {
  return Promise.all([checkTracardi(instance), checkTms(instance, secrets), checkElasticsearch(instance, secrets)]);
}
