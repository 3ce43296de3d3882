/**
 * The index browser: an instance's indices for a tenant or a pattern, with their health, documents
 * and size, and the aliases and templates of the same pattern (three requests, requests.ts).
 * Read-only; bounded: at most `limit` indices and MAX_INDEX_NAMES aliases and templates come back.
 */
import type { Client } from '@elastic/elasticsearch';
import {
  DEFAULT_INDEX_LIMIT,
  MAX_INDEX_NAMES,
  tenantPattern,
  type IndexListing,
} from '../../../shared/instances/index-listing';
import type { Instance } from '../../../shared/instances/instance';
import { classifyEsError, createMeter, meteredRequest } from '../es-client';
import { indexRequests, readAliasRows, readIndexRows, readTemplateNames } from './requests';

export interface IndicesDeps {
  instances: { get(id: string): Promise<{ instance: Instance }> };
  /** An Elasticsearch client for an instance (credentials from the keychain); closed after use. */
  esClientFactory: (instance: Instance) => Promise<Client>;
}

export interface IndexQuery {
  /** A tenant's indices (`*.<tenant>.tracardi-*`), or … */
  tenant?: string;
  /** … any pattern (checked by the contract: shared/instances/index-listing.ts). */
  pattern?: string;
  limit?: number;
}

export class IndicesService {
  readonly #deps: IndicesDeps;

  constructor(deps: IndicesDeps) {
    this.#deps = deps;
  }

  /** The indices, aliases and templates matching the tenant's names or the pattern. */
  async list(instanceId: string, query: IndexQuery): Promise<IndexListing> {
    const { instance } = await this.#deps.instances.get(instanceId);
    const pattern = query.tenant !== undefined ? tenantPattern(query.tenant) : (query.pattern ?? '');
    const limit = query.limit ?? DEFAULT_INDEX_LIMIT;
    const meter = createMeter();
    let client: Client | undefined;
    try {
      client = await this.#deps.esClientFactory(instance);
      const c = client;
      const opts = meteredRequest(meter, AbortSignal.timeout(instance.es.timeoutMs));
      const get = (r: { path: string; querystring: Record<string, string> }, ignore?: number[]) =>
        c.transport.request(
          { method: 'GET', path: r.path, querystring: r.querystring },
          ignore ? { ...opts, ignore } : opts,
        );
      const q = indexRequests(pattern);
      const [indices, aliases, templates] = await Promise.all([
        get(q.indices),
        get(q.aliases),
        get(q.templates, [404]),
      ]);
      const rows = readIndexRows(indices);
      return {
        instanceId: instance.id,
        pattern,
        indices: rows.slice(0, limit),
        total: rows.length,
        truncated: rows.length > limit,
        aliases: readAliasRows(aliases).slice(0, MAX_INDEX_NAMES),
        templates: readTemplateNames(templates).slice(0, MAX_INDEX_NAMES),
        esRequests: meter.requests,
      };
    } catch (err) {
      throw classifyEsError(err, instance);
    } finally {
      await client?.close().catch(() => undefined);
    }
  }
}
