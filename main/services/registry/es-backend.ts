/**
 * The registry on a real Elasticsearch: two hidden indices with strict mappings, documents written
 * create-only or conditionally on `if_seq_no`/`if_primary_term`, reads by realtime GET and by
 * searches sorted on `_seq_no` (the indices have one primary shard, so `_seq_no` orders every
 * write). Every request names its path and body here, so docs/security.md can list the privileges
 * they need.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import {
  chainedAuditEntrySchema,
  REGISTRY_INDICES,
  REGISTRY_MAPPINGS,
  REGISTRY_SCHEMA_VERSION,
  registryIndexSettings,
  registryTenantDocSchema,
  type ChainedAuditEntry,
  type DocVersion,
  type RegistryTenantDoc,
} from '../../../shared/team/registry';
import {
  RegistryConflict,
  type AuditFilter,
  type DocStamp,
  type RegistryBackend,
  type RegistryPrivileges,
  type Stored,
  type Versioned,
} from './backend';

export interface EsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  querystring?: Record<string, string>;
  body?: unknown;
}
export interface EsResponse {
  statusCode: number;
  body: unknown;
}
/**
 * Sends one request and answers its status and parsed body for every HTTP status; throws (a
 * ConsoleError) only when no answer came (refused, timeout, TLS, ...).
 */
export type EsRequester = (request: EsRequest) => Promise<EsResponse>;

const T = REGISTRY_INDICES.tenants;
const A = REGISTRY_INDICES.audit;
const enc = encodeURIComponent;

interface Hit {
  _id: string;
  _seq_no?: number;
  _primary_term?: number;
  _source?: unknown;
  found?: boolean;
}

function errorType(body: unknown): string {
  const e = (body as { error?: { type?: string; reason?: string } | string } | null)?.error;
  return typeof e === 'object' && e !== null ? (e.type ?? '') : '';
}
function errorReason(body: unknown): string {
  const e = (body as { error?: { type?: string; reason?: string } | string } | null)?.error;
  if (typeof e === 'string') return e.slice(0, 300);
  return `${e?.type ?? 'error'}: ${e?.reason ?? ''}`.slice(0, 300);
}

/** Why a request failed, as the operator reads it (403 names the privilege Elasticsearch wanted). */
function failure(what: string, res: EsResponse): ConsoleError {
  if (res.statusCode === 401)
    return new ConsoleError('es-unauthorized', `The team registry could not be ${what}: ${errorReason(res.body)}.`);
  if (res.statusCode === 403)
    return new ConsoleError('es-forbidden', `The team registry could not be ${what}: ${errorReason(res.body)}.`);
  return new ConsoleError(
    'es-error',
    `The team registry could not be ${what} (HTTP ${res.statusCode}: ${errorReason(res.body)}).`,
  );
}

function versionOf(hit: Hit): DocVersion {
  return { seqNo: Number(hit._seq_no), primaryTerm: Number(hit._primary_term) };
}

function parseDoc(hit: Hit): Versioned<RegistryTenantDoc> | null {
  const parsed = registryTenantDocSchema.safeParse(hit._source);
  // A document another version (or a hand) wrote in another shape is left out, not fatal.
  return parsed.success ? { doc: parsed.data, version: versionOf(hit) } : null;
}

const notFound = (res: EsResponse) => res.statusCode === 404;

type ShardStats = {
  routing?: { primary?: boolean };
  seq_no?: { max_seq_no?: number };
  refresh?: { total?: number; external_total?: number };
};

/** The tenants index's change token from its shard statistics; null when they do not say enough. */
export function tokenOf(body: unknown): string | null {
  const index = Object.values((body as { indices?: Record<string, unknown> } | null)?.indices ?? {})[0] as
    { uuid?: string; shards?: Record<string, ShardStats[]> } | undefined;
  const shards = Object.entries(index?.shards ?? {});
  if (!index?.uuid || shards.length !== 1) return null;
  const primary = shards[0]![1].find((copy) => copy.routing?.primary === true);
  // Refreshes for searchers (7.7 on); the count of every refresh before that, which moves more often.
  const refreshes = primary?.refresh?.external_total ?? primary?.refresh?.total;
  const seqNo = primary?.seq_no?.max_seq_no;
  if (typeof refreshes !== 'number' || typeof seqNo !== 'number') return null;
  return `${index.uuid}:${seqNo}:${refreshes}`;
}

/** The registry over one cluster, through `request`. */
export class EsRegistryBackend implements RegistryBackend {
  constructor(private readonly request: EsRequester) {}

  async exists(): Promise<boolean> {
    // A GET of one setting rather than a HEAD: the same answer, and a body every proxy frames alike.
    const res = await this.request({
      method: 'GET',
      path: `/${T},${A}/_settings/index.uuid`,
      querystring: { expand_wildcards: 'all', filter_path: '*.settings.index.uuid' },
    });
    if (res.statusCode === 200) return Object.keys((res.body ?? {}) as object).length === 2;
    if (res.statusCode === 404) return false;
    throw failure('read', res);
  }

  async ensure(options: { replicas: number }): Promise<{ created: string[] }> {
    const created: string[] = [];
    for (const [key, index] of Object.entries(REGISTRY_INDICES) as [keyof typeof REGISTRY_INDICES, string][]) {
      const res = await this.request({
        method: 'PUT',
        path: `/${index}`,
        body: { settings: registryIndexSettings(options.replicas), mappings: REGISTRY_MAPPINGS[key] },
      });
      if (res.statusCode === 200) created.push(index);
      else if (errorType(res.body) !== 'resource_already_exists_exception') throw failure('created', res);
    }
    if (created.length < 2) await this.checkVersion();
    return { created };
  }

  /**
   * Refuse an index whose mappings a newer console wrote (its documents may hold fields we drop);
   * bring an older one up to this version's mappings (fields are only ever added).
   */
  private async checkVersion(): Promise<void> {
    const res = await this.request({
      method: 'GET',
      path: `/${T},${A}/_mapping`,
      querystring: { filter_path: '*.mappings._meta', expand_wildcards: 'all' },
    });
    if (res.statusCode !== 200) throw failure('read', res);
    for (const [index, entry] of Object.entries((res.body ?? {}) as Record<string, unknown>)) {
      const meta = (entry as { mappings?: { _meta?: { schemaVersion?: unknown } } }).mappings?._meta;
      const version = Number(meta?.schemaVersion);
      if (Number.isFinite(version) && version > REGISTRY_SCHEMA_VERSION)
        throw new ConsoleError(
          'registry-read-only',
          `The team registry index ${index} was written by a newer console (schema ${version}; this one writes ${REGISTRY_SCHEMA_VERSION}): upgrade this console to change it.`,
        );
      if (!Number.isFinite(version) || version < REGISTRY_SCHEMA_VERSION) {
        const key = index === T ? 'tenants' : 'audit';
        const put = await this.request({ method: 'PUT', path: `/${index}/_mapping`, body: REGISTRY_MAPPINGS[key] });
        if (put.statusCode !== 200) throw failure('upgraded', put);
      }
    }
  }

  async get(id: string): Promise<Versioned<RegistryTenantDoc> | null> {
    const res = await this.request({ method: 'GET', path: `/${T}/_doc/${enc(id)}` });
    if (notFound(res)) return null;
    if (res.statusCode !== 200) throw failure('read', res);
    return parseDoc(res.body as Hit);
  }

  async mget(ids: readonly string[]): Promise<Map<string, Versioned<RegistryTenantDoc>>> {
    const out = new Map<string, Versioned<RegistryTenantDoc>>();
    for (let i = 0; i < ids.length; i += 500) {
      const res = await this.request({
        method: 'POST',
        path: `/${T}/_mget`,
        body: { ids: ids.slice(i, i + 500) },
      });
      if (notFound(res)) return out;
      if (res.statusCode !== 200) throw failure('read', res);
      for (const hit of (res.body as { docs?: Hit[] }).docs ?? []) {
        if (hit.found === false) continue;
        const v = parseDoc(hit);
        if (v) out.set(hit._id, v);
      }
    }
    return out;
  }

  async create(id: string, doc: RegistryTenantDoc, options: { refresh?: boolean } = {}): Promise<DocVersion> {
    const res = await this.request({
      method: 'PUT',
      path: `/${T}/_create/${enc(id)}`,
      querystring: { refresh: options.refresh ? 'true' : 'false' },
      body: doc,
    });
    if (res.statusCode === 409) throw new RegistryConflict(await this.get(id));
    if (res.statusCode !== 201 && res.statusCode !== 200) throw failure('written', res);
    return versionOf(res.body as Hit);
  }

  async replace(
    id: string,
    doc: RegistryTenantDoc,
    expected: DocVersion,
    options: { refresh?: boolean } = {},
  ): Promise<DocVersion> {
    const res = await this.request({
      method: 'PUT',
      path: `/${T}/_doc/${enc(id)}`,
      querystring: {
        if_seq_no: String(expected.seqNo),
        if_primary_term: String(expected.primaryTerm),
        refresh: options.refresh ? 'true' : 'false',
      },
      body: doc,
    });
    if (res.statusCode === 409) throw new RegistryConflict(await this.get(id));
    if (res.statusCode !== 200 && res.statusCode !== 201) throw failure('written', res);
    return versionOf(res.body as Hit);
  }

  async remove(id: string, expected: DocVersion, options: { refresh?: boolean } = {}): Promise<void> {
    const res = await this.request({
      method: 'DELETE',
      path: `/${T}/_doc/${enc(id)}`,
      querystring: {
        if_seq_no: String(expected.seqNo),
        if_primary_term: String(expected.primaryTerm),
        refresh: options.refresh ? 'true' : 'false',
      },
    });
    if (res.statusCode === 409) throw new RegistryConflict(await this.get(id));
    if (res.statusCode === 404 && errorType(res.body) === '') return; // already gone
    if (res.statusCode !== 200) throw failure('written', res);
  }

  async bulkReplace(
    items: readonly { id: string; doc: RegistryTenantDoc; expected: DocVersion }[],
  ): Promise<(DocVersion | 'conflict')[]> {
    if (items.length === 0) return [];
    const lines: string[] = [];
    for (const item of items) {
      lines.push(
        JSON.stringify({
          index: {
            _index: T,
            _id: item.id,
            if_seq_no: item.expected.seqNo,
            if_primary_term: item.expected.primaryTerm,
          },
        }),
        JSON.stringify(item.doc),
      );
    }
    const res = await this.request({
      method: 'POST',
      path: '/_bulk',
      querystring: {
        refresh: 'true',
        filter_path: 'items.*.status,items.*._seq_no,items.*._primary_term,items.*.error.type,items.*.error.reason',
      },
      body: `${lines.join('\n')}\n`,
    });
    if (res.statusCode !== 200) throw failure('written', res);
    const results = (res.body as { items?: Record<string, Hit & { status: number; error?: unknown }>[] }).items ?? [];
    return items.map((_, i) => {
      const r = results[i] ? Object.values(results[i]!)[0] : undefined;
      if (!r) throw new ConsoleError('es-error', 'The team registry answered a bulk write without its results.');
      if (r.status === 409) return 'conflict';
      if (r.status >= 300) throw failure('written', { statusCode: r.status, body: r });
      return versionOf(r);
    });
  }

  async recent(scope: string, size: number, from?: number): Promise<DocStamp[]> {
    const filter: unknown[] = [{ term: { scope } }];
    if (from !== undefined) filter.push({ range: { _seq_no: { gte: from } } });
    const res = await this.request({
      method: 'POST',
      path: `/${T}/_search`,
      querystring: { filter_path: 'hits.hits._id,hits.hits._seq_no,hits.hits._primary_term' },
      body: {
        size,
        _source: false,
        seq_no_primary_term: true,
        track_total_hits: false,
        sort: [{ _seq_no: 'desc' }],
        query: { bool: { filter } },
      },
    });
    if (notFound(res)) return [];
    if (res.statusCode !== 200) throw failure('read', res);
    return ((res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? []).map((h) => ({
      id: h._id,
      version: versionOf(h),
    }));
  }

  async page(scope: string, afterSeqNo: number, size: number): Promise<Stored<RegistryTenantDoc>[]> {
    const res = await this.request({
      method: 'POST',
      path: `/${T}/_search`,
      querystring: { filter_path: 'hits.hits._id,hits.hits._seq_no,hits.hits._primary_term,hits.hits._source' },
      body: {
        size,
        seq_no_primary_term: true,
        track_total_hits: false,
        sort: [{ _seq_no: 'asc' }],
        query: { bool: { filter: [{ term: { scope } }, { range: { _seq_no: { gt: afterSeqNo } } }] } },
      },
    });
    if (notFound(res)) return [];
    if (res.statusCode !== 200) throw failure('read', res);
    const out: Stored<RegistryTenantDoc>[] = [];
    for (const hit of (res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? []) {
      const v = parseDoc(hit);
      // An unreadable document still moves the cursor: keep its place with the version alone.
      if (v) out.push({ id: hit._id, ...v });
      else out.push({ id: hit._id, doc: null as unknown as RegistryTenantDoc, version: versionOf(hit) });
    }
    return out;
  }

  async indexUuid(): Promise<string | null> {
    const res = await this.request({
      method: 'GET',
      path: `/${T}/_settings/index.uuid`,
      querystring: { expand_wildcards: 'all', filter_path: '*.settings.index.uuid' },
    });
    if (notFound(res)) return null;
    if (res.statusCode !== 200) throw failure('read', res);
    const entry = Object.values((res.body ?? {}) as Record<string, { settings?: { index?: { uuid?: string } } }>)[0];
    return entry?.settings?.index?.uuid ?? null;
  }

  async changeToken(): Promise<string | null> {
    // The one shard's statistics (the index has one primary): its newest `_seq_no` moves with every
    // write, and its count of refreshes for searchers with every refresh that makes writes visible.
    // A write a search did not see yet is seen after the refresh that moves the count. About a
    // plain health call in cost, where the sync's search is two to four.
    const res = await this.request({
      method: 'GET',
      path: `/${T}/_stats/refresh`,
      querystring: {
        level: 'shards',
        filter_path: [
          'indices.*.uuid',
          'indices.*.shards.*.routing.primary',
          'indices.*.shards.*.seq_no.max_seq_no',
          'indices.*.shards.*.refresh.total',
          'indices.*.shards.*.refresh.external_total',
        ].join(','),
      },
    });
    // Missing, or no right to read statistics (index monitor): the sync searches, as without.
    if (res.statusCode !== 200) {
      if (notFound(res) || res.statusCode === 403) return null;
      throw failure('read', res);
    }
    return tokenOf(res.body);
  }

  // ------------------------------------------------------------------------------- audit

  async auditHead(scope: string): Promise<ChainedAuditEntry | null> {
    return (await this.auditRecent(scope, 1))[0] ?? null;
  }

  async auditGet(id: string): Promise<ChainedAuditEntry | null> {
    const res = await this.request({ method: 'GET', path: `/${A}/_doc/${enc(id)}` });
    if (notFound(res)) return null;
    if (res.statusCode !== 200) throw failure('read', res);
    const parsed = chainedAuditEntrySchema.safeParse((res.body as Hit)._source);
    return parsed.success ? parsed.data : null;
  }

  async auditCreate(id: string, entry: ChainedAuditEntry): Promise<'ok' | 'conflict'> {
    const res = await this.request({
      method: 'PUT',
      path: `/${A}/_create/${enc(id)}`,
      querystring: { refresh: 'true' },
      body: entry,
    });
    if (res.statusCode === 409) return 'conflict';
    if (res.statusCode !== 201 && res.statusCode !== 200) throw failure('written', res);
    return 'ok';
  }

  async auditRecent(scope: string, limit: number, f: AuditFilter = {}): Promise<ChainedAuditEntry[]> {
    const filter: unknown[] = [{ term: { scope } }];
    if (f.since !== undefined) filter.push({ range: { time: { gte: f.since } } });
    if (f.action !== undefined) filter.push({ term: { action: f.action } });
    if (f.tenant !== undefined) filter.push({ term: { tenant: f.tenant } });
    const res = await this.request({
      method: 'POST',
      path: `/${A}/_search`,
      querystring: { filter_path: 'hits.hits._source' },
      body: { size: limit, track_total_hits: false, sort: [{ seq: 'desc' }], query: { bool: { filter } } },
    });
    if (notFound(res)) return [];
    if (res.statusCode !== 200) throw failure('read', res);
    const out: ChainedAuditEntry[] = [];
    for (const hit of (res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? []) {
      const parsed = chainedAuditEntrySchema.safeParse(hit._source);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  async auditAll(scope: string, onPage: (entries: { id: string; entry: unknown }[]) => void): Promise<void> {
    // In the entries' own `seq` order; the verifier checks each entry's seq against its document id,
    // so an entry moved or renumbered by hand is found however it sorts.
    let after: unknown[] | null = null;
    for (;;) {
      const res = await this.request({
        method: 'POST',
        path: `/${A}/_search`,
        querystring: { filter_path: 'hits.hits._id,hits.hits._source,hits.hits.sort' },
        body: {
          size: 1000,
          track_total_hits: false,
          sort: [{ seq: 'asc' }, { time: 'asc' }],
          query: { bool: { filter: [{ term: { scope } }] } },
          ...(after !== null ? { search_after: after } : {}),
        },
      });
      if (notFound(res)) return;
      if (res.statusCode !== 200) throw failure('read', res);
      const hits = (res.body as { hits?: { hits?: (Hit & { sort?: unknown[] })[] } }).hits?.hits ?? [];
      if (hits.length === 0) return;
      onPage(hits.map((h) => ({ id: h._id, entry: h._source })));
      after = hits[hits.length - 1]!.sort ?? null;
      if (hits.length < 1000 || after === null) return;
    }
  }

  // --------------------------------------------------------------------------- privileges

  async privileges(): Promise<RegistryPrivileges | null> {
    const res = await this.request({
      method: 'POST',
      path: '/_security/user/_has_privileges',
      body: {
        index: [
          {
            names: [T, A],
            privileges: ['read', 'create_doc', 'index', 'delete', 'create_index'],
            allow_restricted_indices: false,
          },
        ],
      },
    });
    // Security off: the endpoint does not exist (400 "no handler found") or says security is disabled.
    if (res.statusCode === 400 || res.statusCode === 404 || res.statusCode === 500) {
      const text = JSON.stringify(res.body ?? '');
      if (/no handler found|security is not enabled|security must be explicitly enabled/i.test(text)) return null;
    }
    if (res.statusCode !== 200) throw failure('checked', res);
    const byIndex = (res.body as { index?: Record<string, Record<string, boolean>> }).index ?? {};
    const has = (privilege: string) => Object.values(byIndex).every((p) => p[privilege] === true);
    const missing = ['read', 'create_doc', 'index', 'delete', 'create_index'].filter((p) => !has(p));
    return {
      read: has('read'),
      write: has('create_doc') && has('index') && has('delete'),
      create: has('create_index'),
      missing,
    };
  }
}
