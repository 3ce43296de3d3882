/**
 * Discover and adopt the fleet that already exists, against a REAL Elasticsearch laid out by the
 * Tracardi simulator (its own, independent reading of tracardi-contract.md section 4), the simulated
 * TMS and the REAL OS keychain. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/discovery.test.ts
 *
 * Instance "disc9": 0.9.x multi-tenant with a TMS, on cluster A. Tenants installed through the
 * simulator's POST /install (full, gaps: some partitions deleted after), one only registered in the
 * TMS, one created by the console, and look-alike names that fit no profile.
 * Instance "disc8": 0.8.x single-tenant (an open-source 0.8.2) on cluster B, its one tenant
 * installed with the instance's INSTALLATION_TOKEN; plus a year partition as 0.8.2 names it.
 */
import { isRegistryIndex, REGISTRY_INDICES } from '../../shared/team/registry';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DiscoveryReport, FoundTenant } from '../../shared/tenants/adoption';
import type { ConsoleError } from '../../shared/errors/errors';
import { createCore, type Core } from '../../main/core';
import { accountFor, KeytarSecretStore } from '../../main/services/keychain';
import { requestWithHost } from '../../main/services/tracardi-client';
import {
  deleteTenantArtefacts,
  startTms,
  startTracardi,
  type TmsSimulator,
  type TracardiSimulator,
} from '../simulator';
import { Es } from '../simulator/es';
import { runTenantctl } from '../support/tenantctl';

const serviceName = `tracardi-tenant-console-discovery-${process.pid}-${randomBytes(4).toString('hex')}`;
const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
const run = randomBytes(3).toString('hex');
const FULL = `full${run}`;
const GAPS = `gaps${run}`;
const TMS_ONLY = `tmsonly${run}`;
const MADE = `made${run}`;
const LOOK = `look${run}`;
const SOLO = `solo${run}`;
const FULL_TOKEN = `full-token-${randomBytes(8).toString('hex')}`;
const SOLO_TOKEN = `solo-install-token-${randomBytes(8).toString('hex')}`;
// The instances' team registries are scoped by suffix: unique per run (the clusters are shared).
const SUFFIX9 = `disc9-${run}.test`;
const SUFFIX8 = `disc8-${run}.test`;

let dataDir: string;
let esA: Es;
let esB: Es;
let tms: TmsSimulator;
let sim9: TracardiSimulator;
let sim8: TracardiSimulator;
let core: Core;
let keychain: KeytarSecretStore;

function install(sim: TracardiSimulator, host: string, token: string) {
  return requestWithHost(
    { apiUrl: sim.url, tenantHost: host },
    {
      method: 'POST',
      path: '/install',
      body: { username: 'admin@example.com', password: 'correct-horse-battery', token, needs_admin: true },
      timeoutMs: 120_000,
    },
  );
}

/**
 * Every `.tracardi-` index (with its doc count), alias and template of a cluster, sorted: Tracardi's
 * data. The console's own team registry (`.tracardi-console-*`, where an adopt writes its record) is
 * not the instance's data and is left out.
 */
async function esState(es: Es): Promise<string> {
  const [i, a, t] = await Promise.all([
    es.ok<{ index: string; 'docs.count': string }[]>(
      'GET',
      '/_cat/indices/*.tracardi-*?h=index,docs.count&format=json&expand_wildcards=all',
    ),
    es.ok<{ alias: string; index: string }[]>('GET', '/_cat/aliases/*.tracardi-*?h=alias,index&format=json'),
    es.request<{ index_templates?: { name: string }[] }>('GET', '/_index_template/*.tracardi-*'),
  ]);
  return JSON.stringify({
    indices: i
      .filter((r) => !isRegistryIndex(r.index))
      .map((r) => `${r.index}:${r['docs.count']}`)
      .sort(),
    aliases: a.map((r) => `${r.alias}>${r.index}`).sort(),
    templates: (t.body?.index_templates ?? []).map((x) => x.name).sort(),
  });
}

function tmsState(): string {
  return JSON.stringify([...tms.tenants().entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Settings file, audit log, every keychain token, and the team registry (records and audit trail)
 * of both instances: what a refused adopt must leave as it was.
 */
async function written(): Promise<string> {
  const read = (f: string) =>
    fs.existsSync(path.join(dataDir, f)) ? fs.readFileSync(path.join(dataDir, f), 'utf8') : '';
  const accounts = (await keychain.list('token/')).sort();
  const tokens = await Promise.all(accounts.map(async (a) => `${a}=${await keychain.get(a)}`));
  const registry: string[] = [];
  for (const [es, scope] of [
    [esA, SUFFIX9],
    [esB, SUFFIX8],
  ] as const) {
    const r = await es.request<{ hits?: { hits?: { _id: string; _seq_no: number }[] } }>(
      'POST',
      `/${REGISTRY_INDICES.tenants},${REGISTRY_INDICES.audit}/_search?ignore_unavailable=true&expand_wildcards=all`,
      { size: 1000, seq_no_primary_term: true, _source: false, query: { term: { scope } } },
    );
    for (const h of r.body?.hits?.hits ?? []) registry.push(`${h._id}@${h._seq_no}`);
  }
  return JSON.stringify({ settings: read('config.json'), audit: read('audit.log'), tokens, registry: registry.sort() });
}

async function refusal(p: Promise<unknown>): Promise<ConsoleError> {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as ConsoleError | null;
  expect(err, 'expected a refusal').not.toBeNull();
  return err!;
}

function found(report: DiscoveryReport, tenant: string): FoundTenant | undefined {
  return report.found.find((f) => f.tenant === tenant);
}

const tenantctl = (args: string[], input = '') => runTenantctl(dataDir, serviceName, args, { input });

beforeAll(async () => {
  const urls = inject('esUrls');
  const urlA = urls[0]!.replace(/\/+$/, '');
  const urlB = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
  esA = new Es(urlA);
  esB = new Es(urlB);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-discovery-'));
  tms = await startTms({ apiKey: API_KEY });
  sim9 = await startTracardi({ version: '0.9.x', esUrl: urlA, tmsUrl: tms.url, tmsApiKey: API_KEY });
  sim8 = await startTracardi({
    version: '0.8.x',
    esUrl: urlB,
    multiTenant: false,
    tenantName: SOLO,
    installationToken: SOLO_TOKEN,
  });
  keychain = new KeytarSecretStore(serviceName);
  core = await createCore({
    dataDir,
    env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
    shell: 'test',
  });
  await core.instances.add(
    {
      id: 'disc9',
      name: 'Discovery 0.9',
      environment: 'test',
      apiUrl: sim9.url,
      guiUrlPattern: `https://{label}-gui.${SUFFIX9}`,
      tenantDomainSuffix: SUFFIX9,
      tracardiVersion: '0.9.x',
      tmsUrl: tms.url,
      es: { nodes: [urlA] },
    },
    { 'tms-api-key': API_KEY },
  );
  await core.instances.add({
    id: 'disc8',
    name: 'Discovery 0.8.2 single-tenant',
    environment: 'test',
    apiUrl: sim8.url,
    // {suffix} too: the API URL is an address (the simulator's http://127.0.0.1:port), which has no
    // label or suffix to fill it with (adopt once made "https://127-gui.0.0.1" of it and refused).
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: SUFFIX8,
    tracardiVersion: '0.8.x',
    tenancy: 'single-tenant',
    singleTenantName: SOLO,
    es: { nodes: [urlB] },
  });

  // Tenants someone else made: registered in the TMS, installed through Tracardi.
  const now = new Date().toISOString();
  for (const [name, token] of [
    [FULL, FULL_TOKEN],
    [GAPS, `gaps-token-${run}`],
    [TMS_ONLY, `tmsonly-token-${run}`],
  ] as const)
    tms.tenants().set(name, { id: `id-${name}`, created: now, name, install_token: token, email: null, expire: null });
  for (const [name, token] of [
    [FULL, FULL_TOKEN],
    [GAPS, `gaps-token-${run}`],
  ] as const)
    expect((await install(sim9, `${name}.${SUFFIX9}`, token)).status).toBe(200);
  expect((await install(sim8, `whatever.${SUFFIX8}`, SOLO_TOKEN)).status).toBe(200);

  // Partitions lost from gaps: one staging, one production (their aliases go with them).
  const gapsIndices = await esA.ok<{ index: string }[]>(
    'GET',
    `/_cat/indices/*.${GAPS}.tracardi-*?h=index&format=json`,
  );
  const lost = gapsIndices
    .map((r) => r.index)
    .filter((i) => /^09x\.[^.]+\.tracardi-session-/.test(i) || /^prod-09x\.[^.]+\.tracardi-log-/.test(i));
  expect(lost).toHaveLength(2);
  await esA.ok('DELETE', `/${lost.join(',')}`);
  // An older partition of full (a quarter Tracardi would have opened before).
  await esA.ok('PUT', `/09x.${FULL}.tracardi-event-2025-q1`, {
    settings: { index: { number_of_shards: 1, number_of_replicas: 0 } },
    aliases: { [`09x.${FULL}.tracardi-event`]: {} },
  });
  // 0.8.2's year partitions: `{year}-year`.
  await esB.ok('PUT', `/0820.${SOLO}.tracardi-item-2025-year`, {
    settings: { index: { number_of_shards: 1, number_of_replicas: 0 } },
    aliases: { [`${SOLO}.tracardi-item`]: {} },
  });
  // Look-alikes: an unknown db_version, a type no profile has, a template of that type.
  for (const name of [`0830.${LOOK}.tracardi-event-2025-1`, `09x.${LOOK}.tracardi-gadget-2025-q1`])
    await esA.ok('PUT', `/${name}`, { settings: { index: { number_of_shards: 1, number_of_replicas: 0 } } });
  await esA.ok('PUT', `/_index_template/template.09x.${LOOK}.tracardi-gadget`, {
    index_patterns: [`nothing-matches-${LOOK}-*`],
    priority: 1,
  });
  // A tenant the console created itself.
  await core.tenants.create({
    instanceId: 'disc9',
    domain: MADE,
    email: 'ops@example.com',
    tokenLifetimeDays: 7,
    capacityOverrideReason: 'test cluster is small',
  });
  const madeToken = await keychain.get(accountFor.token('disc9', MADE));
  expect((await install(sim9, `${MADE}.${SUFFIX9}`, madeToken!)).status).toBe(200);
}, 300_000);

afterAll(async () => {
  await Promise.allSettled([
    ...[FULL, GAPS, MADE, LOOK].map((t) => deleteTenantArtefacts(esA.base, t)),
    deleteTenantArtefacts(esB.base, SOLO),
    esA.request('DELETE', `/0830.${LOOK}.tracardi-event-2025-1,09x.${LOOK}.tracardi-gadget-2025-q1`),
    esA.request('DELETE', `/_index_template/template.09x.${LOOK}.tracardi-gadget`),
  ]);
  for (const account of await keychain.list('')) await keychain.delete(account);
  await Promise.allSettled([sim9?.stop(), sim8?.stop(), tms?.stop()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('discover', () => {
  it('lists the tenants without a record, with their evidence and the status verify would give', async () => {
    const report = await core.discovery.discover('disc9');
    expect(report.esRequests).toBe(4);
    expect(report.recorded).toContain(MADE);
    expect(found(report, MADE)).toBeUndefined();
    // The TMS can confirm, not list: a tenant only registered there is not found.
    expect(found(report, TMS_ONLY)).toBeUndefined();
    expect(report.notes.join(' ')).toMatch(/only GET \/tenant\/\{name\}.*cannot list/);

    const full = found(report, FULL)!;
    expect(full.deleted).toBeUndefined(); // never recorded: no tombstone
    expect(full.footprints).toHaveLength(1);
    const fp = full.footprints[0]!;
    expect(fp).toMatchObject({
      version: '0.9.x',
      contexts: ['staging', 'production'],
      indices: 13,
      aliases: 12,
      templates: 12,
    });
    expect(fp.primaries).toBe(13);
    expect(fp.sizeBytes).toBeGreaterThan(0);
    // The oldest creation date of its indices, as Elasticsearch reports them one by one.
    const settings = await esA.ok<Record<string, { settings: { index: { creation_date: string } } }>>(
      'GET',
      `/*.${FULL}.tracardi-*/_settings/index.creation_date`,
    );
    const dates = Object.values(settings).map((s) => Number(s.settings.index.creation_date));
    expect(dates).toHaveLength(13);
    expect(fp.oldestIndexCreated).toBe(new Date(Math.min(...dates)).toISOString());
    expect(full.tms).toEqual({ outcome: 'registered', expire: null });
    expect(full.verification?.status).toBe('installed');
    expect(full.notAdoptable).toBeUndefined();

    const gaps = found(report, GAPS)!;
    expect(gaps.footprints[0]).toMatchObject({ indices: 10, aliases: 10, templates: 12 });
    expect(gaps.verification?.status).toBe('partial');
    expect(gaps.verification?.evidence.es.missing.join(' ')).toMatch(/tracardi-session-\*/);

    // Look-alikes are listed as unrecognised, never as a tenant.
    expect(found(report, LOOK)).toBeUndefined();
    const look = report.unrecognised.filter((u) => u.name.includes(LOOK));
    expect(look.map((u) => [u.kind, u.name]).sort()).toEqual([
      ['index', `0830.${LOOK}.tracardi-event-2025-1`],
      ['index', `09x.${LOOK}.tracardi-gadget-2025-q1`],
      ['template', `template.09x.${LOOK}.tracardi-gadget`],
    ]);
    expect(look.find((u) => u.name.startsWith('0830'))!.why).toMatch(/db_version "0830"/);
    expect(look.find((u) => u.kind === 'template')!.why).toMatch(/type "gadget"/);
  });

  it('reports the one tenant of a single-tenant 0.8.2 instance, laid out as 0.8.2 names it', async () => {
    const report = await core.discovery.discover('disc8');
    expect(report.tenancy).toBe('single-tenant');
    expect(report.esRequests).toBe(4);
    const solo = found(report, SOLO)!;
    expect(solo.footprints[0]).toMatchObject({
      version: '0.8.x',
      contexts: ['staging', 'production', 'static'],
      indices: 77,
      aliases: 76,
      templates: 20,
    });
    expect(solo.tms).toEqual({ outcome: 'no-tms' });
    expect(solo.verification?.status).toBe('installed');
    expect(solo.notAdoptable).toBeUndefined();
    // Anything else on that cluster is not served by this instance.
    for (const other of report.found.filter((f) => f.tenant !== SOLO))
      expect(other.notAdoptable).toMatch(/serves only/);
  });
});

describe('adopt: bad input writes nothing', () => {
  it('refuses a name not on the instance, a domain of another name, a recorded tenant and a wrong token', async () => {
    const before = await written();
    const es = await esState(esA);
    const tmsBefore = tmsState();
    // The remedy is a code each shell words with its own controls (tenantctl a command, the window a screen).
    const cases: [() => Promise<unknown>, string, RegExp, string?][] = [
      [
        () => core.tenants.adopt({ instanceId: 'disc9', tenant: `nothere${run}`, domain: `nothere${run}.${SUFFIX9}` }),
        'not-found',
        /No tenant nothere.* the TMS does not know it\.$/,
        'discover-tenants',
      ],
      [
        () => core.tenants.adopt({ instanceId: 'disc9', tenant: FULL, domain: `other${run}.${SUFFIX9}` }),
        'validation',
        new RegExp(`derives the tenant name other${run}, not ${FULL}`),
      ],
      [
        () => core.tenants.adopt({ instanceId: 'disc9', tenant: MADE, domain: `${MADE}.${SUFFIX9}` }),
        'conflict',
        /already has a record/,
      ],
      [
        () =>
          core.tenants.adopt({
            instanceId: 'disc9',
            tenant: FULL,
            domain: `${FULL}.${SUFFIX9}`,
            token: 'not-the-token',
          }),
        'validation',
        /not the installation token the TMS/,
      ],
      [
        () => core.tenants.adopt({ instanceId: 'disc8', tenant: `other${run}` }),
        'validation',
        /single-tenant and serves only/,
        'set-single-tenant-name',
      ],
    ];
    for (const [attempt, code, message, remedy] of cases) {
      const err = await refusal(attempt());
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.remedy).toBe(remedy);
      expect(err.message).not.toContain('not-the-token');
    }
    expect(await written()).toBe(before);
    expect(await esState(esA)).toBe(es);
    expect(tmsState()).toBe(tmsBefore);
  });

  it('refuses to create a tenant on a single-tenant instance, and says why', async () => {
    const err = await refusal(
      core.tenants.create({ instanceId: 'disc8', domain: 'newone', email: 'a@example.com', tokenLifetimeDays: 3 }),
    );
    expect(err.code).toBe('invalid-state');
    expect(err.message).toMatch(/single-tenant.*exactly one tenant/);
    // What to do instead is a remedy each shell words with its own control (CLI: tenants adopt).
    expect(err.remedy).toBe('adopt-tenant');
    const preview = await core.tenants.preview({ instanceId: 'disc8', domain: 'newone', quick: true });
    expect(preview.error).toMatch(/single-tenant.*Adopt/);
  });
});

describe('adopt', () => {
  it('records an installed tenant with its checked token, changing nothing on the instance', async () => {
    const es = await esState(esA);
    const tmsBefore = tmsState();
    const writesBefore = tms.calls.filter((c) => c.method !== 'GET').length;
    const record = await core.tenants.adopt({
      instanceId: 'disc9',
      tenant: FULL,
      domain: `${FULL}.${SUFFIX9}`,
      token: FULL_TOKEN,
    });
    expect(record).toMatchObject({
      tenant: FULL,
      state: 'installed',
      apiDomain: `${FULL}.${SUFFIX9}`,
      adopted: { token: 'checked' },
    });
    expect(await keychain.get(accountFor.token('disc9', FULL))).toBe(FULL_TOKEN);
    expect(await esState(esA)).toBe(es);
    expect(tmsState()).toBe(tmsBefore);
    expect(tms.calls.filter((c) => c.method !== 'GET').length).toBe(writesBefore);
    expect(sim9.calls.filter((c) => c.method === 'POST').length).toBe(3); // the installs of the set-up only
    const audit = await core.audit.list({ action: 'adopt', tenant: FULL });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'ok', instanceId: 'disc9' });
    expect(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).not.toContain(FULL_TOKEN);
    expect(fs.readFileSync(path.join(dataDir, 'audit.log'), 'utf8')).not.toContain(FULL_TOKEN);

    // It verifies like a created one.
    const verified = await core.verify.verify({ tenant: { instanceId: 'disc9', tenant: FULL } });
    expect(verified.results[0]!.evidence.es.outcome).toBe('complete');
    expect(verified.results[0]!.evidence.install.outcome).toBe('installed');
    expect((await core.discovery.discover('disc9')).recorded).toContain(FULL);
  });

  it('adopts without a token (state unknown) and a TMS-only tenant; reconcile sees no disagreement', async () => {
    const gaps = await core.tenants.adopt({ instanceId: 'disc9', tenant: GAPS, domain: `${GAPS}.${SUFFIX9}` });
    expect(gaps).toMatchObject({ state: 'registered', adopted: { token: 'unknown' } });
    expect(await keychain.get(accountFor.token('disc9', GAPS))).toBeNull();
    const reveal = await refusal(core.tenants.revealToken('disc9', GAPS));
    expect(reveal.message).toMatch(/adopted without its installation token/);
    const only = await core.tenants.adopt({ instanceId: 'disc9', tenant: TMS_ONLY, domain: `${TMS_ONLY}.${SUFFIX9}` });
    expect(only.lastVerification).toMatchObject({ status: 'registered' });
    const report = await core.tenants.reconcile();
    expect(report.findings.filter((f) => [GAPS, TMS_ONLY, FULL].includes(f.tenant))).toEqual([]);
  });

  it('an adopted tenant rotates and revokes like a created one', async () => {
    const rotated = await core.tenants.rotate('disc9', TMS_ONLY);
    expect(rotated.adopted?.token).toBe('issued');
    const token = await keychain.get(accountFor.token('disc9', TMS_ONLY));
    expect(token).not.toBeNull();
    expect(tms.tenants().get(TMS_ONLY)!.install_token).toBe(token);
    const revoked = await core.tenants.revoke('disc9', TMS_ONLY);
    expect(revoked.state).toBe('revoked');
    expect(await keychain.get(accountFor.token('disc9', TMS_ONLY))).toBeNull();
    expect(tms.tenants().get(TMS_ONLY)!.install_token).not.toBe(token);
  });

  it('deleting an adopted tenant forgets it: its TMS entry and its data stay', async () => {
    const es = await esState(esA);
    const tmsBefore = tmsState();
    const result = await core.tenants.delete({ instanceId: 'disc9', tenant: FULL, force: true });
    expect(result).toEqual({ deleted: FULL, forgotten: true });
    expect(await keychain.get(accountFor.token('disc9', FULL))).toBeNull();
    expect(await esState(esA)).toBe(es);
    expect(tmsState()).toBe(tmsBefore);
    // It is found again, and can be adopted again; the registry's tombstone says it was deleted, by whom.
    const again = found(await core.discovery.discover('disc9'), FULL);
    expect(again?.verification?.status).toBe('installed');
    expect(again?.notAdoptable).toBeUndefined();
    expect(again?.deleted).toMatchObject({ apiDomain: `${FULL}.${SUFFIX9}` });
    expect(again?.deleted?.by.name.length).toBeGreaterThan(0);
    expect(Date.parse(again!.deleted!.at)).toBeGreaterThan(Date.now() - 600_000);
    const text = await tenantctl(['tenants', 'discover', 'disc9']);
    expect(text.code, text.stderr).toBe(0);
    const line = text.stdout.split('\n').find((l) => l.startsWith(`${FULL} `));
    expect(line).toContain(`deleted by ${again!.deleted!.by.name} on `);
    expect(line).toContain(
      `(it was ${FULL}.${SUFFIX9}); a delete keeps the Elasticsearch data: adopting records it again`,
    );
  });

  it('tenantctl: discover --json, adopt of the single-tenant instance with --token-stdin, adopt-import', async () => {
    const discover = await tenantctl(['tenants', 'discover', 'disc8', '--json']);
    expect(discover.code, discover.stderr).toBe(0);
    const report = JSON.parse(discover.stdout) as DiscoveryReport;
    expect(found(report, SOLO)?.verification?.status).toBe('installed');

    const adopt = await tenantctl(['tenants', 'adopt', 'disc8', SOLO, '--token-stdin', '--json'], `${SOLO_TOKEN}\n`);
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(JSON.parse(adopt.stdout)).toMatchObject({
      tenant: SOLO,
      state: 'installed',
      adopted: { token: 'supplied' },
      // No domain given: the instance's API URL, and the GUI from the pattern with the tenant and the suffix.
      apiUrl: sim8.url,
      guiDomain: `${SOLO}-gui.${SUFFIX8}`,
    });
    expect(adopt.stdout + adopt.stderr).not.toContain(SOLO_TOKEN);
    expect(await keychain.get(accountFor.token('disc8', SOLO))).toBe(SOLO_TOKEN);

    const csv = path.join(dataDir, 'adopt.csv');
    fs.writeFileSync(
      csv,
      `instance,tenant,domain,email\ndisc9,${FULL},${FULL}.${SUFFIX9},ops@example.com\ndisc9,nothere${run},nothere${run}.${SUFFIX9}\n`,
    );
    const bulk = await tenantctl(['tenants', 'adopt-import', csv, '--json']);
    expect(bulk.code).toBe(1);
    const out = JSON.parse(bulk.stdout) as {
      adopted: number;
      rows: { tenant: string; outcome: string; code?: string }[];
    };
    expect(out.adopted).toBe(1);
    expect(out.rows.map((r) => [r.tenant, r.outcome, r.code ?? null])).toEqual([
      [FULL, 'adopted', null],
      [`nothere${run}`, 'refused', 'not-found'],
    ]);
    // Its token is the instance's INSTALLATION_TOKEN: the console neither rotates nor revokes it.
    for (const attempt of [() => core.tenants.rotate('disc8', SOLO), () => core.tenants.revoke('disc8', SOLO)]) {
      const err = await refusal(attempt());
      expect(err.code).toBe('invalid-state');
      expect(err.message).toMatch(/single-tenant.*INSTALLATION_TOKEN/);
    }
    const es8 = await esState(esB);
    expect(await core.tenants.delete({ instanceId: 'disc8', tenant: SOLO, force: true })).toEqual({
      deleted: SOLO,
      forgotten: true,
    });
    expect(await keychain.get(accountFor.token('disc8', SOLO))).toBeNull();
    expect(await esState(esB)).toBe(es8);
    const created = await tenantctl(['tenants', 'create', 'disc8', 'another', '--email', 'a@example.com']);
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/single-tenant/);
  });
});

describe('adopt on a single-tenant instance: the name rule does not apply', () => {
  it('a domain with digits draws no letters-only warning (the Host does not name the tenant there)', async () => {
    const record = await core.tenants.adopt({ instanceId: 'disc8', tenant: SOLO, domain: `shop42.${SUFFIX8}` });
    try {
      expect(record.apiDomain).toBe(`shop42.${SUFFIX8}`);
      expect(record.warnings.filter((w) => /letters-only/.test(w))).toEqual([]);
      // On a multi-tenant instance the same kind of domain does draw it (the preview, nothing written).
      const preview = await core.tenants.preview({ instanceId: 'disc9', domain: `shop42.${SUFFIX9}`, quick: true });
      expect(preview.warnings.some((w) => /letters-only/.test(w))).toBe(true);
    } finally {
      await core.tenants.delete({ instanceId: 'disc8', tenant: SOLO, force: true });
    }
  });
});

describe('tenantctl instances test', () => {
  it('says what each instance is: the open-source 0.8.2 single-tenant with its tenant, the 0.9 multi-tenant with its TMS; a misconfigured one fails with exit 1 and where each secret goes', async () => {
    const solo = await tenantctl(['instances', 'test', 'disc8']);
    expect(solo.code, solo.stderr).toBe(0);
    expect(solo.stdout).toMatch(/^tracardi\s+ok\s+Tracardi 0\.8\.\d+, single-tenant/m);
    expect(solo.stdout).toMatch(/^tms\s+ok\s+Single-tenant: no TMS/m);
    expect(solo.stdout).toMatch(/^elasticsearch\s+ok\s+Elasticsearch 8\./m);
    expect(solo.stdout).toContain(`Detected: single-tenant (tenant ${SOLO})`);
    expect(solo.stdout).not.toContain('configured as');

    const multi = await tenantctl(['instances', 'test', 'disc9', '--json']);
    expect(multi.code, multi.stderr).toBe(0);
    const checks = JSON.parse(multi.stdout) as { target: string; ok: boolean; tenancy?: { mode: string } }[];
    expect(checks.map((c) => [c.target, c.ok])).toEqual([
      ['tracardi', true],
      ['tms', true],
      ['elasticsearch', true],
    ]);
    expect(checks[0]!.tenancy?.mode).toBe('multi-tenant');
    expect(multi.stdout).not.toContain(API_KEY);

    // The 0.8.2 instance's URL entered as a multi-tenant one, with a TMS and an Elasticsearch that are
    // not there and no TMS key stored.
    await core.instances.add({
      id: 'discbad',
      name: 'Misconfigured',
      environment: 'test',
      apiUrl: sim8.url,
      guiUrlPattern: 'https://{label}-gui.{suffix}',
      tenantDomainSuffix: SUFFIX8,
      tracardiVersion: '0.8.x',
      tmsUrl: 'http://127.0.0.1:1',
      es: { nodes: ['http://127.0.0.1:1'] },
    });
    try {
      const bad = await tenantctl(['instances', 'test', 'discbad']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^tracardi\s+ok/m);
      expect(bad.stdout).toMatch(/^tms\s+FAILED\s+No TMS API key in the keychain\./m);
      expect(bad.stdout).toMatch(/^elasticsearch\s+FAILED\s+.*connection refused/m);
      expect(bad.stdout).toContain('configured as multi-tenant: see instances update --tenancy');
      expect(bad.stdout).toContain('tenantctl instances update discbad --tms-api-key-stdin');
    } finally {
      await core.instances.remove('discbad');
    }
    const unknown = await tenantctl(['instances', 'test', 'nosuch']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nosuch/);
  });
});
