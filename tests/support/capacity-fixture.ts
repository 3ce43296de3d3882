// Helpers of the capacity integration tests: plain HTTP to a test cluster, instances and a
// CapacityService over them without the settings store.
import type { CapacityOutcome, CapacitySnapshot } from '../../shared/capacity/capacity';
import { instanceSchema, type Instance, type TracardiVersion } from '../../shared/instances/instance';
import { CapacityService } from '../../main/services/capacity';

// Loose on purpose: tests read a few known fields of Elasticsearch replies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EsReply = { status: number; json: any };

export async function es(base: string, method: string, path: string, body?: unknown): Promise<EsReply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers:
      body === undefined ? {} : { 'content-type': body instanceof Array ? 'application/x-ndjson' : 'application/json' },
    body:
      body === undefined
        ? undefined
        : body instanceof Array
          ? body.map((l) => JSON.stringify(l)).join('\n') + '\n'
          : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

export async function createIndex(base: string, name: string, shards = 1, replicas = 0): Promise<EsReply> {
  // wait_for_active_shards=0: an index with replicas on one node stays yellow, which is the point.
  return es(base, 'PUT', `/${name}?wait_for_active_shards=0`, {
    settings: { number_of_shards: shards, number_of_replicas: replicas },
  });
}

export function instance(
  id: string,
  url: string,
  version: TracardiVersion,
  extra: { timeoutMs?: number } = {},
): Instance {
  return instanceSchema.parse({
    id,
    name: `Capacity ${id}`,
    environment: 'test',
    apiUrl: `https://api.${id}.example.com`,
    tenantDomainSuffix: `${id}.example.com`,
    tracardiVersion: version,
    tmsUrl: `https://tms.${id}.example.com`,
    es: { nodes: [url], timeoutMs: extra.timeoutMs ?? 10_000 },
  });
}

export function serviceFor(instances: Instance[]): CapacityService {
  const summary = (instance: Instance) => ({ instance, tlsVerifyOff: false, warnings: [] });
  return new CapacityService({
    instances: {
      get: async (id) => summary(instances.find((i) => i.id === id)!),
      list: async () => instances.map(summary),
      resolveSecrets: async () => ({}),
    },
  });
}

export function ok(outcome: CapacityOutcome): CapacitySnapshot {
  if (!outcome.ok) throw new Error(`snapshot failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.snapshot;
}
