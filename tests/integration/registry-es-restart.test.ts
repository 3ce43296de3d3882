/**
 * Elasticsearch stopped mid-session, for real: this file starts its own single-node cluster, two
 * consoles (own data folders, own REAL keychains, own operators) share its team registry, and the
 * node's process is stopped (SIGTERM, waited for) and started again on the same port with the same
 * data. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/registry-es-restart.test.ts
 *
 * Proves: while the node is down both consoles show the last-known record read-only (registry
 * unreachable, since when), every write (create, rotate, hand-over, delete) is refused with
 * registry-read-only and nothing is queued (no journal, no keychain change, no TMS call); once it
 * is up again both sync to the same records as before, the audit chain is intact (`tenantctl audit
 * verify` too), reconcile finds nothing, and writes work again.
 * Costs one extra Elasticsearch start and one restart (the figures are logged).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../main/handlers';
import { EsRegistryBackend, InstanceRegistry, RegistryCache } from '../../main/services/registry';
import { dispatch } from '../../main/transport/dispatch';
import { ConsoleError } from '../../shared/errors/errors';
import type { Instance } from '../../shared/instances/instance';
import { REGISTRY_INDICES, tenantDocId } from '../../shared/team/registry';
import type { TenantRecord } from '../../shared/tenants/tenant';
import { startTms, type TmsSimulator } from '../simulator';
import { startElasticsearch, type RunningElasticsearch } from '../support/elasticsearch';
import { registryDoc } from '../support/registry-doc';
import { fetchRequester } from '../support/registry-seed';
import { closeTeamConsoles, openTeamConsole, type TeamConsole } from '../support/team-console';
import { runTenantctl } from '../support/tenantctl';

const run = randomBytes(3).toString('hex');
const SUFFIX = `restart-${run}.test`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;

type Console = TeamConsole;

let es: RunningElasticsearch | undefined;
let tms: TmsSimulator;
const consoles: Console[] = [];

async function newConsole(name: string): Promise<Console> {
  const c = await openTeamConsole({
    file: 'restart',
    name,
    run,
    suffix: SUFFIX,
    tmsUrl: tms.url,
    apiKey: API_KEY,
    esUrl: es!.url,
  });
  consoles.push(c);
  return c;
}

function create(c: Console, tenant: string): Promise<TenantRecord> {
  return c.core.tenants.create({
    instanceId: c.id,
    domain: tenant,
    email: `owner@${tenant}.test`,
    tokenLifetimeDays: 7,
    capacityOverrideReason: 'restart test, capacity not under test',
  });
}

async function refusal(promise: Promise<unknown>): Promise<ConsoleError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(ConsoleError);
  return e as ConsoleError;
}

/** What both consoles must agree on: each record's state, token holder and version. */
async function view(c: Console): Promise<{ live: boolean; records: string[] }> {
  const [mine] = await c.core.tenants.byInstance({ instanceId: c.id });
  return {
    live: mine!.live,
    records: mine!.records.map((r) => `${r.tenant}:${r.state}:${r.tokenHolder?.name ?? '-'}:${r.version}`).sort(),
  };
}

/** Everything a refused write could have left behind: journal, keychain (accounts and values), TMS. */
async function traces(c: Console) {
  const accounts = (await c.keychain.list('')).sort();
  const values = await Promise.all(accounts.map((a) => c.keychain.get(a)));
  return {
    journal: c.core.settings.read().journal,
    legacyTenants: c.core.settings.read().tenants,
    keychain: accounts.map((a, i) => `${a}=${values[i]}`),
    tmsCalls: tms.calls.length,
    tmsTenants: [...tms.tenants().keys()].sort(),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

beforeAll(async () => {
  const started = Date.now();
  [es, tms] = await Promise.all([startElasticsearch({ name: `restart-${run}` }), startTms({ apiKey: API_KEY })]);
  console.log(`[registry-es-restart] own Elasticsearch started in ${seconds(Date.now() - started)}: ${es.url}`);
}, 300_000);

afterAll(async () => {
  await closeTeamConsoles(consoles);
  await es?.stop();
  await tms?.stop();
}, 60_000);

describe('Elasticsearch stopped mid-session and started again', { timeout: 300_000 }, () => {
  let a: Console;
  let b: Console;
  const t = { one: `one${run}`, two: `two${run}`, three: `three${run}`, after: `after${run}` };
  let before: string[];

  beforeAll(async () => {
    a = await newConsole('Ann');
    b = await newConsole('Bob');
    // On this fresh cluster the first thing the registry hears of is a refused create's audit entry:
    // the indices are made by the console, strict and hidden, not by Elasticsearch on that write.
    expect((await refusal(create(a, 'ab'))).code).toBe('validation');
    const mappings = (await (
      await fetch(`${es!.url}/.tracardi-console-*/_mapping?expand_wildcards=all&filter_path=*.mappings.dynamic`)
    ).json()) as Record<string, { mappings: { dynamic: string } }>;
    expect(
      Object.entries(mappings)
        .map(([i, m]) => `${i}:${m.mappings.dynamic}`)
        .sort(),
    ).toEqual(['.tracardi-console-audit:strict', '.tracardi-console-tenants:strict']);
    const entries = await a.core.audit.list({ instanceId: a.id, action: 'create' });
    expect(entries.map((e) => `${e.outcome}:${typeof e.team}`)).toEqual(['refused:number']);
    await create(a, t.one);
    await create(a, t.two);
    await create(a, t.three);
    await b.core.tenants.rotate(b.id, t.two); // Bob holds one token, Ann the others
    await a.core.tenants.repair('all'); // Ann's superseded copy of two's old token goes
    for (const c of [a, b]) expect((await c.core.tenants.reconcile()).findings).toEqual([]);
    const fromA = await view(a);
    const fromB = await view(b);
    expect(fromA).toEqual(fromB);
    expect(fromA.records.map((r) => r.split(':').slice(0, 3).join(':'))).toEqual(
      [`${t.one}:registered:Ann`, `${t.three}:registered:Ann`, `${t.two}:registered:Bob`].sort(),
    );
    before = fromA.records;
  });

  it('with the node stopped: the last-known record read-only, every write refused, nothing queued', async () => {
    const stopped = await es!.stopNode();
    console.log(`[registry-es-restart] node stopped by ${stopped.signal} in ${seconds(stopped.ms)}`);
    expect(stopped.signal).toBe('SIGTERM');
    // Really down: neither the node's own port nor the one the consoles use answers.
    for (const url of [es!.directUrl, es!.url])
      await expect(fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();

    // Each console tries its writes first, before anything else of it asks the registry: a change
    // must find out itself that the registry is down, not rely on an earlier list.
    for (const c of [a, b]) {
      const held = c === a ? t.one : t.two;
      const left = await traces(c);
      const writes: [string, () => Promise<unknown>][] = [
        ['create', () => create(c, `refused${c.name.toLowerCase()}${run}`)],
        ['rotate', () => c.core.tenants.rotate(c.id, held)],
        ['hand-over', () => c.core.tenants.markHandedOver(c.id, held)],
        ['delete', () => c.core.tenants.delete({ instanceId: c.id, tenant: t.three })],
      ];
      for (const [what, write] of writes) {
        const e = await refusal(write());
        expect({ what, code: e.code }).toEqual({ what, code: 'registry-read-only' });
        // A create asks whether the registry can take a change; the others first read the record afresh.
        expect(e.message).toMatch(
          what === 'create'
            ? /cannot be changed: it is unreachable since .*; nothing was changed and nothing is queued\./
            : /cannot be read: it is unreachable since .*; nothing was changed and nothing is queued\. The last-known record \(in sync at .*\) is shown read-only\./,
        );
      }
      expect(await traces(c)).toEqual(left);
      expect(left.journal).toEqual([]);
      expect(left.legacyTenants).toEqual([]);
      const during = await view(c);
      expect(during).toEqual({ live: false, records: before });
      const status = await dispatch(createHandlers(c.core), 'registry.status', { sync: true }, { checkResults: true });
      expect(status).toMatchObject({
        ok: true,
        value: [{ instanceId: c.id, health: { state: 'unreachable', since: expect.any(String) } }],
      });
      const since = (status as { value: { health: { since: string } }[] }).value[0]!.health.since;
      expect(Date.now() - Date.parse(since)).toBeLessThan(120_000);
      const one = await c.core.tenants.get(c.id, t.one); // the cache's, read-only
      expect(before).toContain(`${one.tenant}:${one.state}:${one.tokenHolder?.name}:${one.version}`);

      // The refusals are on this workstation's log only, and say so.
      // (Ann's refused create before the stop is in the team trail: left out here.)
      const refused = (await c.core.audit.list({ instanceId: c.id })).filter(
        (e) => e.outcome === 'refused' && typeof e.team !== 'number',
      );
      expect(refused.map((e) => `${e.action}:${e.team}`).sort()).toEqual(
        ['create:null', 'delete:null', 'hand-over:null', 'rotate:null'].sort(),
      );
    }
  });

  it('started again on the same port with the same data: both sync to the same records, the chain is intact, writes work', async () => {
    const started = Date.now();
    await es!.startNode();
    console.log(`[registry-es-restart] node started again in ${seconds(Date.now() - started)}`);

    const fromA = await view(a);
    const fromB = await view(b);
    expect(fromA).toEqual({ live: true, records: before });
    expect(fromB).toEqual(fromA);
    for (const c of [a, b]) {
      const [status] = await c.core.registry.status([c.id]);
      expect(status!.health.state).toBe('ok');
      expect(await c.core.registry.verifyAudit([c.id])).toEqual([
        { instanceId: c.id, entries: expect.any(Number), problem: null },
      ]);
      const report = await c.core.tenants.reconcile();
      expect(report.findings).toEqual([]);
    }
    const cli = await runTenantctl(a.dataDir, a.service, ['audit', 'verify']);
    expect(cli).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^${a.id}: intact \\(\\d+ entries\\)\\n$`)),
    });

    // Writes work again, and each console sees the other's.
    await create(a, t.after);
    const handed = await b.core.tenants.markHandedOver(b.id, t.two);
    expect(handed.state).toBe('handed-over');
    expect((await a.core.tenants.get(a.id, t.two)).state).toBe('handed-over');
    expect((await view(b)).records).toContainEqual(expect.stringMatching(new RegExp(`^${t.after}:registered:Ann:`)));
    expect(await view(a)).toEqual(await view(b));
    const [chain] = await b.core.registry.verifyAudit([b.id]);
    expect(chain!.problem).toBeNull();
    const trail = await b.core.audit.list({ instanceId: b.id, limit: 50 });
    expect(
      trail
        .filter((e) => e.team !== null)
        .slice(0, 2)
        .map((e) => `${e.action}:${e.user}`),
    ).toEqual(['hand-over:Bob', 'create:Ann']);
  });
});

// On this file's own cluster, where a test may stop the tenants index refreshing on its own (every
// other file's cluster is shared by files running at once, which need their writes seen).
describe('a steady sync asks the index whether anything changed before it searches', { timeout: 60_000 }, () => {
  it('no search while nothing changed; a write not yet visible to searches is found after the refresh that shows it', async () => {
    const scope = `token-${run}.test`;
    const sent: string[] = [];
    const plain = fetchRequester(es!.url);
    const backend = new EsRegistryBackend(async (req) => (sent.push(`${req.method} ${req.path}`), plain(req)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restart-token-'));
    const stamp = { name: 'Tess', workstation: 'ws-token' };
    const registry = new InstanceRegistry({
      instance: { id: 'token', tenantDomainSuffix: scope, footprint: { replicas: 0 } } as Instance,
      backend,
      cache: new RegistryCache(dir, 'token'),
      operator: () => stamp,
      clock: () => new Date(),
      dataNodes: async () => 1,
    });
    const doc = (tenant: string) => registryDoc(scope, tenant, stamp);
    const tenants = () =>
      registry
        .cached()
        .map((d) => d.doc.tenant)
        .sort();
    const refreshEvery = (interval: string | null) =>
      plain({
        method: 'PUT',
        path: `/${REGISTRY_INDICES.tenants}/_settings`,
        body: { index: { refresh_interval: interval } },
      });
    try {
      await backend.ensure({ replicas: 0 }); // made by the file's first part already, unless run alone
      await backend.create(tenantDocId(scope, 't1'), doc('t1'), { refresh: true });
      expect((await registry.sync()).ok).toBe(true); // the first, full read
      expect(tenants()).toEqual(['t1']);

      // Nothing changed: one statistics request, no search.
      sent.length = 0;
      expect(await registry.sync()).toMatchObject({ ok: true, changed: [] });
      expect(sent.filter((s) => s.endsWith('/_search'))).toEqual([]);
      expect(sent).toEqual([`GET /${REGISTRY_INDICES.tenants}/_stats/refresh`]);

      // A write searches cannot see yet (the index refreshes only when told): the token moved, the
      // search finds nothing, and the syncs after it send no search while nothing else happens.
      expect((await refreshEvery('-1')).statusCode).toBe(200);
      await backend.create(tenantDocId(scope, 't2'), doc('t2'));
      sent.length = 0;
      await registry.sync();
      expect(sent.filter((s) => s.endsWith('/_search'))).toHaveLength(1);
      expect(tenants()).toEqual(['t1']);
      sent.length = 0;
      await registry.sync();
      expect(sent.filter((s) => s.endsWith('/_search'))).toEqual([]);
      expect(tenants()).toEqual(['t1']);

      // The refresh that shows it moves the token: the next sync searches and finds it.
      expect((await plain({ method: 'POST', path: `/${REGISTRY_INDICES.tenants}/_refresh` })).statusCode).toBe(200);
      const found = await registry.sync();
      expect(found.changed.map((c) => c.doc.tenant)).toEqual(['t2']);
      expect(tenants()).toEqual(['t1', 't2']);
    } finally {
      await refreshEvery(null);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
