/**
 * What the Elasticsearch benches share: the cluster (TEST_ES_URL, else a throw-away one started with
 * the tests' provisioning), plain REST calls, bulk index creation, a tenant's index names, and the
 * median they report.
 */
import { indexName } from '../../shared/instances/index-naming';
import { versionProfile } from '../../shared/instances/version-profiles';
import { startElasticsearch } from '../../tests/support/elasticsearch';

/**
 * TEST_ES_URL when set (left running after), else a throw-away single node named `name` (stopped
 * after), reached directly: the tests' root-endpoint shim would run in the bench's own process and
 * put its proxying into every figure (no bench needs `GET /`).
 */
export async function benchCluster(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.TEST_ES_URL?.replace(/\/+$/, '');
  if (external) return { url: external, stop: async () => {} };
  const started = await startElasticsearch({ name });
  return { url: started.directUrl, stop: () => started.stop() };
}

/** One REST call; the JSON reply, `{}` for an empty one; throws on a non-2xx answer. */
export async function es(base: string, method: string, path: string, body?: string, type = 'application/json') {
  const res = await fetch(`${base}${path}`, { method, headers: body ? { 'content-type': type } : {}, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Create the indices with auto-creating bulk requests (one doc each): far faster than 1,000 PUTs. */
export async function createIndices(base: string, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 100) {
    const lines = names
      .slice(i, i + 100)
      .flatMap((n) => [JSON.stringify({ index: { _index: n } }), JSON.stringify({ tenant: n.split('.')[1] })]);
    const r = await es(base, 'POST', '/_bulk?refresh=true&timeout=5m', `${lines.join('\n')}\n`, 'application/x-ndjson');
    if (r.errors) {
      const items = r.items as Array<{ index: { error?: { reason?: string } } }>;
      const first = items.find((it) => it.index.error)?.index.error?.reason;
      throw new Error(`bulk index creation failed: ${first}`);
    }
  }
}

/**
 * Clean-up: delete the indices by name, never a wildcard (destructive_requires_name), 40 per request
 * (the 4 KB request line limit); a failed request does not stop the others.
 */
export async function deleteIndices(base: string, names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += 40)
    await es(base, 'DELETE', `/${names.slice(i, i + 40).join(',')}?ignore_unavailable=true`).catch(() => undefined);
}

export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export const INDICES_PER_TENANT = 20;

/** INDICES_PER_TENANT 0.9 index names for a tenant: 6 types × 2 contexts × successive partitions. */
export function tenantIndices(tenant: string): string[] {
  const types = versionProfile('0.9.x').partitionedTypes;
  const names: string[] = [];
  for (let i = 0; i < INDICES_PER_TENANT; i++) {
    const type = types[i % types.length]!;
    const context = Math.floor(i / types.length) % 2 === 0 ? 'staging' : 'production';
    const period = Math.floor(i / (2 * types.length));
    names.push(indexName(tenant, '0.9.x', context, type, `-2026-q${period + 1}`));
  }
  return names;
}

/**
 * Make room for bench tenant indices whose names start with `prefix` (see tenantIndices): one shard
 * and no replica each, by an index template, and the cluster's shard limit raised to 5,000. Answers
 * what puts both back as they were.
 */
export async function allowBenchIndices(base: string, prefix: string): Promise<() => Promise<void>> {
  const template = `tenant-console-bench-${prefix}`;
  const before = await es(base, 'GET', '/_cluster/settings?filter_path=persistent.cluster.max_shards_per_node');
  const previousLimit =
    (before.persistent as { cluster?: { max_shards_per_node?: string } } | undefined)?.cluster?.max_shards_per_node ??
    null;
  const restore = async () => {
    await es(base, 'DELETE', `/_index_template/${template}`).catch(() => undefined);
    await es(
      base,
      'PUT',
      '/_cluster/settings',
      JSON.stringify({ persistent: { 'cluster.max_shards_per_node': previousLimit } }),
    ).catch(() => undefined);
  };
  try {
    await es(
      base,
      'PUT',
      `/_index_template/${template}`,
      JSON.stringify({
        index_patterns: [`09x.${prefix}*`, `prod-09x.${prefix}*`],
        priority: 500,
        template: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
      }),
    );
    await es(
      base,
      'PUT',
      '/_cluster/settings',
      JSON.stringify({ persistent: { 'cluster.max_shards_per_node': 5000 } }),
    );
  } catch (err) {
    await restore();
    throw err;
  }
  return restore;
}

/**
 * Make `tenants` tenants' indices (INDICES_PER_TENANT each, made room for by allowBenchIndices),
 * answering the names and a `remove` that deletes them and puts the cluster back as it was.
 */
export async function makeTenantIndices(
  base: string,
  prefix: string,
  tenants: number,
): Promise<{ names: string[]; remove: () => Promise<void> }> {
  const names: string[] = [];
  for (let t = 0; t < tenants; t++) names.push(...tenantIndices(`${prefix}t${String(t).padStart(3, '0')}`));
  const restore = await allowBenchIndices(base, prefix);
  const remove = async () => {
    await deleteIndices(base, names);
    await restore();
  };
  try {
    await createIndices(base, names);
  } catch (err) {
    await remove();
    throw err;
  }
  return { names, remove };
}
