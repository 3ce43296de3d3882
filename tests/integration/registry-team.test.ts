/**
 * A team of operators on one instance: two (and, for the new workstation, three) consoles, each with
 * its own data folder, its own REAL keychain (a service name of its own) and its own operator, over
 * one Tracardi + TMS simulator and a real Elasticsearch that holds the instance's team registry.
 * Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/registry-team.test.ts
 *
 * Proves: A creates, B sees it in one call, by A, token held by A; B cannot look at A's token and
 * rotates to hold a new one, which A then sees (and A's reconcile drops A's superseded copy); both
 * act on the same tenant, the second is told what the first changed; one audit timeline with who
 * and where, and `audit verify` intact; a new workstation with no local data sees the record and the
 * trail; the registry unreachable mid-session: last-known record read-only, changes refused, nothing
 * queued, no divergence once it answers again.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHandlers } from '../../main/handlers';
import { dispatch } from '../../main/transport/dispatch';
import { accountFor } from '../../main/services/keychain';
import { ConsoleError } from '../../shared/errors/errors';
import { startTms, type TmsSimulator } from '../simulator';
import { startDoor } from '../support/door';
import { removeRegistryScope } from '../support/registry-seed';
import { closeTeamConsoles, openTeamConsole, type TeamConsole } from '../support/team-console';

const run = randomBytes(3).toString('hex');
const SUFFIX = `team-${run}.test`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;

type Console = TeamConsole;

let esUrl: string;
let tms: TmsSimulator;
const consoles: Console[] = [];

async function newConsole(name: string, es: string = esUrl): Promise<Console> {
  const c = await openTeamConsole({
    file: 'team',
    name,
    run,
    suffix: SUFFIX,
    tmsUrl: tms.url,
    apiKey: API_KEY,
    esUrl: es,
  });
  consoles.push(c);
  return c;
}

/** Each console names the instance its own way (ids are local); the registry is the same one. */
const idOf = (c: Console) => c.id;

function create(c: Console, tenant: string) {
  // Capacity is not what this file tests: an override reason lets a loaded shared cluster through.
  return c.core.tenants.create({
    instanceId: idOf(c),
    domain: tenant,
    email: `owner@${tenant}.test`,
    tokenLifetimeDays: 7,
    capacityOverrideReason: 'team registry test, capacity not under test',
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

beforeAll(async () => {
  const urls = inject('esUrls');
  esUrl = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
  tms = await startTms({ apiKey: API_KEY });
}, 120_000);

afterAll(async () => {
  await closeTeamConsoles(consoles);
  await removeRegistryScope(esUrl, SUFFIX);
  await tms?.stop();
});

describe('two consoles, one registry', { timeout: 240_000 }, () => {
  let a: Console;
  let b: Console;
  beforeAll(async () => {
    a = await newConsole('Ann');
    b = await newConsole('Bob');
  });

  it('A creates; B sees it in one call, created by A, token held by A; B cannot look at the token', async () => {
    const tenant = `shared${run}`;
    await create(a, tenant);
    const seen = (await b.core.tenants.list()).find((r) => r.tenant === tenant);
    expect(seen).toMatchObject({ instanceId: idOf(b), state: 'registered', createdBy: { name: 'Ann' } });
    expect(seen!.tokenHolder).toMatchObject({ name: 'Ann', email: 'ann@team.test', keychain: a.core.keychainId });
    const e = await refusal(b.core.tenants.revealToken(idOf(b), tenant));
    expect(e.code).toBe('invalid-state');
    expect(e.remedy).toBe('rotate-token');
    expect(e.message).toContain('held by Ann (ann@team.test)');
    // B's reconcile does not call A's tenant its own problem.
    const report = await b.core.tenants.reconcile();
    expect(report.findings.filter((f) => f.tenant === tenant)).toEqual([]);
  });

  it('a refresh of B’s Fleet screen (its capacity snapshot) brings A’s new tenant into B’s first rows', async () => {
    const tenant = `fleet${run}`;
    await b.core.tenants.list(); // B has read the registry once (its Tenants screen), as a running window has
    await create(a, tenant);
    const firstRows = async () =>
      (await b.core.tenants.rows({ instanceId: idOf(b), cachedOnly: true })).map((r) => r.tenant);
    expect(await firstRows()).not.toContain(tenant);
    const handlers = createHandlers(b.core);
    // A's writes are seen by searches after the index's next refresh (within a second).
    await expect
      .poll(
        async () => {
          const snap = await dispatch(handlers, 'capacity.snapshot', { id: idOf(b) }, { checkResults: true });
          expect(snap.ok).toBe(true);
          return firstRows();
        },
        { timeout: 10_000, interval: 300 },
      )
      .toContain(tenant);
    // A console that never read the registry: its first, full read goes on behind the snapshot
    // (which does not wait for it), and fills the cache all the same.
    const fresh = await newConsole('Fay');
    const snap = await dispatch(
      createHandlers(fresh.core),
      'capacity.snapshot',
      { id: fresh.id },
      { checkResults: true },
    );
    expect(snap.ok).toBe(true);
    await expect
      .poll(
        async () => (await fresh.core.tenants.rows({ instanceId: fresh.id, cachedOnly: true })).map((r) => r.tenant),
        {
          timeout: 10_000,
        },
      )
      .toContain(tenant);
  });

  it('B rotates and holds the new token; A sees who holds it, and A’s reconcile drops its superseded copy', async () => {
    const tenant = `rotate${run}`;
    await create(a, tenant);
    const aToken = await a.keychain.get(accountFor.token(idOf(a), tenant));
    const rotated = await b.core.tenants.rotate(idOf(b), tenant);
    expect(rotated.tokenHolder).toMatchObject({ name: 'Bob', keychain: b.core.keychainId });
    const bToken = await b.keychain.get(accountFor.token(idOf(b), tenant));
    expect(bToken).not.toBeNull();
    expect(tms.tenants().get(tenant)!.install_token).toBe(bToken);
    expect(bToken).not.toBe(aToken);
    const fromA = await a.core.tenants.get(idOf(a), tenant);
    expect(fromA.tokenHolder).toMatchObject({ name: 'Bob' });
    expect(fromA.lastChange).toBe('rotated the token');
    expect(fromA.updatedBy).toMatchObject({ name: 'Bob' });
    const e = await refusal(a.core.tenants.revealToken(idOf(a), tenant));
    expect(e.message).toContain('held by Bob');
    const report = await a.core.tenants.reconcile();
    expect(report.findings.filter((f) => f.tenant === tenant).map((f) => f.kind)).toEqual(['superseded-token']);
    await a.core.tenants.repair('all');
    expect(await a.keychain.get(accountFor.token(idOf(a), tenant))).toBeNull();
    // The TMS and B were not touched by A's repair.
    expect(tms.tenants().get(tenant)!.install_token).toBe(bToken);
    expect((await a.core.tenants.reconcile()).findings.filter((f) => f.tenant === tenant)).toEqual([]);
    expect((await b.core.tenants.reconcile()).findings.filter((f) => f.tenant === tenant)).toEqual([]);
  });

  it('both act on the same tenant: the second is told what the first changed, and nothing of its own is done', async () => {
    const tenant = `both${run}`;
    await create(a, tenant);
    const seenByA = await a.core.tenants.get(idOf(a), tenant);
    // B takes the token over (rotate), while A still looks at the old version.
    await b.core.tenants.rotate(idOf(b), tenant);
    const e = await refusal(a.core.tenants.revoke(idOf(a), tenant, { expectedVersion: seenByA.version! }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/changed since you opened it: Bob \(bob@team\.test\) on .* rotated the token at /);
    const now = await a.core.tenants.get(idOf(a), tenant);
    expect(now.state).toBe('registered'); // A's revoke did not happen
    // Acting on the version it sees now goes through.
    expect((await a.core.tenants.revoke(idOf(a), tenant, { expectedVersion: now.version! })).state).toBe('revoked');
    // A verification result in between is not a conflict (nobody decided anything).
    const t2 = `verified${run}`;
    await create(a, t2);
    const v = await b.core.tenants.get(idOf(b), t2);
    await a.core.tenants.recordVerification({
      instanceId: idOf(a),
      tenant: t2,
      status: 'registered',
      summary: 'not installed yet',
      checkedAt: new Date().toISOString(),
      evidence: {} as never,
    });
    await expect(b.core.tenants.markHandedOver(idOf(b), t2, { expectedVersion: v.version! })).rejects.toMatchObject({
      code: 'invalid-state', // B does not hold A's token: refused for that, not for the verification
    });
  });

  it('one audit timeline: every operator, from where, and an intact chain', async () => {
    const tenant = `audited${run}`;
    await create(a, tenant);
    await b.core.tenants.rotate(idOf(b), tenant);
    const fromB = await b.core.audit.list({ tenant });
    expect(fromB.map((e) => `${e.action}:${e.user}`)).toEqual(['rotate:Bob', 'create:Ann']);
    for (const e of fromB) {
      expect(e.operator?.workstation).toBe(os.hostname());
      expect(e.team).toBeGreaterThan(0);
      expect(e.instanceId).toBe(idOf(b)); // in B's words
    }
    const fromA = await a.core.audit.list({ tenant });
    expect(fromA.map((e) => `${e.action}:${e.user}`)).toEqual(['rotate:Bob', 'create:Ann']);
    const chains = await a.core.registry.verifyAudit([idOf(a)]);
    expect(chains).toEqual([{ instanceId: idOf(a), entries: expect.any(Number), problem: null }]);
    expect(chains[0]!.entries).toBeGreaterThan(4);
  });

  it('a new workstation with no local data sees the whole record and the audit trail', async () => {
    const c = await newConsole('Cleo');
    const listed = await c.core.tenants.list();
    const fromA = await a.core.tenants.list();
    expect(listed.map((r) => `${r.tenant}:${r.state}:${r.tokenHolder?.name ?? '-'}`).sort()).toEqual(
      fromA.map((r) => `${r.tenant}:${r.state}:${r.tokenHolder?.name ?? '-'}`).sort(),
    );
    expect(listed.length).toBeGreaterThan(3);
    const trail = await c.core.audit.list({ instanceId: idOf(c), limit: 500 });
    expect(trail.filter((e) => e.action === 'create').map((e) => e.tenant)).toEqual(
      expect.arrayContaining([`shared${run}`, `rotate${run}`, `both${run}`, `audited${run}`]),
    );
    // Every entry is the team's, with who did it and from where (Cleo has no audit.log of her own).
    expect(new Set(trail.map((e) => e.user))).toEqual(new Set(['Ann', 'Bob']));
    for (const e of trail) {
      expect(e.team).toBeGreaterThan(0);
      expect(e.operator).toMatchObject({ name: e.user, workstation: os.hostname() });
    }
    expect(trail.find((e) => e.action === 'rotate' && e.tenant === `rotate${run}`)?.operator).toEqual({
      name: 'Bob',
      email: 'bob@team.test',
      workstation: os.hostname(),
    });
  });
});

describe('the registry unreachable mid-session', { timeout: 240_000 }, () => {
  it('last-known record read-only, changes refused and not queued, no divergence when it answers again', async () => {
    const gate = await startDoor(esUrl);
    const d = await newConsole('Dora', gate.url);
    const e = await newConsole('Emil'); // straight to Elasticsearch: keeps working while Dora's way is shut
    const kept = `kept${run}`;
    await create(d, kept);
    const before = (await d.core.tenants.list()).map((r) => r.tenant).sort();
    expect(before).toContain(kept);

    await gate.close();
    const during = await d.core.tenants.byInstance({ instanceId: idOf(d) });
    expect(during[0]!.live).toBe(false);
    expect(during[0]!.records.map((r) => r.tenant).sort()).toEqual(before);
    const registry = await d.core.registry.of(idOf(d));
    expect(registry.health()).toMatchObject({ state: 'unreachable', since: expect.any(String) });
    const refused = await refusal(create(d, `refused${run}`));
    expect(refused.code).toBe('registry-read-only');
    expect(refused.message).toMatch(
      /cannot be changed: it is unreachable since .*nothing was changed and nothing is queued/,
    );
    expect(tms.tenants().has(`refused${run}`)).toBe(false);
    expect(await d.keychain.list(accountFor.tokenPrefix(idOf(d)))).toEqual([accountFor.token(idOf(d), kept)]);
    // Meanwhile another operator changes the record.
    await e.core.tenants.rotate(idOf(e), kept);
    const added = `added${run}`;
    await create(e, added);

    await gate.open();
    const after = await d.core.tenants.byInstance({ instanceId: idOf(d) });
    expect(after[0]!.live).toBe(true);
    expect(registry.health().state).toBe('ok');
    const dView = after[0]!.records.map((r) => `${r.tenant}:${r.tokenHolder?.name}:${r.version}`).sort();
    const eView = (await e.core.tenants.list({ instanceId: idOf(e) }))
      .map((r) => `${r.tenant}:${r.tokenHolder?.name}:${r.version}`)
      .sort();
    expect(dView).toEqual(eView);
    expect(dView).toContain(`${added}:Emil:${(await e.core.tenants.get(idOf(e), added)).version}`);
    // What Dora was refused is nowhere: not queued, not half-made.
    expect(after[0]!.records.some((r) => r.tenant === `refused${run}`)).toBe(false);
    expect(tms.tenants().has(`refused${run}`)).toBe(false);
    // The team's changes reached Dora's Changes feed, by Emil.
    const feed = d.core.watch.changes(0, 1000).entries.filter((c) => c.kind === 'team');
    expect(feed.map((c) => `${c.tenant}:${c.from}->${c.to}`)).toEqual(
      expect.arrayContaining([`${kept}:registered->registered`, `${added}:null->registered`]),
    );
    expect(feed.every((c) => c.detail.startsWith('Emil (emil@team.test)'))).toBe(true);
  });
});
