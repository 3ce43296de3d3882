// TenantService over real parts: a settings file in a temp folder, the in-memory secret store, the
// simulated TMS over HTTP (tests/simulator) and a fake capacity source (no Elasticsearch here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CapacityOutcome, CapacitySnapshot } from '../../../shared/capacity/capacity';
import type { RoomResult } from '../../../shared/capacity/capacity-model';
import { ConsoleError } from '../../../shared/errors/errors';
import type { VerificationResult } from '../../../shared/tenants/tenant';
import { AuditLog, REDACTED } from '../../../main/services/audit-log';
import { InstanceService } from '../../../main/services/instances';
import { accountFor, InMemorySecretStore } from '../../../main/services/keychain';
import { ConfSettingsStore } from '../../../main/services/settings-store';
import { createTmsClientFactory, HttpTmsClient } from '../../../main/services/tms-client';
import { TenantService, type Clipboard } from '../../../main/services/tenants';
import { startTms, type TmsSimulator } from '../../simulator';
import { memoryTeam, pendingDocs, type MemoryTeam } from '../../support/memory-registry';

const API_KEY = 'tms-api-key-for-unit-tests-0001';
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

const roomWith = (room: number, over: Partial<RoomResult> = {}): RoomResult => ({
  shardLimit: 1000,
  shardHeadroom: room * 32,
  shardsPerNewTenant: 32,
  tenantsByShards: room,
  diskHeadroomBytes: 10e9,
  bytesPerTenant: null,
  bytesPerTenantSource: 'none',
  tenantsByDisk: null,
  room,
  binding: 'shards',
  ...over,
});

/** A capacity source that answers what the test sets. */
class FakeCapacity {
  room: RoomResult = roomWith(50);
  esTenants: string[] = [];
  error: CapacityOutcome | null = null;
  calls = 0;
  async snapshot(instanceId: string): Promise<CapacityOutcome> {
    this.calls++;
    if (this.error) return this.error;
    const snapshot = {
      instanceId,
      room: this.room,
      tenants: this.esTenants.map((tenant) => ({
        tenant,
        version: '0.9.x',
        indices: 12,
        primaryShards: 32,
        totalShards: 32,
        docs: 0,
        storeBytes: 0,
      })),
    } as unknown as CapacitySnapshot;
    return { ok: true, snapshot };
  }
}

class FakeClipboard implements Clipboard {
  text = '';
  clears = 0;
  writeText(t: string) {
    this.text = t;
  }
  readText() {
    return this.text;
  }
  clear() {
    this.clears++;
    this.text = '';
  }
}

let tms: TmsSimulator;
let tmsNoDelete: TmsSimulator;
let dir: string;
let settings: ConfSettingsStore;
let secrets: InMemorySecretStore;
let instances: InstanceService;
let capacity: FakeCapacity;
let audit: AuditLog;
let clipboard: FakeClipboard;
let service: TenantService;
let team: MemoryTeam;
/** Every token the tests saw, for the no-secret scans. */
const issued = new Set<string>();

beforeAll(async () => {
  [tms, tmsNoDelete] = await Promise.all([
    startTms({ apiKey: API_KEY }),
    startTms({ apiKey: API_KEY, supportsDelete: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([tms.stop(), tmsNoDelete.stop()]);
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-'));
  settings = new ConfSettingsStore({ dataDir: dir });
  secrets = new InMemorySecretStore();
  // Remember every token stored, for the no-secret scan after each test.
  const set = secrets.set.bind(secrets);
  secrets.set = async (account, secret) => {
    if (account.startsWith('token/')) issued.add(secret);
    return set(account, secret);
  };
  instances = new InstanceService(settings, secrets);
  for (const [id, sim] of [
    ['inst1', tms],
    ['inst2', tmsNoDelete],
  ] as const) {
    await instances.add(
      {
        id,
        name: id,
        environment: 'test',
        apiUrl: `https://api.${id}.example.com`,
        guiUrlPattern: 'https://{label}-gui.{suffix}',
        tenantDomainSuffix: `${id}.example.com`,
        tracardiVersion: '0.9.x',
        tmsUrl: sim.url,
        es: { nodes: ['http://127.0.0.1:1'] },
      },
      { 'tms-api-key': API_KEY },
    );
  }
  tms.tenants().clear();
  tmsNoDelete.tenants().clear();
  tms.setFault(null);
  tms.failNextPosts(0);
  capacity = new FakeCapacity();
  audit = new AuditLog({ dataDir: dir });
  clipboard = new FakeClipboard();
  team = memoryTeam(dir, instances);
  service = new TenantService({
    ...teamDeps(),
    settings,
    secrets,
    instances,
    capacity,
    tms: createTmsClientFactory({ instances, timeoutMs: 2000 }),
    audit,
    clipboard,
  });
});

afterEach(async () => {
  // No secret in anything the console wrote to its data folder (the hand-over exports aside).
  for (const sim of [tms, tmsNoDelete]) for (const t of sim.tenants().values()) issued.add(t.install_token);
  const tokens = [...issued];
  // The registry's cache too: it must never hold a token either.
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.md') || fs.statSync(path.join(dir, file)).isDirectory()) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const t of tokens) expect(text.includes(t), `${file} holds a token`).toBe(false);
    expect(text.includes(API_KEY), `${file} holds the TMS API key`).toBe(false);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function teamDeps() {
  return { registry: team.registry, stamp: team.operator, keychainId: team.keychainId };
}

/** Changes under way (or left by a crash) on inst1's tenants. */
async function pending(): Promise<unknown[]> {
  return pendingDocs(team.backend, 'inst1.example.com');
}

async function tokenOf(instanceId: string, tenant: string): Promise<string | null> {
  const t = await secrets.get(accountFor.token(instanceId, tenant));
  if (t) issued.add(t);
  return t;
}

async function refusal(promise: Promise<unknown>, code: string): Promise<ConsoleError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).code, (err as Error).message).toBe(code);
    return err as ConsoleError;
  }
  throw new Error(`expected a ${code} refusal`);
}

const create = (domain: string, over: Partial<Parameters<TenantService['create']>[0]> = {}) =>
  service.create({ instanceId: 'inst1', domain, email: 'ops@example.com', tokenLifetimeDays: 14, ...over });

/** Records, keychain and TMS hold the same tenants, with the same tokens. */
async function expectAgreement(instanceId = 'inst1', sim = tms): Promise<void> {
  const records = (await service.list({ instanceId }))
    .filter((r) => r.state !== 'revoked')
    .map((r) => r.tenant)
    .sort();
  const accounts = (await secrets.list(accountFor.tokenPrefix(instanceId))).map((a) => a.split('/')[2]).sort();
  const inTms = [...sim.tenants().keys()].sort();
  expect(accounts).toEqual(records);
  expect(inTms).toEqual(records);
  for (const t of records) expect(sim.tenants().get(t)!.install_token).toBe(await tokenOf(instanceId, t));
  expect(await pending()).toEqual([]);
}

describe('create', () => {
  it('stores the token in the keychain and the TMS, the record without it', async () => {
    const record = await create('company-x');
    expect(record).toMatchObject({
      instanceId: 'inst1',
      tenant: 'companyx',
      apiDomain: 'company-x.inst1.example.com',
      apiUrl: 'https://company-x.inst1.example.com',
      guiDomain: 'company-x-gui.inst1.example.com',
      guiUrl: 'https://company-x-gui.inst1.example.com',
      state: 'registered',
      email: 'ops@example.com',
    });
    expect(new Date(record.tokenExpiresAt!).getTime() - new Date(record.createdAt).getTime()).toBe(14 * 86400_000);
    const token = (await tokenOf('inst1', 'companyx'))!;
    expect(token).toMatch(TOKEN_RE);
    const stored = tms.tenants().get('companyx')!;
    expect(stored).toMatchObject({
      name: 'companyx',
      install_token: token,
      email: 'ops@example.com',
      expire: record.tokenExpiresAt,
    });
    expect(JSON.stringify(settings.read())).not.toContain(token);
    await expectAgreement();
    const entries = await audit.list({ action: 'create' });
    expect(entries[0]).toMatchObject({
      action: 'create',
      outcome: 'ok',
      instanceId: 'inst1',
      tenant: 'companyx',
      user: os.userInfo().username,
    });
  });

  it('issues 32 CSPRNG bytes as 43 base64url characters, distinct every time', async () => {
    const sizes: number[] = [];
    service = new TenantService({
      ...teamDeps(),
      settings,
      secrets,
      instances,
      capacity,
      tms: createTmsClientFactory({ instances }),
      audit,
      random: (n) => {
        sizes.push(n);
        return crypto.getRandomValues(new Uint8Array(n));
      },
    });
    const tokens = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await create(`tenant${String.fromCharCode(97 + i)}x`);
      const t = (await tokenOf('inst1', r.tenant))!;
      expect(t).toMatch(TOKEN_RE);
      tokens.add(t);
    }
    expect(tokens.size).toBe(12);
    expect(sizes.every((n) => n === 32)).toBe(true);
    // A random source that returns too few bytes is refused, not padded.
    service = new TenantService({
      ...teamDeps(),
      settings,
      secrets,
      instances,
      capacity,
      tms: createTmsClientFactory({ instances }),
      audit,
      random: () => new Uint8Array(16),
    });
    await refusal(create('shortrandom'), 'internal');
    await expectAgreement();
  });

  it('completes a bare label, fills the GUI pattern and honours an explicit GUI domain', async () => {
    const p = await service.preview({ instanceId: 'inst1', domain: 'Shop24', quick: true });
    expect(p).toMatchObject({
      tenant: 'shop24',
      apiDomain: 'shop24.inst1.example.com',
      guiUrl: 'https://shop24-gui.inst1.example.com',
      collisions: [],
      capacity: null,
    });
    expect(p.warnings.join(' ')).toMatch(/letters-only/);
    const r = await create('bücher', { guiDomain: 'admin-buecher.inst1.example.com' });
    expect(r).toMatchObject({
      tenant: 'xnbcherkva',
      apiDomain: 'xn--bcher-kva.inst1.example.com',
      guiUrl: 'https://admin-buecher.inst1.example.com',
    });
    const bad = await service.preview({ instanceId: 'inst1', domain: 'ab', quick: true });
    expect(bad.tenant).toBeNull();
    expect(bad.error).toMatch(/shorter than 3/);
    await refusal(create('ab'), 'validation');
  });

  it('refuses a domain outside the suffix unless on purpose, and any with a user name or password', async () => {
    const outside = await service.preview({ instanceId: 'inst1', domain: 'shop.example.org', quick: true });
    expect(outside.tenant).toBeNull();
    expect(outside.error).toBe(
      "shop.example.org is not under this instance's tenant domain suffix inst1.example.com: Tracardi serves it only if its DNS points at this instance.",
    );
    const refused = await refusal(create('shop.example.org'), 'validation');
    expect(refused.remedy).toBe('allow-outside-suffix');
    const onPurpose = await service.preview({
      instanceId: 'inst1',
      domain: 'shop.example.org',
      quick: true,
      outsideSuffix: true,
    });
    expect(onPurpose.tenant).toBe('shop');
    expect(onPurpose.warnings).toContain(outside.error);
    const record = await create('shop.example.org', { outsideSuffix: true });
    expect(record).toMatchObject({ tenant: 'shop', apiDomain: 'shop.example.org' });
    expect(record.warnings).toContain(outside.error);

    // user:password@ is refused, as the instance form refuses it in a URL (never silently dropped).
    for (const domain of ['https://user:pw@other.inst1.example.com', 'user@other.inst1.example.com']) {
      const e = await refusal(create(domain), 'validation');
      expect(e.message).toBe(
        'The tenant API domain must not carry a user name or password (user:password@): enter the domain alone.',
      );
    }
    const gui = await refusal(create('other', { guiDomain: 'https://a:b@other-gui.inst1.example.com' }), 'validation');
    expect(gui.message).toMatch(/^The GUI domain must not carry a user name or password/);
    expect((await service.list({ instanceId: 'inst1' })).map((r) => r.tenant)).toEqual(['shop']);
  });

  it('refuses collisions with records, the TMS and tenants that already have indices', async () => {
    await create('company-x');
    const quick = await service.preview({ instanceId: 'inst1', domain: 'companyx.inst1.example.com', quick: true });
    expect(quick.collisions).toEqual([
      {
        where: 'records',
        detail: expect.stringMatching(
          /derives the tenant companyx, which was created by Unit Tester on unit-host at .+ for company-x\.inst1\.example\.com on inst1/,
        ),
      },
    ]);
    await refusal(create('companyx'), 'tenant-collision');

    tms.tenants().set('foreign', {
      id: 'x',
      created: '2024-01-01',
      name: 'foreign',
      install_token: 'someone-elses',
      email: null,
      expire: null,
    });
    capacity.esTenants = ['leftover'];
    const callsBefore = capacity.calls;
    const quickForeign = await service.preview({ instanceId: 'inst1', domain: 'foreign', quick: true });
    expect(quickForeign.collisions).toEqual([]);
    expect(capacity.calls).toBe(callsBefore); // quick: no capacity snapshot, no TMS call
    const full = await service.preview({ instanceId: 'inst1', domain: 'foreign' });
    expect(full.collisions.map((c) => c.where)).toEqual(['tms']);
    const es = await service.preview({ instanceId: 'inst1', domain: 'leftover' });
    expect(es.collisions.map((c) => c.where)).toEqual(['elasticsearch']);
    expect(es.capacity).toMatchObject({ ok: true, room: 50 });

    await refusal(create('foreign'), 'tenant-collision');
    const e = await refusal(create('leftover'), 'tenant-collision');
    expect(e.message).toMatch(/already holds 12 indices of a tenant named/);
    expect(e.remedy).toBe('adopt-tenant');
    expect(tms.tenants().has('leftover')).toBe(false);
    expect(await secrets.list(accountFor.tokenPrefix('inst1'))).toEqual([accountFor.token('inst1', 'companyx')]);
    const refused = await audit.list({ action: 'create' });
    expect(refused.filter((a) => a.outcome === 'refused').length).toBe(3);
  });

  it('refuses a full instance naming the binding limit, and records an override with its reason', async () => {
    capacity.room = roomWith(0, { shardHeadroom: 20, shardsPerNewTenant: 32, shardLimit: 1000 });
    const e = await refusal(create('fulltenant'), 'capacity-exceeded');
    expect(e.message).toMatch(/32 shards/);
    expect(e.message).toMatch(/20 left of its 1000-shard limit/);
    expect(e.remedy).toBe('capacity-override');
    expect(tms.tenants().size).toBe(0);
    await refusal(create('fulltenant', { capacityOverrideReason: 'because' }), 'validation');
    const reason = 'Customer go-live Monday; shard limit raise approved in CHG-4711';
    const r = await create('fulltenant', { capacityOverrideReason: reason });
    expect(r.capacityOverride).toMatchObject({ reason, by: 'Unit Tester' });
    expect((await service.get('inst1', 'fulltenant')).capacityOverride?.reason).toBe(reason);
    const overrides = await audit.list({ action: 'override' });
    expect(overrides).toHaveLength(1);
    expect(overrides[0]!.detail).toContain(reason);
    expect(overrides[0]!.detail).toMatch(/shards binding/);

    // Capacity that cannot be checked also needs the override.
    capacity.error = { ok: false, instanceId: 'inst1', error: { code: 'es-refused', message: 'connection refused' } };
    const e2 = await refusal(create('unknowncap'), 'es-refused');
    expect(e2.remedy).toBe('capacity-override');
    await expectAgreement();
  });
});

describe('faults during create: nothing is left behind, and a retry succeeds', () => {
  it('TMS answering 500', async () => {
    tms.failNextPosts(1);
    const e = await refusal(create('faulty'), 'tms-error');
    expect(e.message).toMatch(/HTTP 500/);
    expect(e.message).toMatch(/Nothing was created/);
    expect(await service.list()).toEqual([]);
    await expectAgreement();
    expect(tms.tenants().size).toBe(0);
    await create('faulty');
    await expectAgreement();
    expect((await audit.list({ tenant: 'faulty' })).map((a) => a.outcome)).toEqual(['ok', 'failed']);
  });

  it('TMS going down between the keychain and the TMS step', async () => {
    const real = secrets.set.bind(secrets);
    secrets.set = async (account, secret) => {
      await real(account, secret);
      if (account.startsWith('token/')) tms.setFault({ kind: 'down' });
    };
    const e = await refusal(create('downtenant'), 'tms-unreachable');
    expect(e.remedy).toBe('reconcile-repair'); // the TMS could not be checked: the journal stays
    expect(e.message).not.toContain(API_KEY);
    expect(await service.list()).toEqual([]);
    expect(await secrets.list('token/')).toEqual([]);
    expect(tms.tenants().size).toBe(0);
    expect(await pending()).toHaveLength(1);
    tms.setFault(null);
    secrets.set = real;
    await create('downtenant');
    await expectAgreement();
  });

  it('TMS storing the tenant after the console gave up waiting (reconcile removes it)', async () => {
    tms.setFault({ kind: 'delay', ms: 2500, route: 'POST /tenant', times: 1 }); // the client times out after 2 s
    await refusal(create('slowtenant'), 'tms-unreachable');
    await new Promise((r) => setTimeout(r, 800)); // the TMS stores it after the client gave up
    // The journal stays (the GET during the undo came before the late store); reconcile settles it.
    const report = await service.reconcile();
    expect(report.findings.map((f) => f.kind)).toEqual(['pending-journal']);
    await service.repair('all');
    await expectAgreement();
    expect(tms.tenants().size).toBe(0);
    await create('slowtenant');
    await expectAgreement();
  });

  it('keychain failing on set', async () => {
    secrets.failWith = (op, account) =>
      op === 'set' && account.startsWith('token/')
        ? new ConsoleError('keychain-locked', 'The OS keychain is locked (test).')
        : undefined;
    await refusal(create('lockedtenant'), 'keychain-locked');
    expect(tms.tenants().size).toBe(0);
    expect(await service.list()).toEqual([]);
    expect(await pending()).toEqual([]);
    secrets.failWith = undefined;
    await create('lockedtenant');
    await expectAgreement();
  });

  it('registry write failing at the record step undoes the TMS entry and the token', async () => {
    let writes = 0;
    team.backend.beforeWrite = (what) => {
      // claim, keychain step, TMS step, then the record: the fourth write fails
      if (what !== 'create' && what !== 'replace') return;
      if (++writes === 4) throw new ConsoleError('es-error', 'The team registry could not be written (test).');
    };
    await refusal(create('nowrite'), 'es-error');
    team.backend.beforeWrite = null;
    expect(tms.tenants().size).toBe(0);
    expect(await secrets.list('token/')).toEqual([]);
    expect(await pending()).toEqual([]);
  });
});

describe('tokens and hand-over', () => {
  it('reveals, writes the hand-over sheet and exports it with mode 0600', async () => {
    const r = await create('handoff');
    const token = (await tokenOf('inst1', 'handoff'))!;
    const revealed = await service.revealToken('inst1', 'handoff');
    expect(revealed).toEqual({
      instanceId: 'inst1',
      tenant: 'handoff',
      token,
      apiUrl: r.apiUrl,
      guiUrl: r.guiUrl,
      expiresAt: r.tokenExpiresAt,
    });

    const sheet = await service.handoffSheet('inst1', 'handoff');
    for (const part of [r.guiUrl, r.apiUrl, '`handoff`', token, r.tokenExpiresAt!]) expect(sheet).toContain(part);
    expect(sheet).toMatch(/1\. Open the GUI URL/);
    expect(sheet).toMatch(/2\. Paste the installation token/);
    expect(sheet).toMatch(/3\. Set the administrator e-mail and password/);

    const out = path.join(dir, 'handoff.md');
    await service.exportHandoff('inst1', 'handoff', out);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toBe(sheet);
    await refusal(service.exportHandoff('inst1', 'handoff', out), 'conflict');
    fs.chmodSync(out, 0o644);
    await service.exportHandoff('inst1', 'handoff', out, { overwrite: true });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);

    const marked = await service.markHandedOver('inst1', 'handoff');
    expect(marked.state).toBe('handed-over');
    const actions = (await audit.list({ tenant: 'handoff' })).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual([
      'hand-over:ok',
      'export:ok',
      'export:refused',
      'export:ok',
      'reveal:ok',
      'reveal:ok',
      'create:ok',
    ]);
  });

  it('copies to the clipboard and clears it only if it still holds the token', async () => {
    await create('clipper');
    const token = (await tokenOf('inst1', 'clipper'))!;
    expect(await service.copyToken('inst1', 'clipper', { clearAfterSeconds: 1 })).toEqual({ clearsInSeconds: 1 });
    expect(clipboard.text).toBe(token);
    await new Promise((r) => setTimeout(r, 1200));
    expect(clipboard.text).toBe('');
    expect(clipboard.clears).toBe(1);

    await service.copyToken('inst1', 'clipper', { clearAfterSeconds: 1 });
    clipboard.text = 'something the operator copied since';
    await new Promise((r) => setTimeout(r, 1200));
    expect(clipboard.text).toBe('something the operator copied since');
    expect(clipboard.clears).toBe(1);
    // Default: the preference (30 s).
    expect(await service.copyToken('inst1', 'clipper')).toEqual({ clearsInSeconds: 30 });
    expect((await audit.list({ action: 'copy' })).length).toBe(3);
  });

  it('rotates before install (old token dead) and refuses after install', async () => {
    await create('rotator');
    const old = (await tokenOf('inst1', 'rotator'))!;
    await service.markHandedOver('inst1', 'rotator');
    const rotated = await service.rotate('inst1', 'rotator');
    const fresh = (await tokenOf('inst1', 'rotator'))!;
    expect(fresh).toMatch(TOKEN_RE);
    expect(fresh).not.toBe(old);
    expect(tms.tenants().get('rotator')!.install_token).toBe(fresh);
    expect(rotated.state).toBe('registered'); // the new token has not been handed over
    expect(rotated.rotatedAt).toBeDefined();
    await expectAgreement();

    await service.recordVerification([verification('inst1', 'rotator', 'installed')]);
    expect((await service.get('inst1', 'rotator')).state).toBe('installed');
    await refusal(service.rotate('inst1', 'rotator'), 'invalid-state');
    expect(tms.tenants().get('rotator')!.install_token).toBe(fresh);
    await refusal(service.markHandedOver('inst1', 'rotator'), 'invalid-state');
  });

  it('revokes at any time, also after install: token gone from keychain, dead in the TMS', async () => {
    await create('revoker');
    const old = (await tokenOf('inst1', 'revoker'))!;
    await service.recordVerification(verification('inst1', 'revoker', 'installed'));
    const r = await service.revoke('inst1', 'revoker');
    expect(r.state).toBe('revoked');
    expect(r.revokedAt).toBeDefined();
    expect(await secrets.get(accountFor.token('inst1', 'revoker'))).toBeNull();
    const inTms = tms.tenants().get('revoker')!.install_token;
    expect(inTms).not.toBe(old);
    expect(inTms).toMatch(TOKEN_RE); // never empty: an empty token disables the check on some paths
    await refusal(service.revealToken('inst1', 'revoker'), 'invalid-state');
    await refusal(service.rotate('inst1', 'revoker'), 'invalid-state');
    expect((await service.reconcile()).findings).toEqual([]);
  });

  it('deletes, refusing an installed tenant unless forced; a TMS without DELETE: by hand, then again', async () => {
    await create('goner');
    await service.recordVerification(verification('inst1', 'goner', 'installed'));
    const installed = await refusal(service.delete({ instanceId: 'inst1', tenant: 'goner' }), 'invalid-state');
    // The remedy is a code each shell words with its own control; the message names no flag.
    expect(installed.remedy).toBe('force-delete-tenant');
    expect(installed.toJSON()).toMatchObject({ code: 'invalid-state', remedy: 'force-delete-tenant' });
    expect(installed.message).not.toMatch(/--|tenantctl/);
    expect(await service.delete({ instanceId: 'inst1', tenant: 'goner', force: true })).toEqual({ deleted: 'goner' });
    expect(tms.tenants().has('goner')).toBe(false);
    await expectAgreement();

    await service.create({ instanceId: 'inst2', domain: 'stuck', email: 'ops@example.com', tokenLifetimeDays: 3 });
    const e = await refusal(service.delete({ instanceId: 'inst2', tenant: 'stuck' }), 'tms-unsupported');
    expect(e.message).toMatch(
      /^This TMS has no DELETE \/tenant: remove tenant stuck by hand on http:\/\/127\.0\.0\.1:\d+/,
    );
    // Nothing changed: the console still knows the tenant and its token.
    await expectAgreement('inst2', tmsNoDelete);
    tmsNoDelete.tenants().delete('stuck'); // the operator removes it by hand
    expect(await service.delete({ instanceId: 'inst2', tenant: 'stuck' })).toEqual({ deleted: 'stuck' });
    await expectAgreement('inst2', tmsNoDelete);
  });
});

describe('reconcile', () => {
  it('finds every kind of disagreement and repairs it in one call', async () => {
    await create('notoken');
    await create('notintms');
    await create('mismatch');
    await create('healthy');
    await secrets.delete(accountFor.token('inst1', 'notoken'));
    tms.tenants().delete('notintms');
    tms.tenants().get('mismatch')!.install_token = 'changed-behind-our-back';
    await secrets.set(accountFor.token('inst1', 'orphan'), 'x'.repeat(43));
    tms.tenants().set('stranger', {
      id: 's',
      created: '2024-01-01',
      name: 'stranger',
      install_token: 'theirs',
      email: null,
      expire: null,
    });

    const report = await service.reconcile();
    const kinds = Object.fromEntries(report.findings.map((f) => [f.tenant, f.kind]));
    expect(kinds).toEqual({
      notoken: 'record-without-token',
      notintms: 'missing-in-tms',
      mismatch: 'token-mismatch',
      orphan: 'orphan-token',
      stranger: 'tms-only',
    });
    expect(report.findings.find((f) => f.kind === 'tms-only')!.repairable).toBe(false);
    for (const f of report.findings) expect(f.repair.length).toBeGreaterThan(5);

    const { applied, after } = await service.repair('all');
    expect(applied.every((a) => a.ok)).toBe(true);
    expect(applied).toHaveLength(4);
    expect(after.findings.map((f) => f.kind)).toEqual(['tms-only']);
    tms.tenants().delete('stranger');
    await expectAgreement();
    expect((await audit.list({ action: 'repair' })).length).toBe(4);
  });

  it('says when the TMS is down instead of guessing', async () => {
    await create('quiet');
    tms.setFault({ kind: 'down' });
    const report = await service.reconcile();
    expect(report.findings).toEqual([]);
    expect(report.notes.join(' ')).toMatch(/inst1: TMS not checked/);
    tms.setFault(null);
  });
});

describe('TMS client', () => {
  it('exchanges the API key once, again after a 401, and reads install_key', async () => {
    const legacy = await startTms({ apiKey: API_KEY, tokenField: 'install_key' });
    try {
      const client = new HttpTmsClient({ instanceId: 'x', tmsUrl: legacy.url, apiKey: API_KEY });
      await client.postTenant({
        id: 'i',
        name: 'legacy',
        installToken: 'tok-legacy-123',
        email: 'a@b.cd',
        created: 'now',
        expire: null,
      });
      expect(await client.getTenant('legacy')).toMatchObject({ name: 'legacy', installToken: 'tok-legacy-123' });
      expect(await client.getTenant('nobody')).toBeNull();
      expect(legacy.calls.filter((c) => c.path.startsWith('/api-key/')).length).toBe(1);
      legacy.revokeTokens();
      expect(await client.getTenant('legacy')).not.toBeNull();
      expect(legacy.calls.filter((c) => c.path.startsWith('/api-key/')).length).toBe(2);
      expect((await client.listTenants())!.map((t) => t.name)).toEqual(['legacy']);
    } finally {
      await legacy.stop();
    }
  });

  it('never puts the API key in a message', async () => {
    const wrong = 'wrong-api-key-do-not-print-me';
    const client = new HttpTmsClient({ instanceId: 'x', tmsUrl: tms.url, apiKey: wrong });
    const e = await refusal(client.getTenant('a'), 'tms-unauthorized');
    expect(e.message).not.toContain(wrong);
    const down = new HttpTmsClient({ instanceId: 'x', tmsUrl: 'http://127.0.0.1:1', apiKey: wrong, timeoutMs: 500 });
    const e2 = await refusal(down.getTenant('a'), 'tms-unreachable');
    expect(e2.message).not.toContain(wrong);
    expect(e2.message).toMatch(/instance x/);
  });
});

describe('audit log', () => {
  it('is 0600 and never writes a secret, even when handed one', async () => {
    await create('audited');
    const token = (await tokenOf('inst1', 'audited'))!;
    await audit.record({ action: 'reveal', outcome: 'ok', detail: `oops ${token}` });
    await audit.record({ action: 'reveal', outcome: 'ok', detail: `shaped like one: ${'A'.repeat(43)}` });
    const fresh = new AuditLog({ dataDir: dir, knownSecrets: () => [API_KEY] });
    await fresh.record({ action: 'x', outcome: 'failed', detail: `key ${API_KEY}` });
    const [a, b, c] = (await audit.list({ limit: 3 })).reverse();
    expect([a!.detail, b!.detail, c!.detail]).toEqual([REDACTED, REDACTED, REDACTED]);
    expect(c!.redacted).toBe(true);
    expect(fs.statSync(path.join(dir, 'audit.log')).mode & 0o777).toBe(0o600);
    expect((await audit.list({ since: new Date(Date.now() + 60_000) })).length).toBe(0);
  });
});

function verification(instanceId: string, tenant: string, status: VerificationResult['status']): VerificationResult {
  const dns = { domain: 'x', addresses: [], expected: [], outcome: 'not-checked' as const };
  return {
    instanceId,
    tenant,
    status,
    summary: status,
    checkedAt: new Date().toISOString(),
    evidence: {
      dns: { api: dns, gui: dns },
      install: { outcome: 'installed' },
      es: {
        outcome: 'complete',
        indicesExpected: 12,
        indicesFound: 12,
        aliasesExpected: 12,
        aliasesFound: 12,
        templatesExpected: 12,
        templatesFound: 12,
        missing: [],
      },
      token: { expiresAt: null, expired: false, inKeychain: true },
    },
  };
}
