/**
 * What the registry needs from a store of versioned documents: Elasticsearch's semantics, which
 * es-backend.ts speaks to a real cluster and memory-backend.ts reproduces for unit tests of the
 * tenant lifecycle (tests/integration/registry-backends.test.ts runs one suite against both).
 *
 * - `create` never overwrites (op_type=create): the loser of a race gets a RegistryConflict with
 *   the document that won.
 * - `replace` and `remove` are conditional on the version read (`if_seq_no` + `if_primary_term`);
 *   a conflict carries the current document, never a blind retry.
 * - `get`/`mget` are realtime (they see a write at once); `recent`/`page` are searches, which see
 *   what the last refresh made visible: writes that end an operation refresh.
 */
import type { ChainedAuditEntry, DocVersion, RegistryTenantDoc } from '../../../shared/team/registry';

export interface Versioned<T> {
  doc: T;
  version: DocVersion;
}

/** A document with its id. */
export interface Stored<T> extends Versioned<T> {
  id: string;
}

/** A conditional or create-only write lost: `current` is the document as it is now (null: gone). */
export class RegistryConflict extends Error {
  constructor(readonly current: Versioned<RegistryTenantDoc> | null) {
    super('registry version conflict');
    this.name = 'RegistryConflict';
  }
}

/** A tenant document's id and version, without its body (what a sync compares with its cache). */
export interface DocStamp {
  id: string;
  version: DocVersion;
}

/** Which audit entries: at or after `since`, of one action, of one tenant. */
export interface AuditFilter {
  since?: string;
  action?: string;
  tenant?: string;
}

/** What the connected user may do with the registry's indices; null: security is off (anything). */
export interface RegistryPrivileges {
  read: boolean;
  write: boolean;
  /** May create the indices (first use). */
  create: boolean;
  /** Privileges the console needs and lacks, named as Elasticsearch names them. */
  missing: string[];
}

export interface RegistryBackend {
  /** Create the indices when missing (first use); `replicas` as the instance's settings say. */
  ensure(options: { replicas: number }): Promise<{ created: string[] }>;
  /** Whether the indices exist (a read-only user cannot create them). */
  exists(): Promise<boolean>;
  get(id: string): Promise<Versioned<RegistryTenantDoc> | null>;
  mget(ids: readonly string[]): Promise<Map<string, Versioned<RegistryTenantDoc>>>;
  create(id: string, doc: RegistryTenantDoc, options?: { refresh?: boolean }): Promise<DocVersion>;
  replace(
    id: string,
    doc: RegistryTenantDoc,
    expected: DocVersion,
    options?: { refresh?: boolean },
  ): Promise<DocVersion>;
  remove(id: string, expected: DocVersion, options?: { refresh?: boolean }): Promise<void>;
  /** Conditional replaces in one request: per item its new version, or 'conflict'. */
  bulkReplace(
    items: readonly { id: string; doc: RegistryTenantDoc; expected: DocVersion }[],
  ): Promise<(DocVersion | 'conflict')[]>;
  /**
   * The scope's documents with the highest `_seq_no`, newest first, ids and versions only; with
   * `from`, only those at or above that `_seq_no` (a range the index answers without sorting the
   * whole scope).
   */
  recent(scope: string, size: number, from?: number): Promise<DocStamp[]>;
  /** The scope's documents in `_seq_no` order after `afterSeqNo`, with their bodies (a full read). */
  page(scope: string, afterSeqNo: number, size: number): Promise<Stored<RegistryTenantDoc>[]>;
  /** The tenants index's uuid: it changes when the index is deleted and made again. */
  indexUuid(): Promise<string | null>;
  /**
   * A short text that changes whenever a search of the tenants index could answer differently: a
   * write (its `_seq_no`), a refresh that makes writes visible, the index made again. Equal to the
   * one read before the last search: nothing a search would find has changed since. Null when it
   * cannot be told (the index is missing, or the user may not read its statistics): search.
   */
  changeToken(): Promise<string | null>;

  // ------------------------------------------------------------------ the audit chain
  /** The newest entry of the scope's chain (by seq), or null. */
  auditHead(scope: string): Promise<ChainedAuditEntry | null>;
  auditGet(id: string): Promise<ChainedAuditEntry | null>;
  /** Create-only: 'conflict' when an entry with that id exists. */
  auditCreate(id: string, entry: ChainedAuditEntry): Promise<'ok' | 'conflict'>;
  /** Entries of the scope, newest first, at most `limit`, matching the filter. */
  auditRecent(scope: string, limit: number, filter?: AuditFilter): Promise<ChainedAuditEntry[]>;
  /** Every entry of the scope in seq order, with its document id (for `audit verify`), page by page. */
  auditAll(scope: string, onPage: (entries: { id: string; entry: unknown }[]) => void): Promise<void>;

  /** What the connected user may do with the registry indices (null: security off). */
  privileges(): Promise<RegistryPrivileges | null>;
}
