/**
 * The fleet report end to end: `tenantctl tenants report` as a child process over a data folder with
 * tenants in every token state, created through the TMS simulator and the REAL OS keychain, one of
 * them installed on the simulated Tracardi and the fleet verified against a real Elasticsearch.
 * The CSV is read back with a real CSV parser (csv-parse), the JSON with JSON.parse, and no token
 * (nor the TMS API key) is anywhere in either, streamed or written to a file.
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/fleet-report.test.ts
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { MapResolver } from '../../main/services/dns';
import { CSV_HEADERS, type FleetReportRow } from '../../main/services/report';
import { requestWithHost } from '../../main/services/tracardi-client';
import {
  deleteTenantArtefacts,
  startTms,
  startTracardi,
  type TmsSimulator,
  type TracardiSimulator,
} from '../simulator';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'bin/tenantctl.mjs');
const serviceName = `tracardi-tenant-console-report-${process.pid}-${randomBytes(4).toString('hex')}`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;
const SUFFIX = 'report.test';
const ADDRESS = '10.0.7.1';
const run = [...randomBytes(5)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
// An instance name a spreadsheet would run as a formula, with a comma and quotes to quote.
const HOSTILE_NAME = '=HYPERLINK("http://evil.test","click"), and more';

let dataDir: string;
let esUrl: string;
let tms: TmsSimulator;
let tracardi: TracardiSimulator;
let core: Core;
const tokens: string[] = [];
const tenant = { installed: `inst${run}`, handed: `hand${run}`, fresh: `new${run}`, revoked: `rev${run}` };

function env(): NodeJS.ProcessEnv {
  return { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName, TENANT_CONSOLE_DATA_DIR: dataDir };
}

function tenantctl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectNoSecret(text: string, where: string): void {
  expect(tokens.length).toBe(4);
  for (const t of tokens) expect(text.includes(t), `${where} holds an installation token`).toBe(false);
  expect(text.includes(API_KEY), `${where} holds the TMS API key`).toBe(false);
}

beforeAll(async () => {
  const urls = inject('esUrls');
  esUrl = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-report-'));
  tms = await startTms({ apiKey: API_KEY });
  tracardi = await startTracardi({ version: '0.9.x', esUrl, tmsUrl: tms.url, tmsApiKey: API_KEY });
  core = await createCore({
    dataDir,
    env: env(),
    shell: 'test',
    resolver: new MapResolver({ [`*.${SUFFIX}`]: [ADDRESS] }),
  });
  await core.instances.add(
    {
      id: 'rep1',
      name: HOSTILE_NAME,
      environment: 'test',
      apiUrl: tracardi.url,
      guiUrlPattern: `https://{label}-gui.${SUFFIX}`,
      tenantDomainSuffix: SUFFIX,
      tracardiVersion: '0.9.x',
      tmsUrl: tms.url,
      es: { nodes: [esUrl] },
      expectedAddresses: [ADDRESS],
    },
    { 'tms-api-key': API_KEY },
  );
  for (const t of Object.values(tenant)) {
    await core.tenants.create({
      instanceId: 'rep1',
      domain: `${t}.${SUFFIX}`,
      email: `ops@${t}.example.com`,
      tokenLifetimeDays: 30,
    });
    tokens.push((await core.tenants.revealToken('rep1', t)).token);
  }
  const installed = await requestWithHost(
    { apiUrl: tracardi.url, tenantHost: `${tenant.installed}.${SUFFIX}` },
    {
      method: 'POST',
      path: '/install',
      body: {
        username: 'admin@example.com',
        password: 'correct-horse-battery',
        token: tokens[0],
        needs_admin: true,
        update_mapping: false,
      },
      timeoutMs: 120_000,
    },
  );
  expect(installed.status, installed.text).toBe(200);
  await core.tenants.markHandedOver('rep1', tenant.handed);
  await core.tenants.revoke('rep1', tenant.revoked);
  const verified = await core.verify.verify({ fleet: true });
  expect(verified.results.find((r) => r.tenant === tenant.installed)?.status).toBe('installed');
}, 240_000);

afterAll(async () => {
  await deleteTenantArtefacts(esUrl, tenant.installed).catch(() => undefined);
  for (const account of await core.secrets.list('').catch(() => [] as string[]))
    await core.secrets.delete(account).catch(() => undefined);
  await Promise.allSettled([tracardi?.stop(), tms?.stop()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tenantctl tenants report', () => {
  it('streams CSV a real parser reads back: one row per tenant, status, token state, evidence, no secret', async () => {
    const out = await tenantctl(['tenants', 'report', '--format', 'csv']);
    expect(out.code, out.stderr).toBe(0);
    expectNoSecret(out.stdout + out.stderr, 'the CSV report');
    const records = parse(out.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(CSV_HEADERS);
    const byTenant = new Map(records.map((r) => [r.tenant, r]));
    expect(byTenant.size).toBe(4);

    const installed = byTenant.get(tenant.installed)!;
    expect(installed.status).toBe('installed');
    expect(installed.token_state).toBe('spent');
    expect(installed.verified_status).toBe('installed');
    expect(installed.last_verified_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(installed.evidence_install).toBe('installed (HTTP 200)');
    expect(installed.evidence_dns_api).toBe(`ok: ${ADDRESS}`);
    expect(installed.evidence_elasticsearch).toMatch(/^complete: (\d+)\/\1 indices/);
    expect(installed.evidence_summary).not.toBe('');

    expect(byTenant.get(tenant.handed)).toMatchObject({ status: 'handed-over', token_state: 'valid' });
    expect(byTenant.get(tenant.fresh)).toMatchObject({ status: 'registered', token_state: 'valid' });
    expect(byTenant.get(tenant.revoked)).toMatchObject({ status: 'revoked', token_state: 'revoked' });
    for (const r of records) expect(r.instance_id).toBe('rep1');

    // The formula is text to a spreadsheet (leading apostrophe), the comma and quotes survive quoting.
    expect(installed.instance_name).toBe(`'${HOSTILE_NAME}`);
    expect(out.stdout).toContain(`"'=HYPERLINK(""http://evil.test"",""click""), and more"`);
    expect(out.stdout.split('\r\n')[0]).toBe(CSV_HEADERS.join(','));
  });

  it('streams JSON with the full rows and the evidence, no secret', async () => {
    const out = await tenantctl(['tenants', 'report', '--format', 'json']);
    expect(out.code, out.stderr).toBe(0);
    expectNoSecret(out.stdout + out.stderr, 'the JSON report');
    const report = JSON.parse(out.stdout) as { generatedAt: string; tenants: FleetReportRow[] };
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
    expect(report.tenants.map((r) => r.tenant).sort()).toEqual(Object.values(tenant).sort());
    const installed = report.tenants.find((r) => r.tenant === tenant.installed)!;
    expect(installed).toMatchObject({
      instanceId: 'rep1',
      instanceName: HOSTILE_NAME, // JSON keeps the value as it is: no spreadsheet reads it
      environment: 'test',
      status: 'installed',
      tokenState: 'spent',
      verifiedStatus: 'installed',
    });
    expect(installed.evidence?.install).toBe('installed (HTTP 200)');
    expect(report.tenants.find((r) => r.tenant === tenant.fresh)?.evidence?.install).toMatch(/^not-installed/);
  });

  it('writes --output, refuses to overwrite it without --overwrite, and audits each report', async () => {
    const file = path.join(dataDir, 'fleet.csv');
    const first = await tenantctl(['tenants', 'report', '--format', 'csv', '--output', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Fleet report (4 tenants, csv) written to ${file}.`);
    const text = fs.readFileSync(file, 'utf8');
    expectNoSecret(text, 'the report file');
    expect(parse(text, { columns: true })).toHaveLength(4);

    const again = await tenantctl(['tenants', 'report', '--format', 'json', '--output', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    const replaced = await tenantctl(['tenants', 'report', '--format', 'json', '--output', file, '--overwrite']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).tenants).toHaveLength(4);

    const bad = await tenantctl(['tenants', 'report', '--format', 'xlsx']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format: expected csv or json');

    const audit = fs.readFileSync(path.join(dataDir, 'audit.log'), 'utf8');
    expect(audit).toContain('fleet report (csv, 4 tenants)');
    expectNoSecret(audit, 'the audit log');
  });
});

describe("a refusal's remedy in tenantctl's words", () => {
  it('deleting an installed tenant names --force, and --force deletes it', async () => {
    const refused = await tenantctl(['tenants', 'delete', 'rep1', tenant.installed]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^tenantctl: Tenant inst\w+ on rep1 is installed: .* Give --force to delete it anyway\.\n$/,
    );
    const json = await tenantctl(['tenants', 'delete', 'rep1', tenant.installed, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'invalid-state', remedy: 'force-delete-tenant' } });
    const forced = await tenantctl(['tenants', 'delete', 'rep1', tenant.installed, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  });
});
