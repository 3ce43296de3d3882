/**
 * Putting many records into an instance's team registry at once, and taking a scope out again, for
 * benches and tests that need thousands of tenants without creating each through the saga. Writes
 * the same documents the console writes (shared/team/registry.ts), through Elasticsearch's bulk API; the
 * indices are made as the console makes them (EsRegistryBackend.ensure).
 */
import type { OperatorStamp } from '../../shared/team/operator';
import {
  auditDocId,
  REGISTRY_INDICES,
  registryPartOf,
  tenantDocId,
  type ChainedAuditEntry,
} from '../../shared/team/registry';
import type { TenantRecord } from '../../shared/tenants/tenant';
import { EsRegistryBackend, entryHash, genesisHash, type EsRequester } from '../../main/services/registry';
import { registryDoc } from './registry-doc';

/** Plain fetch requests to a cluster (no credentials: the test clusters run without security). */
export function fetchRequester(esUrl: string): EsRequester {
  return async (req) => {
    const url = new URL(req.path, esUrl);
    for (const [k, v] of Object.entries(req.querystring ?? {})) url.searchParams.set(k, v);
    const body =
      typeof req.body === 'string' ? req.body : req.body === undefined ? undefined : JSON.stringify(req.body);
    const res = await fetch(url, {
      method: req.method,
      headers: { 'content-type': typeof req.body === 'string' ? 'application/x-ndjson' : 'application/json' },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { statusCode: res.status, body: parsed };
  };
}

/** Write `records` of one scope as active documents (create-only), in bulk requests of 2,000. */
export async function seedRegistry(
  esUrl: string,
  scope: string,
  records: readonly TenantRecord[],
  by: OperatorStamp = { name: 'Seeder', workstation: 'bench-host' },
): Promise<void> {
  const request = fetchRequester(esUrl);
  await new EsRegistryBackend(request).ensure({ replicas: 0 });
  for (let i = 0; i < records.length; i += 2000) {
    const lines: string[] = [];
    for (const r of records.slice(i, i + 2000)) {
      const doc = registryDoc(scope, r.tenant, by, { record: registryPartOf(r), updatedAt: r.createdAt });
      lines.push(JSON.stringify({ create: { _index: REGISTRY_INDICES.tenants, _id: tenantDocId(scope, r.tenant) } }));
      lines.push(JSON.stringify(doc));
    }
    const res = await request({
      method: 'POST',
      path: '/_bulk',
      querystring: { refresh: 'true' },
      body: `${lines.join('\n')}\n`,
    });
    const errors = (res.body as { errors?: boolean } | null)?.errors;
    if (res.statusCode !== 200 || errors) throw new Error(`seeding the registry failed: HTTP ${res.statusCode}`);
  }
}

/**
 * Append `count` entries to a scope's audit chain (a chain of its own: call it on a scope with none),
 * hash-chained as the console chains them, in bulk requests of 2,000; entries name `tenants` in turn.
 */
export async function seedAudit(
  esUrl: string,
  scope: string,
  count: number,
  tenants: readonly string[],
  by: OperatorStamp = { name: 'Seeder', workstation: 'bench-host' },
): Promise<void> {
  const request = fetchRequester(esUrl);
  await new EsRegistryBackend(request).ensure({ replicas: 0 });
  const actions = ['create', 'reveal', 'handoff', 'verify', 'rotate'];
  let prevHash = genesisHash(scope);
  const start = Date.parse('2026-06-01T00:00:00Z');
  for (let seq = 1; seq <= count; seq += 2000) {
    const lines: string[] = [];
    for (let s = seq; s < Math.min(seq + 2000, count + 1); s++) {
      const base: Omit<ChainedAuditEntry, 'hash'> = {
        scope,
        seq: s,
        time: new Date(start + s * 60_000).toISOString(),
        operator: by,
        action: actions[s % actions.length]!,
        outcome: 'ok',
        ...(tenants.length ? { tenant: tenants[s % tenants.length]! } : {}),
        detail: `bench entry ${s}`,
        prevHash,
      };
      const entry: ChainedAuditEntry = { ...base, hash: entryHash(base) };
      prevHash = entry.hash;
      lines.push(JSON.stringify({ create: { _index: REGISTRY_INDICES.audit, _id: auditDocId(scope, s) } }));
      lines.push(JSON.stringify(entry));
    }
    const res = await request({
      method: 'POST',
      path: '/_bulk',
      querystring: { refresh: 'true' },
      body: `${lines.join('\n')}\n`,
    });
    const errors = (res.body as { errors?: boolean } | null)?.errors;
    if (res.statusCode !== 200 || errors) throw new Error(`seeding the audit trail failed: HTTP ${res.statusCode}`);
  }
}

/** Delete every document (tenants and audit entries) of a scope: a test cleaning up after itself. */
export async function removeRegistryScope(esUrl: string, scope: string): Promise<void> {
  const request = fetchRequester(esUrl);
  for (const index of Object.values(REGISTRY_INDICES)) {
    for (;;) {
      const res = await request({
        method: 'POST',
        path: `/${index}/_search`,
        querystring: { filter_path: 'hits.hits._id', ignore_unavailable: 'true' },
        body: { size: 5000, _source: false, query: { term: { scope } } },
      });
      const ids = ((res.body as { hits?: { hits?: { _id: string }[] } } | null)?.hits?.hits ?? []).map((h) => h._id);
      if (ids.length === 0) break;
      const lines = ids.map((id) => JSON.stringify({ delete: { _index: index, _id: id } }));
      await request({
        method: 'POST',
        path: '/_bulk',
        querystring: { refresh: 'true' },
        body: `${lines.join('\n')}\n`,
      });
    }
  }
}
