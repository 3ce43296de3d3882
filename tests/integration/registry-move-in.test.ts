/**
 * Moving in (issue 17, point 9), against a real Elasticsearch and the real keychain: a console whose
 * config.json still holds tenant records from before the team registry (its `tenants` array and
 * saga `journal`, written as an older console wrote them) connects to an instance whose registry
 * another operator (Bob) already fills. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/registry-move-in.test.ts
 *
 * Proves, through the contract calls the Tenants screen makes (tenants.list, tenants.moveIns,
 * tenants.resolveMoveIn, registry.status) and through `tenantctl tenants move-in`: records the
 * registry lacks are published on the first list (by this operator, held by this keychain when it
 * holds the token) and leave config.json; the same record is dropped locally without a write; a
 * different one stays local as a conflict with both records and the differences, keep-mine writes
 * it over the team's conditional on the version read (a change in between is refused, not
 * overwritten), keep-team drops it; with the registry unreachable the records stay local and are
 * reported as waiting with the reason, and publish once it answers; a brand-new workstation sees
 * the published record and the audit trail with each entry's operator and workstation.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { accountFor, KeytarSecretStore } from '../../main/services/keychain';
import type { MoveInReportView } from '../../shared/contract/contract-shapes';
import { tenantDocId } from '../../shared/team/registry';
import type { TenantRecord } from '../../shared/tenants/tenant';
import { startTms, type TmsSimulator } from '../simulator';
import { startDoor, type Door } from '../support/door';
import {
  call,
  configOf,
  legacyInstance as legacy,
  legacyRecord as record,
  localCopy,
  registryDoc,
  writeLegacyConfig,
} from '../support/legacy-settings';
import { removeRegistryScope } from '../support/registry-seed';
import { runTenantctl } from '../support/tenantctl';

const run = randomBytes(3).toString('hex');
const SUFFIX = `movein-${run}.test`;
const DOWN_SUFFIX = `movein-down-${run}.test`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;

let esUrl: string;
let tms: TmsSimulator;
const dataDirs: string[] = [];
const services: string[] = [];
const cores: Core[] = [];
const doors: Door[] = [];

function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `movein-${name}-`));
  dataDirs.push(dir);
  return dir;
}

function serviceOf(name: string): string {
  const service = `tracardi-tenant-console-movein-${name}-${run}`;
  services.push(service);
  return service;
}

/** An instance of this file, as a console from before the registry kept it. */
const legacyInstance = (id: string, es: string, suffix = SUFFIX) => legacy({ id, es, suffix, tmsUrl: tms.url });
const legacyRecord = (instanceId: string, tenant: string, suffix = SUFFIX) => record(instanceId, tenant, suffix);
const teamDoc = (tenant: string, scope = SUFFIX) => registryDoc(esUrl, scope, tenant);

async function openCore(dataDir: string, service: string, name: string): Promise<Core> {
  const core = await createCore({
    dataDir,
    env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: service },
    shell: 'test',
  });
  core.operator.set({ name, email: `${name.toLowerCase()}@movein.test` });
  cores.push(core);
  return core;
}

beforeAll(async () => {
  const urls = inject('esUrls');
  esUrl = urls[0]!.replace(/\/+$/, '');
  tms = await startTms({ apiKey: API_KEY });
}, 120_000);

afterAll(async () => {
  for (const c of cores) c.registry.close();
  for (const d of doors) await d.close();
  for (const s of services) {
    const keychain = new KeytarSecretStore(s);
    for (const a of await keychain.list('')) await keychain.delete(a);
  }
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  await removeRegistryScope(esUrl, SUFFIX);
  await removeRegistryScope(esUrl, DOWN_SUFFIX);
  await tms?.stop();
});

describe('moving in: a console with records from before the registry', { timeout: 300_000 }, () => {
  let bob: Core;
  const BOB = 'move-bob';
  const team = new Map<string, TenantRecord>();
  const t = {
    fresh: `fresh${run}`,
    bare: `bare${run}`,
    half: `half${run}`,
    same: `same${run}`,
    mine: `mine${run}`,
    theirs: `theirs${run}`,
    race: `race${run}`,
    clifresh: `clifresh${run}`,
    clisame: `clisame${run}`,
    cliconf: `cliconf${run}`,
    late: `late${run}`,
  };

  beforeAll(async () => {
    bob = await openCore(tempDir('bob'), serviceOf('bob'), 'Bob');
    await bob.instances.add(
      {
        id: BOB,
        name: 'Move-in instance (Bob)',
        environment: 'test',
        apiUrl: 'http://127.0.0.1:9',
        tenantDomainSuffix: SUFFIX,
        tracardiVersion: '0.9.x',
        tmsUrl: tms.url,
        es: { nodes: [esUrl] },
      },
      { 'tms-api-key': API_KEY },
    );
    for (const tenant of [t.same, t.mine, t.theirs, t.race, t.clisame, t.cliconf])
      team.set(
        tenant,
        await bob.tenants.create({
          instanceId: BOB,
          domain: tenant,
          email: `team@${tenant}.test`,
          tokenLifetimeDays: 7,
          // Capacity is not what this file tests: an override reason lets a loaded shared cluster through.
          capacityOverrideReason: 'move-in test, capacity not under test',
        }),
      );
  }, 240_000);

  describe('through the contract calls of the Tenants screen', () => {
    const ANN = 'move-ann';
    let ann: Core;
    let annDir: string;
    let door: Door;
    /** Set to let Bob act between Ann's read of a record and her conditional write of it. */
    let betweenReadAndWrite: (() => Promise<void>) | null = null;
    const before = new Map<string, { seqNo: number; primaryTerm: number; rev: number }>();

    beforeAll(async () => {
      door = await startDoor(esUrl, {
        before: async (req) => {
          const id = encodeURIComponent(tenantDocId(SUFFIX, t.race));
          if (betweenReadAndWrite && req.method === 'PUT' && req.url?.includes(`/_doc/${id}?`)) {
            const act = betweenReadAndWrite;
            betweenReadAndWrite = null;
            await act();
          }
        },
      });
      doors.push(door);
      annDir = tempDir('ann');
      const service = serviceOf('ann');
      writeLegacyConfig(annDir, {
        instances: [legacyInstance(ANN, door.url)],
        tenants: [
          legacyRecord(ANN, t.fresh),
          legacyRecord(ANN, t.bare),
          localCopy(ANN, team.get(t.same)!),
          localCopy(ANN, team.get(t.mine)!, { email: 'ann-local@movein.test' }),
          localCopy(ANN, team.get(t.theirs)!, { state: 'handed-over', handedOverAt: '2026-01-06T09:00:00.000Z' }),
          localCopy(ANN, team.get(t.race)!, { email: 'ann-race@movein.test' }),
        ],
        journal: [
          // A create that crashed after the TMS step, before it wrote its record.
          {
            id: `j-${run}`,
            op: 'create',
            instanceId: ANN,
            tenant: t.half,
            startedAt: '2026-01-05T11:00:00.000Z',
            step: 'tms-created',
            pid: 4242,
            host: 'old-workstation',
            tmsId: `tms-${t.half}`,
            record: legacyRecord(ANN, t.half),
            tokenSha256: 'a'.repeat(64),
          },
        ],
      });
      const keychain = new KeytarSecretStore(service);
      await keychain.set(accountFor.instanceSecret(ANN, 'tms-api-key'), API_KEY);
      await keychain.set(accountFor.token(ANN, t.fresh), `itok-${randomBytes(16).toString('hex')}`);
      for (const tenant of [t.same, t.mine, t.theirs, t.race]) {
        const { seqNo, primaryTerm, doc } = (await teamDoc(tenant))!;
        before.set(tenant, { seqNo, primaryTerm, rev: doc.rev });
      }
      ann = await openCore(annDir, service, 'Ann');
    });

    it('the first list publishes what the registry lacks, drops the same record without a write, keeps conflicts', async () => {
      const rows = await call<{ tenant: string }[]>(ann, 'tenants.list', {});
      // Nothing is lost: every tenant is listed (published, the team's, or still local).
      expect(rows.map((r) => r.tenant)).toEqual(
        expect.arrayContaining([t.fresh, t.bare, t.same, t.mine, t.theirs, t.race]),
      );
      const [report] = await call<MoveInReportView[]>(ann, 'tenants.moveIns');
      expect(report!.published.map((k) => k.tenant).sort()).toEqual([t.bare, t.fresh, t.half].sort());
      expect(report!.same).toEqual([{ instanceId: ANN, tenant: t.same }]);
      expect(report!.waiting).toEqual([]);
      expect(report!.conflicts.map((c) => c.tenant).sort()).toEqual([t.mine, t.race, t.theirs].sort());

      // Published: by Ann, from this workstation; held by Ann's keychain only where it has the token.
      const fresh = (await teamDoc(t.fresh))!.doc;
      expect(fresh).toMatchObject({
        phase: 'active',
        createdBy: { name: 'Ann', email: 'ann@movein.test', workstation: os.hostname() },
        holder: { name: 'Ann', keychain: ann.keychainId },
        pending: null,
      });
      expect(fresh.change).toBe(`published it from the local records of ${os.hostname()}`);
      expect(fresh.record).toMatchObject({ email: `owner@${t.fresh}.test`, state: 'registered' });
      expect((await teamDoc(t.bare))!.doc).toMatchObject({ phase: 'active', holder: null, createdBy: { name: 'Ann' } });
      // The crashed create travels as a claim with its pending change.
      expect((await teamDoc(t.half))!.doc).toMatchObject({
        phase: 'creating',
        pending: { op: 'create', step: 'tms-created', tmsId: `tms-${t.half}`, tokenSha256: 'a'.repeat(64) },
      });
      // The same record: not written (its version is Bob's), and the conflicts are untouched.
      for (const tenant of [t.same, t.mine, t.theirs, t.race]) {
        const now = (await teamDoc(tenant))!;
        expect({ tenant, seqNo: now.seqNo, primaryTerm: now.primaryTerm, rev: now.doc.rev }).toEqual({
          tenant,
          ...before.get(tenant),
        });
        expect(now.doc.updatedBy.name).toBe('Bob');
      }
      // config.json keeps only the conflicts; the journal entry travelled with its record.
      const config = configOf(annDir);
      expect(config.tenants.map((r) => r.tenant).sort()).toEqual([t.mine, t.race, t.theirs].sort());
      expect(config.journal).toEqual([]);
      // The move-in is on the team's trail, by Ann.
      const entries = await ann.audit.list({ action: 'move-in', instanceId: ANN });
      expect(entries[0]).toMatchObject({ user: 'Ann', outcome: 'ok', operator: { workstation: os.hostname() } });
      expect(entries[0]!.team).toBeGreaterThan(0);
      expect(entries[0]!.detail).toMatch(/^published 3 record\(s\) from the local records of /);
      // A second list publishes nothing again and changes nothing.
      await call(ann, 'tenants.list', {});
      expect((await teamDoc(t.fresh))!.doc.rev).toBe(1);
    });

    it('a conflict shows both records and the differences; nothing of the team’s is overwritten', async () => {
      const [report] = await call<MoveInReportView[]>(ann, 'tenants.moveIns');
      const mine = report!.conflicts.find((c) => c.tenant === t.mine)!;
      expect(mine.local.email).toBe('ann-local@movein.test');
      expect(mine.team).toMatchObject({ email: `team@${t.mine}.test`, createdBy: { name: 'Bob' } });
      expect(mine.differences).toEqual([`email team@${t.mine}.test -> ann-local@movein.test`]);
      const theirs = report!.conflicts.find((c) => c.tenant === t.theirs)!;
      expect(theirs.local.state).toBe('handed-over');
      expect(theirs.team.state).toBe('registered');
      expect(theirs.differences).toEqual([
        'state registered -> handed-over',
        'handedOverAt none -> 2026-01-06T09:00:00.000Z',
      ]);
      // Bob, reading the registry, sees his own records.
      expect((await bob.tenants.get(BOB, t.mine)).email).toBe(`team@${t.mine}.test`);
      expect((await bob.tenants.get(BOB, t.theirs)).state).toBe('registered');
    });

    it('keep mine writes the local record over the team’s; keep team’s drops the local one', async () => {
      const kept = await call<{ record: TenantRecord | null }>(ann, 'tenants.resolveMoveIn', {
        instanceId: ANN,
        tenant: t.mine,
        keep: 'local',
      });
      expect(kept.record).toMatchObject({ tenant: t.mine, email: 'ann-local@movein.test', updatedBy: { name: 'Ann' } });
      const written = (await teamDoc(t.mine))!;
      expect(written.seqNo).toBeGreaterThan(before.get(t.mine)!.seqNo);
      expect(written.doc).toMatchObject({
        record: { email: 'ann-local@movein.test' },
        createdBy: { name: 'Bob' },
        updatedBy: { name: 'Ann' },
        rev: before.get(t.mine)!.rev + 1,
        change: `replaced the team's record with the local one of ${os.hostname()}`,
      });
      expect((await bob.tenants.get(BOB, t.mine)).email).toBe('ann-local@movein.test');

      const dropped = await call<{ record: TenantRecord | null }>(ann, 'tenants.resolveMoveIn', {
        instanceId: ANN,
        tenant: t.theirs,
        keep: 'team',
      });
      expect(dropped.record).toBeNull();
      const theirs = (await teamDoc(t.theirs))!;
      expect(theirs.seqNo).toBe(before.get(t.theirs)!.seqNo);
      expect(theirs.doc.record.state).toBe('registered');
      expect((await ann.tenants.get(ANN, t.theirs)).state).toBe('registered'); // the team's now
      expect(configOf(annDir).tenants.map((r) => r.tenant)).toEqual([t.race]);
      const [report] = await call<MoveInReportView[]>(ann, 'tenants.moveIns');
      expect(report!.conflicts.map((c) => c.tenant)).toEqual([t.race]);
      const trail = await bob.audit.list({ action: 'move-in', instanceId: BOB });
      expect(trail.map((e) => `${e.tenant ?? '-'}:${e.user}:${e.detail}`)).toEqual(
        expect.arrayContaining([
          `${t.mine}:Ann:kept the local record (written to the team registry)`,
          `${t.theirs}:Ann:kept the team's record (local one dropped)`,
        ]),
      );
    });

    it('keep mine is conditional on the version it read: a change in between is refused, not overwritten', async () => {
      betweenReadAndWrite = async () => {
        await bob.tenants.markHandedOver(BOB, t.race);
      };
      const refused = await call(ann, 'tenants.resolveMoveIn', { instanceId: ANN, tenant: t.race, keep: 'local' }).then(
        () => null,
        (err: { code?: string; message: string }) => err,
      );
      expect(betweenReadAndWrite).toBeNull(); // Bob did act between the read and the write
      expect(refused).toMatchObject({ code: 'conflict' });
      expect(refused!.message).toMatch(/changed by another operator while this console worked on it: Bob/);
      const now = (await teamDoc(t.race))!.doc;
      expect(now.record).toMatchObject({ state: 'handed-over', email: `team@${t.race}.test` });
      expect(now.updatedBy.name).toBe('Bob');
      // Ann's local record is still there, still a conflict to choose on.
      expect(configOf(annDir).tenants.map((r) => r.tenant)).toEqual([t.race]);
      const [report] = await call<MoveInReportView[]>(ann, 'tenants.moveIns');
      expect(report!.conflicts.map((c) => c.tenant)).toEqual([t.race]);
      // Chosen again on what the team has now, it goes through.
      const kept = await call<{ record: TenantRecord | null }>(ann, 'tenants.resolveMoveIn', {
        instanceId: ANN,
        tenant: t.race,
        keep: 'local',
      });
      expect(kept.record).toMatchObject({ email: 'ann-race@movein.test', state: 'registered' });
      expect(configOf(annDir).tenants).toEqual([]);
    });
  });

  describe('with the registry unreachable', () => {
    it('the records stay local, reported as waiting with the reason, and publish once it answers', async () => {
      const CLEO = 'move-cleo';
      const door = await startDoor(esUrl, { closed: true });
      doors.push(door);
      const dir = tempDir('cleo');
      const service = serviceOf('cleo');
      const records = [legacyRecord(CLEO, t.late), legacyRecord(CLEO, `${t.late}b`)];
      writeLegacyConfig(dir, { instances: [legacyInstance(CLEO, door.url)], tenants: records });
      const bytes = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');
      await new KeytarSecretStore(service).set(
        accountFor.token(CLEO, t.late),
        `itok-${randomBytes(16).toString('hex')}`,
      );
      const cleo = await openCore(dir, service, 'Cleo');

      const rows = await call<{ tenant: string; state: string }[]>(cleo, 'tenants.list', {});
      expect(rows.map((r) => `${r.tenant}:${r.state}`)).toEqual([`${t.late}:registered`, `${t.late}b:registered`]);
      const [status] = await call<{ health: { state: string; since?: string } }[]>(cleo, 'registry.status', {});
      expect(status!.health).toMatchObject({ state: 'unreachable', since: expect.any(String) });
      const reports = await call<MoveInReportView[]>(cleo, 'tenants.moveIns');
      expect(reports).toHaveLength(1);
      expect(reports[0]!.published).toEqual([]);
      expect(reports[0]!.waiting).toEqual([{ instanceId: CLEO, reason: expect.stringMatching(/unreachable since/) }]);
      // The CLI's explicit move-in says the same.
      const all = await cleo.tenants.moveInAll();
      expect(all[0]!.waiting[0]!.reason).toMatch(
        /^The team registry on move-cleo cannot be changed: it is unreachable since .*nothing was changed and nothing is queued\./,
      );
      // Nothing lost, nothing written: config.json holds every record as before.
      expect(configOf(dir).tenants.map((r) => r.tenant)).toEqual([t.late, `${t.late}b`]);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).tenants).toEqual(
        JSON.parse(bytes).tenants,
      );
      expect(await teamDoc(t.late)).toBeNull();

      // It answers again: the window's poll (registry.status with a sync) meets it and publishes; the
      // list does not wait for a registry that was unreachable at its last sync, it is fetched again
      // once the poll has found it back.
      await door.open();
      await call(cleo, 'registry.status', { sync: true });
      const [after] = await call<MoveInReportView[]>(cleo, 'tenants.moveIns');
      expect(after!.waiting).toEqual([]);
      expect(after!.published.map((k) => k.tenant).sort()).toEqual([t.late, `${t.late}b`]);
      expect(configOf(dir).tenants).toEqual([]);
      expect((await teamDoc(t.late))!.doc).toMatchObject({
        createdBy: { name: 'Cleo' },
        holder: { keychain: cleo.keychainId },
      });
      const [statusAfter] = await call<{ health: { state: string } }[]>(cleo, 'registry.status', {});
      expect(statusAfter!.health.state).toBe('ok');
    });
  });

  describe('tenantctl tenants move-in', () => {
    it('prints what it published, what was already there, the conflicts and what waits; --keep resolves', async () => {
      const DAN = 'cli-up';
      const down = await startDoor(esUrl, { closed: true });
      doors.push(down);
      const dir = tempDir('dan');
      const service = serviceOf('dan');
      writeLegacyConfig(dir, {
        instances: [legacyInstance(DAN, esUrl), legacyInstance('cli-down', down.url, DOWN_SUFFIX)],
        tenants: [
          legacyRecord(DAN, t.clifresh),
          localCopy(DAN, team.get(t.clisame)!),
          localCopy(DAN, team.get(t.cliconf)!, { email: 'dan-local@movein.test' }),
          legacyRecord('cli-down', `${t.late}c`, DOWN_SUFFIX),
        ],
      });
      const sameBefore = (await teamDoc(t.clisame))!;

      const first = await runTenantctl(dir, service, ['tenants', 'move-in']);
      expect(first.code).toBe(1); // a conflict waits for the operator
      expect(first.stdout.trimEnd().split('\n')).toEqual([
        `published ${t.clifresh} on ${DAN}`,
        `already in the registry: ${t.clisame} on ${DAN} (local copy dropped)`,
        `CONFLICT ${t.cliconf} on ${DAN}: email team@${t.cliconf}.test -> dan-local@movein.test. Choose: tenantctl tenants move-in --instance ${DAN} --tenant ${t.cliconf} --keep team|local`,
      ]);
      expect(first.stderr).toMatch(
        /^warning: cli-down: not published yet: The team registry on cli-down cannot be changed: it is unreachable since \S+ \(.+\); nothing was changed and nothing is queued\./m,
      );
      expect((await teamDoc(t.clifresh))!.doc.createdBy.workstation).toBe(os.hostname());
      expect((await teamDoc(t.clisame))!.seqNo).toBe(sameBefore.seqNo);
      expect((await teamDoc(t.cliconf))!.doc.record.email).toBe(`team@${t.cliconf}.test`);
      expect(configOf(dir).tenants.map((r) => r.tenant)).toEqual([t.cliconf, `${t.late}c`]);

      const json = await runTenantctl(dir, service, ['tenants', 'move-in', '--json']);
      const reports = JSON.parse(json.stdout) as MoveInReportView[];
      expect(reports.find((r) => r.conflicts.length)!.conflicts[0]).toMatchObject({
        tenant: t.cliconf,
        local: { email: 'dan-local@movein.test' },
        team: { email: `team@${t.cliconf}.test`, createdBy: { name: 'Bob' } },
      });

      const bad = await runTenantctl(dir, service, ['tenants', 'move-in', '--keep', 'both']);
      expect(bad.code).toBe(2);
      const keep = await runTenantctl(dir, service, [
        'tenants',
        'move-in',
        '--instance',
        DAN,
        '--tenant',
        t.cliconf,
        '--keep',
        'local',
      ]);
      expect(keep).toMatchObject({ code: 0, stdout: `Wrote the local record of ${t.cliconf} to the team registry.\n` });
      expect((await teamDoc(t.cliconf))!.doc.record.email).toBe('dan-local@movein.test');

      const again = await runTenantctl(dir, service, ['tenants', 'move-in']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe('No local records to publish.\n');
      expect(again.stderr).toMatch(/^warning: cli-down: not published yet: /m);
      expect(configOf(dir).tenants.map((r) => r.tenant)).toEqual([`${t.late}c`]);
    });
  });

  describe('a brand-new workstation', () => {
    it('sees the moved-in records in full and the audit trail with each operator and workstation', async () => {
      const FAY = 'move-fay';
      const dir = tempDir('fay');
      const service = serviceOf('fay');
      writeLegacyConfig(dir, { instances: [legacyInstance(FAY, esUrl)] });
      const fay = await openCore(dir, service, 'Fay');
      const listed = await fay.tenants.list();
      const fromBob = await bob.tenants.list();
      const view = (rs: TenantRecord[]) =>
        rs.map((r) => `${r.tenant}:${r.state}:${r.email}:${r.tokenHolder?.keychain ?? '-'}:${r.version}`).sort();
      expect(view(listed)).toEqual(view(fromBob));
      expect(listed.map((r) => r.tenant)).toEqual(expect.arrayContaining([t.fresh, t.bare, t.mine, t.clifresh]));
      const fresh = await fay.tenants.get(FAY, t.fresh);
      expect(fresh).toMatchObject({
        createdBy: { name: 'Ann', workstation: os.hostname() },
        updatedBy: { name: 'Ann' },
        tokenHolder: { name: 'Ann', email: 'ann@movein.test' },
        lastChange: `published it from the local records of ${os.hostname()}`,
      });

      // The trail through tenantctl audit, on a data folder that has no audit.log of its own.
      const audit = await runTenantctl(dir, service, ['audit', '--instance', FAY, '--json', '--limit', '500']);
      expect(audit.code).toBe(0);
      const entries = JSON.parse(audit.stdout) as {
        user: string;
        action: string;
        tenant?: string;
        team: number | null;
        operator?: { workstation: string };
      }[];
      const of = (who: string, action: string) => entries.filter((e) => e.user === who && e.action === action);
      expect(of('Bob', 'create').map((e) => e.tenant)).toEqual(expect.arrayContaining([t.same, t.mine, t.race]));
      expect(of('Ann', 'move-in').map((e) => e.tenant ?? '-')).toEqual(
        expect.arrayContaining(['-', t.mine, t.theirs, t.race]),
      );
      expect(of('Cleo', 'move-in')).toHaveLength(1);
      for (const e of entries) {
        expect(e.team).toBeGreaterThan(0);
        expect(e.operator?.workstation).toBe(os.hostname());
      }
      const table = await runTenantctl(dir, service, ['audit', '--instance', FAY, '--action', 'move-in']);
      expect(table.stdout.split('\n')[0]).toMatch(/^TIME\s+OPERATOR\s+WORKSTATION\s+ACTION/);
      expect(table.stdout).toMatch(new RegExp(`\\sAnn\\s+${os.hostname()}\\s+move-in\\s+ok\\s+${FAY}\\s`));
      const verify = await runTenantctl(dir, service, ['audit', 'verify', '--instance', FAY]);
      expect(verify).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(new RegExp(`^${FAY}: intact \\(\\d+ entries\\)`)),
      });
    });
  });
});
