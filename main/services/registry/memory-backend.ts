/**
 * The registry's semantics in memory, for unit tests of the tenant lifecycle that run without an
 * Elasticsearch (house style: a real dependency or, for pure logic, an in-memory one). Every write
 * takes the next `_seq_no` of its index, as on a one-shard index; create-only and conditional
 * writes refuse as Elasticsearch does. tests/integration/registry-backends.test.ts holds both
 * backends to the same suite.
 */
import { structuredCloneJson } from './clone';
import type { ChainedAuditEntry, DocVersion, RegistryTenantDoc } from '../../../shared/team/registry';
import {
  RegistryConflict,
  type AuditFilter,
  type DocStamp,
  type RegistryBackend,
  type RegistryPrivileges,
  type Stored,
  type Versioned,
} from './backend';

const TERM = 1;

/** A whole registry (both indices) in memory; share one between two "consoles" in a test. */
export class MemoryRegistryBackend implements RegistryBackend {
  private tenantSeq = -1;
  private readonly tenants = new Map<string, { doc: RegistryTenantDoc; seqNo: number }>();
  private readonly audit = new Map<string, ChainedAuditEntry>();
  private created = false;
  /**
   * Writes that reached an index before `ensure` made it: Elasticsearch would have made that index
   * itself, with dynamic mappings no search by scope can read (tests check this stays empty).
   */
  readonly writesBeforeEnsure: string[] = [];
  /** What the test's user may do (null: security off). */
  privilegesAnswer: RegistryPrivileges | null = null;
  /** Set to make every call fail as an unreachable cluster would. */
  down: Error | null = null;
  /** Called before each write (tests kill or fail a process at a chosen step). */
  beforeWrite: ((what: string, id: string) => void) | null = null;
  /** How many times a sync asked whether anything changed (tests count the searches it saved). */
  changeTokenReads = 0;
  private readonly uuid = `mem-${Math.random().toString(36).slice(2)}`;

  private check(): void {
    if (this.down) throw this.down;
  }
  private write(what: string, id: string): void {
    this.check();
    this.beforeWrite?.(what, id);
  }

  async exists(): Promise<boolean> {
    this.check();
    return this.created;
  }
  async ensure(): Promise<{ created: string[] }> {
    this.check();
    if (this.created) return { created: [] };
    this.created = true;
    return { created: ['tenants', 'audit'] };
  }

  async get(id: string): Promise<Versioned<RegistryTenantDoc> | null> {
    this.check();
    const hit = this.tenants.get(id);
    return hit ? { doc: structuredCloneJson(hit.doc), version: { seqNo: hit.seqNo, primaryTerm: TERM } } : null;
  }

  async mget(ids: readonly string[]): Promise<Map<string, Versioned<RegistryTenantDoc>>> {
    const out = new Map<string, Versioned<RegistryTenantDoc>>();
    for (const id of ids) {
      const v = await this.get(id);
      if (v) out.set(id, v);
    }
    return out;
  }

  async create(id: string, doc: RegistryTenantDoc): Promise<DocVersion> {
    this.write('create', id);
    this.created = true;
    if (this.tenants.has(id)) throw new RegistryConflict(await this.get(id));
    return this.store(id, doc);
  }

  async replace(id: string, doc: RegistryTenantDoc, expected: DocVersion): Promise<DocVersion> {
    this.write('replace', id);
    const hit = this.tenants.get(id);
    if (!hit || hit.seqNo !== expected.seqNo || expected.primaryTerm !== TERM)
      throw new RegistryConflict(await this.get(id));
    return this.store(id, doc);
  }

  async remove(id: string, expected: DocVersion): Promise<void> {
    this.write('remove', id);
    const hit = this.tenants.get(id);
    if (!hit) return;
    if (hit.seqNo !== expected.seqNo) throw new RegistryConflict(await this.get(id));
    this.tenantSeq++;
    this.tenants.delete(id);
  }

  async bulkReplace(
    items: readonly { id: string; doc: RegistryTenantDoc; expected: DocVersion }[],
  ): Promise<(DocVersion | 'conflict')[]> {
    const out: (DocVersion | 'conflict')[] = [];
    for (const item of items) {
      try {
        out.push(await this.replace(item.id, item.doc, item.expected));
      } catch (err) {
        if (!(err instanceof RegistryConflict)) throw err;
        out.push('conflict');
      }
    }
    return out;
  }

  async recent(scope: string, size: number, from?: number): Promise<DocStamp[]> {
    this.check();
    return [...this.tenants.entries()]
      .filter(([, v]) => v.doc.scope === scope && (from === undefined || v.seqNo >= from))
      .sort(([, a], [, b]) => b.seqNo - a.seqNo)
      .slice(0, size)
      .map(([id, v]) => ({ id, version: { seqNo: v.seqNo, primaryTerm: TERM } }));
  }

  async page(scope: string, afterSeqNo: number, size: number): Promise<Stored<RegistryTenantDoc>[]> {
    this.check();
    return [...this.tenants.entries()]
      .filter(([, v]) => v.doc.scope === scope && v.seqNo > afterSeqNo)
      .sort(([, a], [, b]) => a.seqNo - b.seqNo)
      .slice(0, size)
      .map(([id, v]) => ({ id, doc: structuredCloneJson(v.doc), version: { seqNo: v.seqNo, primaryTerm: TERM } }));
  }

  async indexUuid(): Promise<string | null> {
    this.check();
    return this.created ? this.uuid : null;
  }

  /** Every write moves `tenantSeq`, and a write is visible to a search at once here. */
  async changeToken(): Promise<string | null> {
    this.check();
    this.changeTokenReads++;
    return this.created ? `${this.uuid}:${this.tenantSeq}` : null;
  }

  async auditHead(scope: string): Promise<ChainedAuditEntry | null> {
    return (await this.auditRecent(scope, 1))[0] ?? null;
  }
  async auditGet(id: string): Promise<ChainedAuditEntry | null> {
    this.check();
    const e = this.audit.get(id);
    return e ? structuredCloneJson(e) : null;
  }
  async auditCreate(id: string, entry: ChainedAuditEntry): Promise<'ok' | 'conflict'> {
    this.write('audit', id);
    if (!this.created) this.writesBeforeEnsure.push(`audit ${id}`);
    if (this.audit.has(id)) return 'conflict';
    this.audit.set(id, structuredCloneJson(entry));
    return 'ok';
  }
  async auditRecent(scope: string, limit: number, f: AuditFilter = {}): Promise<ChainedAuditEntry[]> {
    this.check();
    return [...this.audit.values()]
      .filter(
        (e) =>
          e.scope === scope &&
          (f.since === undefined || new Date(e.time).getTime() >= new Date(f.since).getTime()) &&
          (f.action === undefined || e.action === f.action) &&
          (f.tenant === undefined || e.tenant === f.tenant),
      )
      .sort((a, b) => b.seq - a.seq)
      .slice(0, limit)
      .map(structuredCloneJson);
  }
  async auditAll(scope: string, onPage: (entries: { id: string; entry: unknown }[]) => void): Promise<void> {
    this.check();
    const all = [...this.audit.entries()].filter(([, e]) => e.scope === scope).sort(([, a], [, b]) => a.seq - b.seq);
    if (all.length) onPage(all.map(([id, entry]) => ({ id, entry: structuredCloneJson(entry) })));
  }

  async privileges(): Promise<RegistryPrivileges | null> {
    this.check();
    return this.privilegesAnswer;
  }

  /** Change an audit entry behind the console's back (tests of `audit verify`). */
  tamperAudit(id: string, change: (entry: ChainedAuditEntry) => ChainedAuditEntry | null): void {
    const e = this.audit.get(id);
    if (!e) return;
    const next = change(structuredCloneJson(e));
    if (next === null) this.audit.delete(id);
    else this.audit.set(id, next);
  }

  private store(id: string, doc: RegistryTenantDoc): DocVersion {
    this.tenantSeq++;
    this.tenants.set(id, { doc: structuredCloneJson(doc), seqNo: this.tenantSeq });
    return { seqNo: this.tenantSeq, primaryTerm: TERM };
  }
}
