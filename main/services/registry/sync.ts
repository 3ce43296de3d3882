/**
 * Bringing the local cache up to the registry with as little as possible on the wire.
 *
 * The tenants index has one primary shard, so every write takes the next `_seq_no` of the index.
 * A steady sync asks for the ids and versions of the scope's RECENT_WINDOW documents with the
 * highest `_seq_no` at or above RECENT_MARGIN below the cursor (one small search, no bodies: the
 * range is answered from the index's points, so the search reads a few documents, not the whole
 * scope), and fetches by realtime `_mget` only those whose version differs from the cache. The
 * window reaches below the cursor on purpose: a write still in flight when the last search ran (a
 * lower `_seq_no` made visible after a higher one) is caught by the next sync. More changes than the window since the last sync: the changes are read page by
 * page from just below the cursor. An index that went back (made again), a damaged cache or
 * FULL_SYNC_MS since the last full read: the whole scope is read again.
 *
 * Before the search, a steady sync asks the index whether anything changed at all (its change
 * token: the newest `_seq_no` and the count of refreshes for searchers, from its one shard's
 * statistics, a request that costs about one health call where the search costs two to four).
 * The same token as before the last search: nothing to search for.
 */
import type { RegistryTenantDoc } from '../../../shared/team/registry';
import type { RegistryBackend, Stored } from './backend';
import type { RegistryCache } from './cache';

export const RECENT_WINDOW = 64;
/** How far below the cursor a steady sync looks for writes made visible late (index-wide `_seq_no`s). */
export const RECENT_MARGIN = 64;

/** Where a steady sync's window starts: RECENT_MARGIN below the cursor. */
export function windowStart(cursor: number): number {
  return Math.max(0, cursor - RECENT_MARGIN);
}
const PAGE = 1000;
/** A full read at least this often also finds documents deleted by hand (a sync sees only writes). */
export const FULL_SYNC_MS = 60 * 60_000;

/** A document new or changed since the last sync, with what the cache held before (null: new to it). */
export interface DocChange extends Stored<RegistryTenantDoc> {
  before: RegistryTenantDoc | null;
}

export interface SyncResult {
  /** Documents new or changed since the last sync (for the Changes feed: what others did). */
  changed: DocChange[];
  full: boolean;
  /** Requests sent. */
  requests: number;
}

/**
 * Whether the next sync reads the whole scope: never read in full, a damaged cache, or FULL_SYNC_MS
 * since the last full read. (A scope with no document yet keeps its cursor at -1 after its first
 * full read: that is no reason to read it all again.)
 */
export function fullReadDue(cache: RegistryCache, scope: string, now: Date): boolean {
  const state = cache.state(scope);
  return (
    cache.damaged || state.fullSyncAt === null || now.getTime() - new Date(state.fullSyncAt).getTime() >= FULL_SYNC_MS
  );
}

/** Sync the cache of one scope with the registry; throws when the registry does not answer. */
export async function syncScope(
  backend: RegistryBackend,
  cache: RegistryCache,
  scope: string,
  now: Date,
): Promise<SyncResult> {
  const state = cache.state(scope);
  if (fullReadDue(cache, scope, now)) return fullSync(backend, cache, scope, now);

  // Anything new? The index's change token, read before the search: equal to the one read before
  // the last search, nothing a search would find has changed since (claims being created are read
  // again all the same: an undone create deletes its claim).
  const token = await backend.changeToken();
  let requests = 1;
  if (token !== null && token === state.changeToken && state.creating.length === 0) {
    if (!cache.intact()) return fullSync(backend, cache, scope, now, requests);
    cache.touch(scope, now.toISOString());
    return { changed: [], full: false, requests };
  }
  const stamps = await backend.recent(scope, RECENT_WINDOW, windowStart(state.cursor));
  requests++;
  const newest = stamps[0]?.version.seqNo ?? -1;
  // The index went back (deleted and made again, restored): read it all.
  if (newest < state.cursor) return fullSync(backend, cache, scope, now, requests);
  // Every document of the window is past the cursor: there may be more below it. Read the changes
  // since just below the cursor, bodies included, page by page.
  if (stamps.length === RECENT_WINDOW && stamps[stamps.length - 1]!.version.seqNo > state.cursor) {
    const changed: DocChange[] = [];
    let after = state.cursor - RECENT_WINDOW;
    for (;;) {
      const page = await backend.page(scope, after, PAGE);
      requests++;
      for (const d of page) {
        after = Math.max(after, d.version.seqNo);
        const cached = cache.get(scope, d.id.slice(scope.length + 1));
        if (d.doc !== null && cached?.version.seqNo !== d.version.seqNo)
          changed.push({ ...d, before: cached?.doc ?? null });
      }
      if (page.length < PAGE) break;
    }
    cache.merge(scope, changed, {
      cursor: Math.max(state.cursor, newest, after),
      syncedAt: now.toISOString(),
      changeToken: token,
    });
    return { changed, full: false, requests };
  }
  const stale = stamps.filter((s) => {
    const cached = cache.get(scope, s.id.slice(scope.length + 1));
    return !cached || cached.version.seqNo !== s.version.seqNo || cached.version.primaryTerm !== s.version.primaryTerm;
  });
  // Claims the cache holds as creating are read again: an undone create deletes its claim.
  const ids = [...new Set([...stale.map((s) => s.id), ...state.creating])];
  let changed: DocChange[] = [];
  let gone: string[] = [];
  if (ids.length > 0) {
    const docs = await backend.mget(ids);
    requests++;
    changed = [...docs]
      .map(([id, v]) => ({ id, ...v, before: cache.get(scope, v.doc.tenant)?.doc ?? null }))
      .filter((d) => cache.get(scope, d.doc.tenant)?.version.seqNo !== d.version.seqNo);
    gone = state.creating.filter((id) => !docs.has(id));
  }
  // Nothing new (the usual steady sync): no file need be rewritten but the time, now and then.
  if (changed.length === 0 && gone.length === 0 && newest <= state.cursor && token === state.changeToken)
    cache.touch(scope, now.toISOString());
  else
    cache.merge(
      scope,
      changed,
      { cursor: Math.max(state.cursor, newest), syncedAt: now.toISOString(), changeToken: token },
      { gone },
    );
  return { changed, full: false, requests };
}

async function fullSync(
  backend: RegistryBackend,
  cache: RegistryCache,
  scope: string,
  now: Date,
  requests = 0,
): Promise<SyncResult> {
  const before = new Map(cache.all(scope).map((d) => [d.id, d.version.seqNo]));
  // Read before the pages, so a write made during the read moves it: the next sync searches.
  const changeToken = await backend.changeToken();
  requests++;
  const docs: Stored<RegistryTenantDoc>[] = [];
  let cursor = -1;
  for (;;) {
    const page = await backend.page(scope, cursor, PAGE);
    requests++;
    for (const d of page) {
      cursor = Math.max(cursor, d.version.seqNo);
      if (d.doc !== null) docs.push(d);
    }
    if (page.length < PAGE) break;
  }
  const uuid = await backend.indexUuid();
  requests++;
  cache.merge(
    scope,
    docs,
    { cursor, indexUuid: uuid, syncedAt: now.toISOString(), fullSyncAt: now.toISOString(), changeToken },
    { replaceAll: true },
  );
  // On the first read every document is "changed"; the Changes feed only reports others' edits
  // since a baseline, so the caller ignores a first full read.
  return {
    changed: docs.filter((d) => before.get(d.id) !== d.version.seqNo).map((d) => ({ ...d, before: null })),
    full: true,
    requests,
  };
}
