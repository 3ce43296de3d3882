/**
 * The local cache of one instance's registry, in `<dataDir>/registry/<instanceId>/`: for speed and
 * for reading while the registry is unreachable, never a second truth (every document in it carries
 * the `_seq_no` it had in the registry, and a merge never goes back to an older one).
 *
 * - `state.json`: the scope, the sync cursor (highest `_seq_no` seen), when the last sync and the last
 *   full read were, and the registry's health as last seen (reachable, read-only since when, why).
 * - `docs-<00..63>.json`: the documents, spread over 64 files by a hash of the tenant name, so
 *   `tenants show` reads one small file whatever the fleet's size, and a sync rewrites only the
 *   files its changes fall in.
 *
 * Files are written whole and renamed into place; a merge holds `cache.lock` (the settings store's
 * cross-process lock), so the window, the browser shell and any tenantctl on one data folder never
 * lose each other's documents.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isoTimeSchema } from '../../../shared/text/iso-time';
import { registryHealthSchema, type RegistryHealth, type RegistryTenantDoc } from '../../../shared/team/registry';
import { withFileLock } from '../settings-store';
import type { Stored } from './backend';

export const BUCKETS = 64;
/**
 * A sync that finds nothing new moves only `syncedAt`: written to state.json at most this often (a
 * screen refreshing every few seconds would otherwise lock, write and rename it every time), kept
 * in memory between. Another shell on the data folder reads a time at most this old: still a time
 * the cache was in sync.
 */
export const SYNCED_AT_WRITE_MS = 60_000;

export type { RegistryHealth };

const stateSchema = z.object({
  version: z.literal(1),
  scope: z.string(),
  indexUuid: z.string().nullable(),
  cursor: z.number().int(),
  syncedAt: isoTimeSchema.nullable(),
  fullSyncAt: isoTimeSchema.nullable(),
  health: registryHealthSchema,
  /** The newest audit entry this console saw: `audit verify` finds a chain cut short after it. */
  auditHead: z.object({ seq: z.number().int(), hash: z.string(), seenAt: isoTimeSchema }).nullable(),
  /**
   * Ids of cached documents in phase creating: a create that is undone deletes its claim, which a
   * search cannot show, so each sync reads these again (one `_mget`, usually of nothing).
   */
  creating: z.array(z.string()).default([]),
  /** The index's change token read before the last search (sync.ts): the same now, nothing new. */
  changeToken: z.string().nullable().default(null),
});
export type CacheState = z.infer<typeof stateSchema>;

type Bucket = Record<string, { doc: RegistryTenantDoc; version: { seqNo: number; primaryTerm: number } }>;

// The cache holds only documents that passed registryTenantDocSchema on their way from the registry:
// reading it back checks the shape cheaply (a list of 10,000 records must not pay a schema per document).
const bucketSchema = {
  safeParse(value: unknown): { success: true; data: Bucket } | { success: false } {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { success: false };
    for (const entry of Object.values(value as Record<string, unknown>)) {
      const e = entry as {
        doc?: { tenant?: unknown; scope?: unknown; record?: unknown };
        version?: { seqNo?: unknown };
      };
      if (
        typeof e?.doc?.tenant !== 'string' ||
        typeof e.doc.scope !== 'string' ||
        typeof e.doc.record !== 'object' ||
        typeof e.version?.seqNo !== 'number'
      )
        return { success: false };
    }
    return { success: true, data: value as Bucket };
  },
};

/** Which of the 64 files a tenant's document lives in. */
export function bucketOf(tenant: string): number {
  return createHash('sha1').update(tenant).digest()[0]! % BUCKETS;
}

function writeJsonAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Every write here renames a file into the folder, which changes the folder's times: an unchanged
 * folder stamp means no bucket changed (one stat instead of 64 for a list of every document).
 */
function folderStampOf(dir: string): { stamp: string; changedMs: number; stepMs: number } | null {
  const st = fs.statSync(dir, { bigint: true, throwIfNoEntry: false });
  if (!st) return null;
  // Whole seconds (HFS+, ext3, FAT): a time step of up to 2 s; finer ones step by a clock tick (<= 10 ms).
  const stepMs = st.mtimeNs % 1_000_000_000n === 0n ? 2_000 : 100;
  return { stamp: `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`, changedMs: Number(st.mtimeNs / 1_000_000n), stepMs };
}

function stampOf(file: string): string {
  try {
    // A missing file answers undefined: a thrown ENOENT costs more than the stat (64 of them a list).
    const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    return st ? `${st.ino}:${st.size}:${st.mtimeNs}` : 'missing';
  } catch {
    return 'missing';
  }
}

/** The cache of one instance's registry. */
export class RegistryCache {
  readonly dir: string;
  /** Parsed files by name, with the stamp they were parsed at (a long-lived shell parses once). */
  private readonly memo = new Map<string, { stamp: string; value: unknown }>();
  /** Every document of a scope, at a folder stamp (see `all`). */
  private allMemo: { scope: string; stamp: string; docs: Stored<RegistryTenantDoc>[] } | null = null;
  /** The last sync that found nothing new, when newer than state.json's (see SYNCED_AT_WRITE_MS). */
  private lastSync: { scope: string; at: string } | null = null;

  constructor(dataDir: string, instanceId: string) {
    this.dir = path.join(dataDir, 'registry', instanceId);
  }

  /** The state (with the last sync's time, when only this process knows it yet). */
  state(scope: string): CacheState {
    const disk = this.diskState(scope);
    const later = this.lastSync;
    if (later?.scope === scope && (disk.syncedAt === null || Date.parse(later.at) > Date.parse(disk.syncedAt)))
      return { ...disk, syncedAt: later.at };
    return disk;
  }

  /**
   * Record a sync that found nothing new (no document, the cursor where it was): `at` is written to
   * state.json when what it holds is SYNCED_AT_WRITE_MS old, else kept in memory.
   */
  touch(scope: string, at: string): void {
    const disk = this.diskState(scope).syncedAt;
    if (disk !== null && Date.parse(at) - Date.parse(disk) < SYNCED_AT_WRITE_MS) {
      this.lastSync = { scope, at };
      return;
    }
    this.merge(scope, [], { syncedAt: at });
  }

  /** The state as on disk, or a fresh one for `scope` (a scope that changed starts afresh). */
  private diskState(scope: string): CacheState {
    const read = this.read('state.json', stateSchema);
    if (read && read.scope === scope) return read;
    return {
      version: 1,
      scope,
      indexUuid: null,
      cursor: -1,
      syncedAt: null,
      fullSyncAt: null,
      health: { state: 'unknown' },
      auditHead: null,
      creating: [],
      changeToken: null,
    };
  }

  /** Every cached document of the scope. */
  all(scope: string): Stored<RegistryTenantDoc>[] {
    const now = Date.now();
    const folder = folderStampOf(this.dir);
    // No folder (never synced: records still local): one stat, not 64 that each throw.
    if (!folder) return [];
    const memo = this.allMemo;
    if (memo && memo.scope === scope && memo.stamp === folder.stamp) return memo.docs.slice();
    const out: Stored<RegistryTenantDoc>[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      for (const [id, entry] of Object.entries(this.bucket(b)))
        if (entry.doc.scope === scope) out.push({ id, ...entry });
    }
    // Kept only when the folder's last change is older than its file system's time step: a change
    // in the same step would leave the stamp as it is.
    this.allMemo = now - folder.changedMs > folder.stepMs ? { scope, stamp: folder.stamp, docs: out } : null;
    return out.slice();
  }

  /** One tenant's cached document. */
  get(scope: string, tenant: string): Stored<RegistryTenantDoc> | null {
    const id = `${scope}/${tenant}`;
    const entry = this.bucket(bucketOf(tenant))[id];
    return entry ? { id, ...entry } : null;
  }

  /**
   * Merge documents read from the registry (never replacing one with an older `_seq_no`) and the
   * state; `replaceAll` (a full read) drops what the registry no longer has.
   */
  merge(
    scope: string,
    docs: readonly Stored<RegistryTenantDoc>[],
    state: Partial<CacheState>,
    options: { replaceAll?: boolean; gone?: readonly string[] } = {},
  ): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    withFileLock(path.join(this.dir, 'cache.lock'), () => {
      const current = this.state(scope);
      const byBucket = new Map<number, Stored<RegistryTenantDoc>[]>();
      for (const d of docs) {
        const b = bucketOf(d.doc.tenant);
        byBucket.set(b, [...(byBucket.get(b) ?? []), d]);
      }
      // Documents deleted from the registry (an undone create's claim): their buckets are rewritten too.
      for (const id of options.gone ?? []) {
        const b = bucketOf(id.slice(scope.length + 1));
        if (!byBucket.has(b)) byBucket.set(b, []);
      }
      const touched = options.replaceAll || current.scope !== scope ? [...Array(BUCKETS).keys()] : [...byBucket.keys()];
      const creating = new Set(options.replaceAll ? [] : current.creating);
      const gone = new Set(options.gone ?? []);
      for (const id of gone) creating.delete(id);
      for (const b of touched) {
        const bucket: Bucket = options.replaceAll ? {} : { ...this.bucket(b) };
        for (const id of gone) delete bucket[id];
        for (const d of byBucket.get(b) ?? []) {
          const had = bucket[d.id];
          if (!had || options.replaceAll || had.version.seqNo <= d.version.seqNo) {
            bucket[d.id] = { doc: d.doc, version: d.version };
            if (d.doc.phase === 'creating') creating.add(d.id);
            else creating.delete(d.id);
          }
        }
        this.write(`docs-${String(b).padStart(2, '0')}.json`, bucket);
      }
      // The cursor never goes back, except with a full read (the index was made again).
      const cursor = options.replaceAll ? (state.cursor ?? -1) : Math.max(current.cursor, state.cursor ?? -1);
      this.write('state.json', { ...current, ...state, scope, cursor, creating: [...creating] });
      if (options.replaceAll) this.damaged = false;
    });
  }

  /** Change only the state (health, audit head). */
  setState(scope: string, patch: Partial<CacheState>): CacheState {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return withFileLock(path.join(this.dir, 'cache.lock'), () => {
      const next = { ...this.state(scope), ...patch, scope };
      this.write('state.json', next);
      return next;
    });
  }

  /** Forget the instance's cache (the instance was removed from this console). */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.memo.clear();
    this.allMemo = null;
    this.lastSync = null;
  }

  private bucket(b: number): Bucket {
    return this.read(`docs-${String(b).padStart(2, '0')}.json`, bucketSchema) ?? {};
  }

  /** True when a cache file could not be read back: the next sync reads the whole registry again. */
  damaged = false;

  /**
   * Whether every cache file reads back (each parsed once per change of the file, by its stamp, so
   * a long-lived shell pays a stat per file): a sync that sends no search still finds a damaged one.
   */
  intact(): boolean {
    // Every file is written whole and renamed into place, which moves the folder's stamp (see
    // folderStampOf): while it stands still, the files found whole still are (one stat a steady sync).
    const now = Date.now();
    const folder = folderStampOf(this.dir);
    if (!folder) return !this.damaged;
    if (this.intactAt === folder.stamp && !this.damaged) return true;
    for (let b = 0; b < BUCKETS; b++) this.bucket(b);
    this.read('state.json', stateSchema);
    // Trusted only once the folder's last change is older than its time step, as `all` does.
    this.intactAt = !this.damaged && now - folder.changedMs > folder.stepMs ? folder.stamp : null;
    return !this.damaged;
  }

  /** The folder's stamp when every file last read back whole (see `intact`). */
  private intactAt: string | null = null;

  private read<T>(
    name: string,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  ): T | null {
    const file = path.join(this.dir, name);
    const stamp = stampOf(file);
    const memo = this.memo.get(name);
    if (memo && memo.stamp === stamp) return memo.value as T | null;
    let value: T | null = null;
    if (stamp !== 'missing') {
      try {
        const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
        // A damaged cache file is only a cache: it reads as empty and the next sync fills it again.
        value = parsed.success ? parsed.data : null;
      } catch {
        value = null;
      }
      if (value === null) this.damaged = true;
    }
    this.memo.set(name, { stamp, value });
    return value;
  }

  private write(name: string, data: unknown): void {
    const file = path.join(this.dir, name);
    writeJsonAtomic(file, data);
    this.memo.set(name, { stamp: stampOf(file), value: data });
    this.allMemo = null;
  }
}
