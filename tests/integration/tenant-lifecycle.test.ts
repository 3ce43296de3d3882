/**
 * The tenant lifecycle end to end: tenantctl as child processes, the REAL OS keychain (under a
 * service name of its own), the Tracardi + TMS simulator and a real Elasticsearch. Run inside a
 * keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/tenant-lifecycle.test.ts
 *
 * Proves: create → hand-over → install (POST /install with the handed-over token and the tenant's
 * Host) leaves records, keychain and TMS in agreement; faults mid-create (TMS 500, TMS down,
 * keychain refusing) leave nothing behind and a retry succeeds; a process KILLED after each saga
 * step is settled by `tenants reconcile --repair`; no token ever reaches config.json, the audit log
 * or a log file.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConsoleError } from '../../shared/errors/errors';
import { createCore, type Core } from '../../main/core';
import { accountFor, KeytarSecretStore, type SecretStore } from '../../main/services/keychain';
import { requestWithHost } from '../../main/services/tracardi-client';
import { TenantService, type CreateStep } from '../../main/services/tenants';
import type { RegistryTenantDoc } from '../../shared/team/registry';
import {
  deleteTenantArtefacts,
  startTms,
  startTracardi,
  type TmsSimulator,
  type TracardiSimulator,
} from '../simulator';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'bin/tenantctl.mjs');
const crashEntry = path.join(repo, 'tests/support/crash-after-step.ts');
const serviceName = `tracardi-tenant-console-lifecycle-${process.pid}-${randomBytes(4).toString('hex')}`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;
const run = randomBytes(3).toString('hex'); // tenant names unique per run: the ES cluster is shared
// The instances' team registries are scoped by suffix: unique per run too.
const SUFFIX = `lifecycle-${run}.test`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let dataDir: string;
let esUrl: string;
let tms: TmsSimulator;
let tmsNoDelete: TmsSimulator;
let tracardi: TracardiSimulator;
let core: Core;
let keychain: KeytarSecretStore;
const issued = new Set<string>();
const cliOutput: string[] = [];
const installed: string[] = [];
const timings: string[] = [];

/**
 * Run tenantctl in a child process. With `crashAfter`, run the test-only entry that kills the
 * process right after that step of the create saga (tests/support/crash-after-step.ts).
 */
function tenantctl(args: string[], env: NodeJS.ProcessEnv = {}, crashAfter?: CreateStep): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName, ...env };
    delete childEnv.TENANTCTL_DEBUG;
    const entry = crashAfter ? ['--import', 'tsx', crashEntry, crashAfter] : [cli];
    const child = spawn(process.execPath, [...entry, '--data-dir', dataDir, ...args], {
      cwd: repo,
      env: childEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, ms: Date.now() - started };
      // Everything tenantctl printed is scanned for tokens at the end, except where a token is the point.
      if (!args.includes('--reveal') && !args.includes('--stdout')) cliOutput.push(stdout, stderr);
      resolve(result);
    });
    child.stdin.end('');
  });
}

function ok(r: Run): Run {
  expect(r.code, `tenantctl failed: ${r.stderr}`).toBe(0);
  return r;
}

async function noteTokens(): Promise<void> {
  for (const account of await keychain.list('token/')) {
    const t = await keychain.get(account);
    if (t) issued.add(t);
  }
  for (const sim of [tms, tmsNoDelete]) for (const t of sim.tenants().values()) issued.add(t.install_token);
}

/** The instance's documents in its team registry, read afresh (as another console would). */
async function registryDocs(instanceId: string): Promise<RegistryTenantDoc[]> {
  const registry = await (await freshCore()).registry.of(instanceId);
  await registry.sync();
  return registry.cached().map((d) => d.doc);
}

/**
 * Registry, keychain and TMS of an instance hold the same tenants with the same tokens, and no
 * operation is pending. A revoked tenant keeps its record and (with a dead token) its TMS entry.
 */
async function expectAgreement(instanceId: string, sim: TmsSimulator): Promise<void> {
  await noteTokens();
  const docs = await registryDocs(instanceId);
  expect(docs.filter((d) => d.pending !== null || d.phase === 'creating').map((d) => d.tenant)).toEqual([]);
  const mine = docs.filter((d) => d.phase === 'active').map((d) => ({ tenant: d.tenant, state: d.record.state }));
  const live = mine
    .filter((r) => r.state !== 'revoked')
    .map((r) => r.tenant)
    .sort();
  const revoked = mine.filter((r) => r.state === 'revoked').map((r) => r.tenant);
  const accounts = (await keychain.list(accountFor.tokenPrefix(instanceId))).map((a) => a.split('/')[2]!).sort();
  expect(accounts).toEqual(live);
  expect([...sim.tenants().keys()].filter((t) => !revoked.includes(t)).sort()).toEqual(live);
  for (const t of live)
    expect(sim.tenants().get(t)!.install_token).toBe(await keychain.get(accountFor.token(instanceId, t)));
}

/** A core that reads config.json as the CLI children left it (a core caches what it loaded). */
function freshCore(): Promise<Core> {
  return createCore({ dataDir, env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName }, shell: 'test' });
}

function install(apiDomain: string, token: string) {
  return requestWithHost(
    { apiUrl: tracardi.url, tenantHost: apiDomain },
    {
      method: 'POST',
      path: '/install',
      body: {
        username: 'admin@example.com',
        password: 'correct-horse-battery',
        token,
        needs_admin: true,
        update_mapping: false,
      },
      timeoutMs: 60_000,
    },
  );
}

beforeAll(async () => {
  // The second cluster: the capacity tests lower cluster.max_shards_per_node on the first one, and
  // on shared dev clusters a concurrent run of those would refuse these creates for lack of room.
  const urls = inject('esUrls');
  esUrl = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-lifecycle-'));
  [tms, tmsNoDelete] = await Promise.all([
    startTms({ apiKey: API_KEY }),
    startTms({ apiKey: API_KEY, supportsDelete: false }),
  ]);
  tracardi = await startTracardi({ version: '0.9.x', esUrl, tmsUrl: tms.url, tmsApiKey: API_KEY });
  keychain = new KeytarSecretStore(serviceName);
  core = await createCore({
    dataDir,
    env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
    shell: 'test',
  });
  for (const [id, sim] of [
    ['life1', tms],
    ['life2', tmsNoDelete],
  ] as const) {
    await core.instances.add(
      {
        id,
        name: `Lifecycle ${id}`,
        environment: 'test',
        apiUrl: tracardi.url,
        guiUrlPattern: `https://{label}-gui.${id}.${SUFFIX}`,
        tenantDomainSuffix: `${id}.${SUFFIX}`,
        tracardiVersion: '0.9.x',
        tmsUrl: sim.url,
        es: { nodes: [esUrl] },
      },
      { 'tms-api-key': API_KEY },
    );
  }
}, 120_000);

afterAll(async () => {
  try {
    if (dataDir) {
      await noteTokens();
      // The secrets test: no token issued during the suite is in config.json (or its backups), the
      // audit log, any log file, or anything tenantctl printed (reveal/--stdout aside).
      const files = fs
        .readdirSync(dataDir)
        .filter((f) => f.startsWith('config.json') || f.endsWith('.log') || f.includes('log'));
      expect(files).toContain('config.json');
      expect(files).toContain('audit.log');
      expect(issued.size).toBeGreaterThan(5);
      for (const f of files) {
        const text = fs.readFileSync(path.join(dataDir, f), 'utf8');
        for (const t of issued) expect(text.includes(t), `${f} holds a token`).toBe(false);
        expect(text.includes(API_KEY), `${f} holds the TMS API key`).toBe(false);
      }
      for (const out of cliOutput)
        for (const t of issued) expect(out.includes(t), 'tenantctl printed a token').toBe(false);
      expect(fs.statSync(path.join(dataDir, 'audit.log')).mode & 0o777).toBe(0o600);
    }
  } finally {
    if (keychain) for (const a of await keychain.list('')) await keychain.delete(a);
    await Promise.all(installed.map((t) => deleteTenantArtefacts(esUrl, t)));
    await Promise.all([tracardi?.stop(), tms?.stop(), tmsNoDelete?.stop()]);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`[tenant-lifecycle] timings:\n  ${timings.join('\n  ')}`);
  }
});

// tenantctl children cost 2-10 s each on a loaded 2-core machine (two ES JVMs): generous budgets.
describe('lifecycle', { timeout: 240_000 }, () => {
  it('create → hand-over → install: records, keychain and TMS agree, the handed-over token installs', async () => {
    const label = `acme-${run}`;
    const tenant = `acme${run}`;
    const created = ok(
      await tenantctl(['tenants', 'create', 'life1', label, '--email', 'owner@acme.example', '--days', '7', '--json']),
    );
    timings.push(`tenants create: ${created.ms} ms`);
    const record = JSON.parse(created.stdout) as {
      tenant: string;
      apiDomain: string;
      guiUrl: string;
      apiUrl: string;
      state: string;
    };
    expect(record).toMatchObject({
      tenant,
      apiDomain: `${label}.life1.${SUFFIX}`,
      guiUrl: `https://${label}-gui.life1.${SUFFIX}`,
      state: 'registered',
    });
    await expectAgreement('life1', tms);

    // token show without --reveal: metadata only.
    const meta = ok(await tenantctl(['token', 'show', 'life1', tenant]));
    expect(meta.stdout).toMatch(/--reveal/);
    const token = (await keychain.get(accountFor.token('life1', tenant)))!;
    expect(meta.stdout).not.toContain(token);

    const sheetFile = path.join(dataDir, 'handoff-acme.md');
    const handoff = ok(
      await tenantctl(['tenants', 'handoff', 'life1', tenant, '--out', sheetFile, '--mark-handed-over']),
    );
    timings.push(`tenants handoff --out: ${handoff.ms} ms`);
    expect(fs.statSync(sheetFile).mode & 0o777).toBe(0o600);
    const sheet = fs.readFileSync(sheetFile, 'utf8');
    const fromSheet = /Installation token \| `([A-Za-z0-9_-]{43})`/.exec(sheet)?.[1];
    expect(fromSheet).toBe(token);
    expect(sheet).toContain(record.guiUrl);
    expect(sheet).toContain(record.apiUrl);
    // An existing sheet is not overwritten.
    const again = await tenantctl(['tenants', 'handoff', 'life1', tenant, '--out', sheetFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists/);

    // A wrong token is refused by Tracardi (it asks the TMS), the handed-over one installs.
    expect((await install(record.apiDomain, 'not-the-token')).status).toBe(403);
    const res = await install(record.apiDomain, fromSheet!);
    expect(res.status, res.text).toBe(200);
    installed.push(tenant);

    const list = JSON.parse(ok(await tenantctl(['tenants', 'list', '--instance', 'life1', '--json'])).stdout) as {
      tenant: string;
      state: string;
    }[];
    expect(list.find((r) => r.tenant === tenant)?.state).toBe('handed-over');
    const reconcile = ok(await tenantctl(['tenants', 'reconcile', '--json']));
    timings.push(`tenants reconcile: ${reconcile.ms} ms`);
    expect((JSON.parse(reconcile.stdout) as { findings: unknown[] }).findings).toEqual([]);
    await expectAgreement('life1', tms);

    // Its indices are in Elasticsearch now: the same name is an Elasticsearch collision too.
    const preview = await (await freshCore()).tenants.preview({ instanceId: 'life1', domain: label });
    expect(preview.collisions.map((c) => c.where).sort()).toEqual(['elasticsearch', 'records', 'tms']);

    // Installed (as verification records it): rotate refused, revoke allowed and the old token dies.
    await core.tenants.recordVerification({
      instanceId: 'life1',
      tenant,
      status: 'installed',
      summary: 'installed',
      checkedAt: new Date().toISOString(),
      evidence: {} as never,
    });
    const rotate = await tenantctl(['tenants', 'rotate', 'life1', tenant]);
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toMatch(/^tenantctl: Tenant .* is installed/);
    ok(await tenantctl(['tenants', 'revoke', 'life1', tenant]));
    expect(await keychain.get(accountFor.token('life1', tenant))).toBeNull();
    expect((await install(record.apiDomain, fromSheet!)).status).toBe(403);
    await expectAgreement('life1', tms);

    const audit = JSON.parse(ok(await tenantctl(['audit', '--tenant', tenant, '--json'])).stdout) as {
      action: string;
      outcome: string;
    }[];
    expect(audit.map((a) => `${a.action}:${a.outcome}`).reverse()).toEqual([
      'create:ok',
      'export:ok',
      'hand-over:ok',
      'export:refused',
      'rotate:refused',
      'revoke:ok',
    ]);
  });

  it('token show --reveal prints the token alone, and is audited', async () => {
    const tenant = `reveal${run}`;
    ok(await tenantctl(['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3']));
    const shown = ok(await tenantctl(['token', 'show', 'life1', tenant, '--reveal']));
    expect(shown.stdout).toBe(`${await keychain.get(accountFor.token('life1', tenant))}\n`);
    const reveals = JSON.parse(
      ok(await tenantctl(['audit', '--action', 'reveal', '--tenant', tenant, '--json'])).stdout,
    ) as unknown[];
    expect(reveals).toHaveLength(1);
    ok(await tenantctl(['tenants', 'delete', 'life1', tenant]));
    await expectAgreement('life1', tms);
  });

  it('imports a CSV: a bad row creates nothing; --skip-bad-rows creates exactly the good ones; exit 1 either way', async () => {
    const csv = path.join(dataDir, 'import.csv');
    fs.writeFileSync(
      csv,
      [
        'instance,domain,email,token_lifetime_days,gui_domain',
        `life1,imp-a${run},a@example.com,10,`,
        `life1,impa${run},b@example.com,10,`, // same tenant as the row above
        `life1,imp-b${run},not-an-email,10,`,
        `nosuch,imp-c${run},c@example.com,10,`,
        `life1,"imp-d${run}.life1.${SUFFIX}",d@example.com,30,admin-d${run}.life1.${SUFFIX}`,
        `life1,imp-e${run}`, // too few values
      ].join('\r\n'),
    );
    const tmsBefore = [...tms.tenants().keys()].sort();
    const stopped = await tenantctl(['tenants', 'import', csv, '--json']);
    expect(stopped.code).toBe(1);
    const first = JSON.parse(stopped.stdout) as {
      created: number;
      stopped: boolean;
      rows: { line: number; outcome: string; code?: string }[];
    };
    expect(first.created).toBe(0);
    expect(first.stopped).toBe(true);
    expect(first.rows.map((x) => `${x.line}:${x.outcome}:${x.code ?? ''}`)).toEqual([
      '2:skipped:',
      '3:refused:tenant-collision',
      '4:refused:validation',
      '5:refused:not-found',
      '6:skipped:',
      '7:refused:validation',
    ]);
    expect(stopped.stderr).toMatch(/Nothing created: 4 bad row\(s\) of 6; .*--skip-bad-rows/);
    expect([...tms.tenants().keys()].sort()).toEqual(tmsBefore);

    const r = await tenantctl(['tenants', 'import', csv, '--skip-bad-rows', '--json']);
    timings.push(`tenants import (6 rows, 2 good): ${r.ms} ms`);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      created: number;
      rows: { line: number; outcome: string; code?: string }[];
    };
    expect(report.created).toBe(2);
    expect(report.rows.map((x) => `${x.line}:${x.outcome}:${x.code ?? ''}`)).toEqual([
      '2:created:',
      '3:refused:tenant-collision',
      '4:refused:validation',
      '5:refused:not-found',
      '6:created:',
      '7:refused:validation',
    ]);
    await expectAgreement('life1', tms);
    for (const t of [`impa${run}`, `impd${run}`]) ok(await tenantctl(['tenants', 'delete', 'life1', t]));

    // Not CSV at all: refused up front with the reason, nothing read into the console.
    fs.writeFileSync(csv, `life1,"imp-f${run},f@example.com,10\nlife1,imp-g${run},g@example.com,10\n`);
    const unterminated = await tenantctl(['tenants', 'import', csv]);
    expect(unterminated.code).toBe(2); // bad input
    expect(unterminated.stderr).toMatch(
      /is not valid CSV: the quote opened on line 1 is never closed; nothing was imported/,
    );
  });

  it('imports a domain outside the instance suffix only with --outside-suffix, which the record keeps as a warning', async () => {
    const csv = path.join(dataDir, 'import-outside.csv');
    const domain = `imp-o${run}.elsewhere-${run}.test`;
    fs.writeFileSync(csv, `life1,${domain},o@example.com,10\n`);
    const refused = await tenantctl(['tenants', 'import', csv, '--json']);
    expect(refused.code).toBe(1);
    const first = JSON.parse(refused.stdout) as { created: number; rows: { outcome: string; reason?: string }[] };
    expect(first.created).toBe(0);
    expect(first.rows[0]).toMatchObject({ outcome: 'refused' });
    expect(JSON.stringify(first.rows[0])).toContain(`is not under this instance's tenant domain suffix`);

    const allowed = ok(await tenantctl(['tenants', 'import', csv, '--outside-suffix', '--json']));
    expect((JSON.parse(allowed.stdout) as { created: number }).created).toBe(1);
    const list = JSON.parse(ok(await tenantctl(['tenants', 'list', '--instance', 'life1', '--json'])).stdout) as {
      tenant: string;
      warnings?: string[];
    }[];
    const created = list.find((t) => t.tenant === `impo${run}`);
    expect(created?.warnings?.join(' ')).toContain(`is not under this instance's tenant domain suffix`);
    ok(await tenantctl(['tenants', 'delete', 'life1', `impo${run}`]));
    await expectAgreement('life1', tms);
  });
});

describe('faults mid-create leave nothing behind; a retry succeeds', { timeout: 240_000 }, () => {
  it('TMS answering 500', async () => {
    const tenant = `fivehundred${run}`;
    tms.failNextPosts(1);
    const r = await tenantctl([
      'tenants',
      'create',
      'life1',
      tenant,
      '--email',
      'a@example.com',
      '--days',
      '3',
    ]).finally(() => tms.failNextPosts(0));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^tenantctl: The TMS of instance life1 .* answered HTTP 500 to POST \/tenant.*Nothing was created\./,
    );
    expect(await keychain.list(accountFor.tokenPrefix('life1'))).toEqual([]);
    expect(tms.tenants().has(tenant)).toBe(false);
    await expectAgreement('life1', tms);
    ok(await tenantctl(['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3']));
    await expectAgreement('life1', tms);
    ok(await tenantctl(['tenants', 'delete', 'life1', tenant]));
  });

  it('TMS going down after the keychain step', async () => {
    const tenant = `tmsdown${run}`;
    // Real keychain; the TMS goes down right after the token is stored.
    const secrets: SecretStore = {
      get: (a) => keychain.get(a),
      delete: (a) => keychain.delete(a),
      has: (a) => keychain.has(a),
      list: (p) => keychain.list(p),
      set: async (a, s) => {
        await keychain.set(a, s);
        if (a.startsWith('token/')) tms.setFault({ kind: 'down' });
      },
    };
    const service = new TenantService({ ...core, secrets });
    const e = await service
      .create({ instanceId: 'life1', domain: tenant, email: 'a@example.com', tokenLifetimeDays: 3 })
      .catch((err: unknown) => err)
      .finally(() => tms.setFault(null));
    expect(e).toBeInstanceOf(ConsoleError);
    expect((e as ConsoleError).code).toBe('tms-unreachable');
    expect(await keychain.get(accountFor.token('life1', tenant))).toBeNull();
    expect(tms.tenants().has(tenant)).toBe(false);
    expect((await (await freshCore()).tenants.list()).some((r) => r.tenant === tenant)).toBe(false);
    // The TMS never answered, so the operation stays pending until a retry or reconcile settles it.
    ok(await tenantctl(['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3']));
    await expectAgreement('life1', tms);
    ok(await tenantctl(['tenants', 'delete', 'life1', tenant]));
  });

  it('keychain refusing the token (locked) mid-create: nothing in the TMS', async () => {
    const tenant = `locked${run}`;
    const secrets: SecretStore = {
      get: (a) => keychain.get(a),
      delete: (a) => keychain.delete(a),
      has: (a) => keychain.has(a),
      list: (p) => keychain.list(p),
      set: async (a, s) => {
        if (a.startsWith('token/')) throw new ConsoleError('keychain-locked', 'The OS keychain is locked (test).');
        await keychain.set(a, s);
      },
    };
    const service = new TenantService({ ...core, secrets });
    await expect(
      service.create({ instanceId: 'life1', domain: tenant, email: 'a@example.com', tokenLifetimeDays: 3 }),
    ).rejects.toMatchObject({ code: 'keychain-locked' });
    expect(tms.tenants().has(tenant)).toBe(false);
    await expectAgreement('life1', tms);
    ok(await tenantctl(['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3']));
    await expectAgreement('life1', tms);
    ok(await tenantctl(['tenants', 'delete', 'life1', tenant]));
  });

  it('no keychain at all (D-Bus pointing nowhere): refused, nothing in the TMS', async () => {
    const tenant = `nobus${run}`;
    const r = await tenantctl(['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3'], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tenant-console-bus',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tenantctl: The OS keychain is not available/);
    expect(tms.tenants().has(tenant)).toBe(false);
    await expectAgreement('life1', tms);
  });
});

describe('process killed between saga steps: reconcile --repair settles it', { timeout: 240_000 }, () => {
  for (const step of ['journal', 'keychain', 'tms', 'record'] as const) {
    it(`killed right after "${step}"`, async () => {
      const tenant = `crash${step}${run}`;
      const args = ['tenants', 'create', 'life1', tenant, '--email', 'a@example.com', '--days', '3'];
      const crashed = await tenantctl(args, {}, step);
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      await noteTokens();
      const pending = (await registryDocs('life1')).filter((d) => d.pending !== null);
      expect(pending.map((d) => `${d.pending!.op}:${d.tenant}`)).toEqual(step === 'record' ? [] : [`create:${tenant}`]);
      expect(tms.tenants().has(tenant)).toBe(step === 'tms' || step === 'record');

      const before = JSON.parse(ok(await tenantctl(['tenants', 'reconcile', '--json'])).stdout) as {
        findings: { kind: string }[];
      };
      expect(before.findings.map((f) => f.kind)).toEqual(step === 'record' ? [] : ['pending-journal']);
      const repair = ok(await tenantctl(['tenants', 'reconcile', '--repair', '--json']));
      timings.push(`crash after ${step}: reconcile --repair ${repair.ms} ms`);
      const after = JSON.parse(ok(await tenantctl(['tenants', 'reconcile', '--json'])).stdout) as {
        findings: unknown[];
      };
      expect(after.findings).toEqual([]);
      await expectAgreement('life1', tms);

      if (step === 'record') {
        // Killed after the last step: the tenant is complete, and a second create is a collision.
        expect(tms.tenants().has(tenant)).toBe(true);
        const again = await tenantctl(args);
        expect(again.code).toBe(1);
        expect(again.stderr).toMatch(/already exists/);
      } else {
        expect(tms.tenants().has(tenant)).toBe(false);
        ok(await tenantctl(args));
        await expectAgreement('life1', tms);
      }
      ok(await tenantctl(['tenants', 'delete', 'life1', tenant]));
      await expectAgreement('life1', tms);
    });
  }

  it('killed after the TMS step on a TMS without DELETE: the create is completed instead', async () => {
    const tenant = `crashnodelete${run}`;
    const crashed = await tenantctl(
      ['tenants', 'create', 'life2', tenant, '--email', 'a@example.com', '--days', '3'],
      {},
      'tms',
    );
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const repair = JSON.parse(ok(await tenantctl(['tenants', 'reconcile', '--repair', '--json'])).stdout) as {
      applied: { id: string; ok: boolean; detail: string }[];
    };
    const mine = repair.applied.filter((a) => a.id.includes(`:life2:${tenant}:`));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ ok: true, detail: expect.stringMatching(/create completed/) });
    await expectAgreement('life2', tmsNoDelete);
    expect((await (await freshCore()).tenants.list({ instanceId: 'life2' })).map((r) => r.tenant)).toEqual([tenant]);
  });
});
