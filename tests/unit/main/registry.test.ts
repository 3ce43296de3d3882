// The team registry's own logic over the in-memory backend (its semantics are held to
// Elasticsearch's by tests/integration/registry-backends.test.ts): the audit chain and what
// `audit verify` names, the cache and the sync (window, deletes, a damaged cache, an index made
// again), claims, conditional writes and the health that decides whether changes are allowed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InstanceRegistry,
  MemoryRegistryBackend,
  RECENT_MARGIN,
  RECENT_WINDOW,
  RegistryCache,
  RegistryConflict,
  tokenOf,
  windowStart,
} from '../../../main/services/registry';
import { auditDocId, type RegistryTenantDoc } from '../../../shared/team/registry';
import type { Instance } from '../../../shared/instances/instance';
import { registryDoc } from '../../support/registry-doc';

const SCOPE = 'eu1.example.com';
const ann = { name: 'Ann', workstation: 'ws-1' };
let dir: string;
let backend: MemoryRegistryBackend;
let now: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-'));
  backend = new MemoryRegistryBackend();
  now = Date.parse('2026-12-07T10:00:00Z');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function registry(dataDir = dir, b = backend): InstanceRegistry {
  return new InstanceRegistry({
    instance: { id: 'eu1', tenantDomainSuffix: SCOPE, footprint: { replicas: 1 } } as Instance,
    backend: b,
    cache: new RegistryCache(dataDir, 'eu1'),
    operator: () => ann,
    clock: () => new Date((now += 1000)),
    dataNodes: async () => 1,
  });
}

function doc(tenant: string, over: Partial<RegistryTenantDoc> = {}): RegistryTenantDoc {
  return registryDoc(SCOPE, tenant, ann, over);
}

const draft = (action: string) => ({
  time: new Date((now += 1000)).toISOString(),
  operator: ann,
  action,
  outcome: 'ok' as const,
  tenant: 'acme',
});

describe('the audit chain', () => {
  async function chainOf(n: number): Promise<InstanceRegistry> {
    const r = registry();
    for (let i = 0; i < n; i++) await r.appendAudit(draft(`a${i}`));
    return r;
  }

  it('the first entry on a fresh cluster makes the indices first (Elasticsearch would make them dynamic)', async () => {
    const r = registry();
    await r.appendAudit(draft('first'));
    expect(backend.writesBeforeEnsure).toEqual([]);
    expect((await r.recentAudit(5)).map((e) => e.action)).toEqual(['first']);
  });

  it('is intact as written, and two consoles appending at once never fork it', async () => {
    const one = registry();
    const two = registry(fs.mkdtempSync(path.join(os.tmpdir(), 'registry-b-')));
    await Promise.all(
      [0, 1, 2, 3, 4].flatMap((i) => [one.appendAudit(draft(`x${i}`)), two.appendAudit(draft(`y${i}`))]),
    );
    const report = await one.verifyAudit();
    expect(report).toMatchObject({ entries: 10, problem: null, head: { seq: 10 } });
  });

  it('names an entry edited in place', async () => {
    const r = await chainOf(5);
    backend.tamperAudit(auditDocId(SCOPE, 3), (e) => ({ ...e, detail: 'nothing to see here' }));
    expect((await r.verifyAudit()).problem).toMatchObject({ seq: 3, kind: 'edited' });
  });

  it('names an entry edited with its own hash computed again (the next entry no longer follows it)', async () => {
    const r = await chainOf(5);
    const { entryHash } = await import('../../../main/services/registry');
    backend.tamperAudit(auditDocId(SCOPE, 2), (e) => {
      const edited = { ...e, action: 'reveal' };
      return { ...edited, hash: entryHash(edited) };
    });
    expect((await r.verifyAudit()).problem).toMatchObject({ seq: 2, kind: 'edited' });
  });

  it('names a deleted entry, and a chain cut short after the head this console saw', async () => {
    const r = await chainOf(5);
    await r.recentAudit(10); // this console saw entry 5
    backend.tamperAudit(auditDocId(SCOPE, 3), () => null);
    expect((await r.verifyAudit()).problem).toMatchObject({ seq: 3, kind: 'deleted' });
    const s = await chainOf(0);
    void s;
    const cut = registry(fs.mkdtempSync(path.join(os.tmpdir(), 'registry-c-')), new MemoryRegistryBackend());
    for (let i = 0; i < 4; i++) await cut.appendAudit(draft(`c${i}`));
    await cut.recentAudit(10);
    // the last two entries removed: nothing inside the chain breaks, but this console saw entry 4
    const b = (cut as unknown as { deps: { backend: MemoryRegistryBackend } }).deps.backend;
    b.tamperAudit(auditDocId(SCOPE, 4), () => null);
    b.tamperAudit(auditDocId(SCOPE, 3), () => null);
    expect((await cut.verifyAudit()).problem).toMatchObject({ seq: 3, kind: 'deleted' });
  });

  it('names entries moved out of order', async () => {
    const r = await chainOf(5);
    // Swap entries 2 and 4 whole, each under the other's id.
    let two: unknown;
    backend.tamperAudit(auditDocId(SCOPE, 2), (e) => ((two = e), e));
    let four: unknown;
    backend.tamperAudit(auditDocId(SCOPE, 4), (e) => ((four = e), two as typeof e));
    backend.tamperAudit(auditDocId(SCOPE, 2), () => four as never);
    expect((await r.verifyAudit()).problem).toMatchObject({ seq: 2, kind: 'reordered' });
  });
});

describe('claims and conditional writes', () => {
  it('a claim is create-only; the loser is told who has the name; a tombstone can be claimed again', async () => {
    const r = registry();
    await r.claim(doc('acme'));
    await expect(r.claim(doc('acme', { createdBy: { name: 'Bob', workstation: 'ws-2' } }))).rejects.toMatchObject({
      code: 'tenant-collision',
      message: 'acme was created by Ann on ws-1 at 2026-12-07T09:00:00.000Z.',
    });
    const current = (await r.read('acme'))!;
    await r.write(current, doc('acme', { phase: 'deleted' }));
    const again = await r.claim(doc('acme', { createdBy: { name: 'Bob', workstation: 'ws-2' } }));
    expect(again.doc.createdBy.name).toBe('Bob');
  });

  it('a write on a version someone else moved past is refused with the document as it is now', async () => {
    const r = registry();
    const first = await r.claim(doc('acme'));
    await r.write(first, doc('acme', { change: 'rotated the token', rev: 2 }));
    const conflict = await r.write(first, doc('acme', { change: 'stale' })).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(RegistryConflict);
    expect((conflict as RegistryConflict).current?.doc.change).toBe('rotated the token');
  });
});

describe('the cache and the sync', () => {
  it('a first sync reads everything; later ones fetch only what changed, and see deleted claims', async () => {
    const r = registry();
    for (const t of ['a1', 'a2', 'a3']) await r.claim(doc(t));
    await r.claim(doc('c1', { phase: 'creating' }));
    expect((await r.sync()).changed).toEqual([]); // a first read reports nothing as "changed"
    expect(
      r
        .cached()
        .map((d) => d.doc.tenant)
        .sort(),
    ).toEqual(['a1', 'a2', 'a3', 'c1']);
    const a2 = (await r.read('a2'))!;
    await r.write(a2, doc('a2', { change: 'marked the token handed over', rev: 2 }));
    // The claim of an undone create is deleted: the next sync drops it from the cache.
    await backend.remove(`${SCOPE}/c1`, (await r.read('c1'))!.version);
    const second = await r.sync();
    expect(second.changed.map((c) => [c.doc.tenant, c.before?.change])).toEqual([['a2', 'created it']]);
    expect(
      r
        .cached()
        .map((d) => d.doc.tenant)
        .sort(),
    ).toEqual(['a1', 'a2', 'a3']);
  });

  it('more changes than the window since the last sync are all read, page by page', async () => {
    const r = registry();
    await r.claim(doc('first'));
    await r.sync();
    for (let i = 0; i < RECENT_WINDOW + 30; i++) await r.claim(doc(`t${i}`));
    const out = await r.sync();
    expect(out.changed).toHaveLength(RECENT_WINDOW + 30);
    expect(r.cached()).toHaveLength(RECENT_WINDOW + 31);
  });

  it('a steady sync searches from just below its cursor, and finds a change after many writes of another scope', async () => {
    const r = registry();
    for (const t of ['a1', 'a2']) await r.claim(doc(t));
    await r.sync();
    const froms: (number | undefined)[] = [];
    const recent = backend.recent.bind(backend);
    backend.recent = (scope, size, from) => (froms.push(from), recent(scope, size, from));
    const cursor = r.cached().reduce((m, d) => Math.max(m, d.version.seqNo), -1);
    // Nothing changed in the index: its change token is the one read before the last search.
    await r.sync();
    expect(froms).toEqual([]);
    const other = new InstanceRegistry({
      instance: { id: 'us1', tenantDomainSuffix: 'us1.example.com', footprint: { replicas: 1 } } as Instance,
      backend,
      cache: new RegistryCache(dir, 'us1'),
      operator: () => ann,
      clock: () => new Date((now += 1000)),
      dataNodes: async () => 1,
    });
    // A write anywhere in the index (here another scope's) moves the token: the sync searches.
    await other.claim({ ...doc('z0'), scope: 'us1.example.com' });
    await r.sync();
    expect(froms).toEqual([windowStart(cursor)]);
    // Another instance's scope on the same cluster writes far more than the margin; then ours changes.
    for (let i = 0; i < RECENT_MARGIN * 3; i++) await other.claim({ ...doc(`o${i}`), scope: 'us1.example.com' });
    const a1 = (await r.read('a1'))!;
    await r.write(a1, doc('a1', { change: 'marked the token handed over', rev: 2 }));
    const out = await r.sync();
    expect(out.changed.map((c) => [c.doc.tenant, c.doc.change])).toEqual([['a1', 'marked the token handed over']]);
    expect(
      r
        .cached()
        .map((d) => d.doc.tenant)
        .sort(),
    ).toEqual(['a1', 'a2']);
  });

  it('a sync that finds nothing new rewrites no cache file; its time is kept, and written once a minute', async () => {
    const r = registry();
    for (const t of ['s1', 's2']) await r.claim(doc(t));
    await r.sync();
    const cacheDir = path.join(dir, 'registry', 'eu1');
    const stamps = () =>
      fs
        .readdirSync(cacheDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => {
          const st = fs.statSync(path.join(cacheDir, f), { bigint: true });
          return `${f}:${st.ino}:${st.mtimeNs}`;
        })
        .sort();
    const before = stamps();
    const first = r.syncedAt()!;
    const steady = await r.sync();
    expect(steady).toMatchObject({ ok: true, changed: [] });
    expect(stamps()).toEqual(before);
    // This process knows the newer time; another shell on the folder reads the one written.
    expect(Date.parse(r.syncedAt()!)).toBeGreaterThan(Date.parse(first));
    expect(registry().syncedAt()).toBe(first);
    now += 60_000;
    await r.sync();
    expect(stamps()).not.toEqual(before);
    expect(registry().syncedAt()).toBe(r.syncedAt());
    // Something new is written at once, with its time.
    await registry(dir, backend).claim(doc('s3'));
    const moved = stamps();
    await r.sync();
    expect(stamps()).not.toEqual(moved);
    expect(
      registry()
        .cached()
        .map((d) => d.doc.tenant),
    ).toContain('s3');
    expect(registry().syncedAt()).toBe(r.syncedAt());
  });

  it('an instance with no tenant yet: after its first full read a steady sync sends one request and writes no file', async () => {
    const r = registry();
    await backend.ensure();
    await r.sync(); // the first, full read: nothing in the scope
    const pages: number[] = [];
    const page = backend.page.bind(backend);
    backend.page = (scope, after, size) => (pages.push(after), page(scope, after, size));
    const cacheDir = path.join(dir, 'registry', 'eu1');
    const files = () =>
      fs
        .readdirSync(cacheDir)
        .map((f) => `${f}:${fs.statSync(path.join(cacheDir, f)).mtimeMs}`)
        .sort();
    const before = files();
    const reads = backend.changeTokenReads;
    for (let i = 0; i < 3; i++) expect(await r.sync()).toMatchObject({ ok: true, changed: [] });
    expect(pages).toEqual([]);
    expect(backend.changeTokenReads - reads).toBe(3);
    expect(files()).toEqual(before);
    // Its first tenant is found by the steady sync.
    await registry(fs.mkdtempSync(path.join(os.tmpdir(), 'registry-o-'))).claim(doc('first'));
    expect((await r.sync()).changed.map((c) => c.doc.tenant)).toEqual(['first']);
    expect(pages).toEqual([]);
  });

  it('another data folder on the same registry sees the same record; a damaged cache file is read again', async () => {
    const r = registry();
    for (const t of ['x1', 'x2']) await r.claim(doc(t));
    const other = registry(fs.mkdtempSync(path.join(os.tmpdir(), 'registry-o-')));
    await other.sync();
    expect(
      other
        .cached()
        .map((d) => d.doc.tenant)
        .sort(),
    ).toEqual(['x1', 'x2']);
    await r.sync();
    const cacheDir = path.join(dir, 'registry', 'eu1');
    for (const f of fs.readdirSync(cacheDir).filter((f) => f.startsWith('docs-'))) {
      const text = fs.readFileSync(path.join(cacheDir, f), 'utf8');
      if (text.length > 2) fs.writeFileSync(path.join(cacheDir, f), '{ torn');
    }
    const fresh = registry();
    await fresh.sync();
    expect(
      fresh
        .cached()
        .map((d) => d.doc.tenant)
        .sort(),
    ).toEqual(['x1', 'x2']);
  });

  it('the registry down: the last-known record, health unreachable since when, changes refused; back: ok', async () => {
    const r = registry();
    await r.claim(doc('kept'));
    await r.sync();
    backend.down = new Error('connect ECONNREFUSED 127.0.0.1:9200');
    const out = await r.sync();
    expect(out.ok).toBe(false);
    expect(r.cached().map((d) => d.doc.tenant)).toEqual(['kept']);
    const health = r.health();
    expect(health).toMatchObject({ state: 'unreachable', error: expect.stringContaining('ECONNREFUSED') });
    await expect(r.requireWritable()).rejects.toMatchObject({
      code: 'registry-read-only',
      message: expect.stringMatching(/cannot be changed: it is unreachable since .*nothing is queued/),
    });
    await r.sync(); // still down: the since stays the first failure's
    expect(r.health()).toMatchObject({ since: (health as { since: string }).since });
    backend.down = null;
    await r.requireWritable();
    expect(r.health().state).toBe('ok');
  });

  it('a user that may read but not write: read-only, the missing privilege named', async () => {
    const r = registry();
    backend.privilegesAnswer = { read: true, write: false, create: false, missing: ['create_doc', 'index'] };
    await r.claim(doc('seen')).catch(() => undefined); // the memory backend itself does not enforce roles
    const out = await r.sync();
    expect(out.health).toMatchObject({ state: 'read-only', missing: ['create_doc', 'index'] });
    await expect(r.requireWritable()).rejects.toMatchObject({
      code: 'registry-read-only',
      message: expect.stringContaining('may read the team registry but not write it (missing create_doc, index'),
    });
  });
});

describe("the tenants index's change token (its one shard's statistics)", () => {
  const stats = (copies: unknown[], uuid: string | null = 'u1') => ({
    indices: { '.tracardi-console-tenants': { ...(uuid === null ? {} : { uuid }), shards: { '0': copies } } },
  });
  const copy = (primary: boolean, seq: number, external: number | undefined, total = 99) => ({
    routing: { primary },
    seq_no: { max_seq_no: seq },
    refresh: { total, ...(external === undefined ? {} : { external_total: external }) },
  });

  it("reads the primary copy's newest _seq_no and refreshes for searchers, with the index uuid", () => {
    expect(tokenOf(stats([copy(false, 7, 50), copy(true, 7, 3)]))).toBe('u1:7:3');
    // A refresh that shows writes, a write, the index made again: each moves it.
    expect(tokenOf(stats([copy(true, 7, 4)]))).not.toBe(tokenOf(stats([copy(true, 7, 3)])));
    expect(tokenOf(stats([copy(true, 8, 3)]))).not.toBe(tokenOf(stats([copy(true, 7, 3)])));
    expect(tokenOf(stats([copy(true, 7, 3)], 'u2'))).not.toBe(tokenOf(stats([copy(true, 7, 3)])));
  });

  it('before 7.7 (no count of refreshes for searchers) every refresh counts; too little said: null (search)', () => {
    expect(tokenOf(stats([copy(true, 7, undefined, 12)]))).toBe('u1:7:12');
    expect(tokenOf(stats([copy(false, 7, 3)]))).toBeNull(); // no primary listed
    expect(tokenOf(stats([copy(true, 7, 3)], null))).toBeNull();
    expect(tokenOf({ indices: {} })).toBeNull();
    expect(tokenOf(null)).toBeNull();
  });
});
