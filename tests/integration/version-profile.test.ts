// An instance registered with another version profile than the Tracardi it runs (a 0.9 registered as
// 0.8.x, a 0.8.2 registered as 0.9.x): `tenantctl instances test` fails naming both versions and the
// fix, a create is refused until the profile is set to the reported one, the preview says so first.
// Real Elasticsearch, the simulator (0.9 reports 0.9.0-rc5 like the real 0.9.0-dev), the compiled CLI
// and the real keychain. Run inside a keychain session:
//   bash scripts/with-keychain.sh npx vitest run tests/integration/version-profile.test.ts
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConsoleError } from '../../shared/errors/errors';
import { createCore, type Core } from '../../main/core';
import { KeytarSecretStore } from '../../main/services/keychain';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../simulator';
import { runTenantctl } from '../support/tenantctl';
import { cleanupTenant } from '../support/verify-fixtures';

const serviceName = `tracardi-tenant-console-version-${process.pid}-${randomBytes(4).toString('hex')}`;
const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
const SUFFIX = 'vp9.test';
const TENANT = `vpshop${Array.from(randomBytes(5), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;

describe('the version profile against the version an instance reports', { timeout: 300_000 }, () => {
  let dataDir: string;
  let esUrl: string;
  let core: Core;
  let tms: TmsSimulator;
  let sim9: TracardiSimulator;
  let sim8: TracardiSimulator;
  const tenantctl = (args: string[]) => runTenantctl(dataDir, serviceName, args);

  beforeAll(async () => {
    const urls = inject('esUrls');
    esUrl = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'version-profile-'));
    tms = await startTms({ apiKey: API_KEY });
    sim9 = await startTracardi({ version: '0.9.x', esUrl, tmsUrl: tms.url, tmsApiKey: API_KEY });
    sim8 = await startTracardi({ version: '0.8.x', esUrl, multiTenant: false });
    core = await createCore({
      dataDir,
      env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
      shell: 'test',
    });
    await core.instances.add(
      {
        id: 'vp9as8',
        name: 'A 0.9 registered as 0.8.x',
        environment: 'test',
        apiUrl: sim9.url,
        guiUrlPattern: `https://{label}-gui.${SUFFIX}`,
        tenantDomainSuffix: SUFFIX,
        tracardiVersion: '0.8.x',
        tmsUrl: tms.url,
        es: { nodes: [esUrl] },
      },
      { 'tms-api-key': API_KEY },
    );
    await core.instances.add({
      id: 'vp8as9',
      name: 'A 0.8.2 registered as 0.9.x',
      environment: 'test',
      apiUrl: sim8.url,
      guiUrlPattern: 'https://{label}-gui.{suffix}',
      tenantDomainSuffix: 'vp8.test',
      tracardiVersion: '0.9.x',
      tenancy: 'single-tenant',
      es: { nodes: [esUrl] },
    });
  });

  afterAll(async () => {
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('')) await keychain.delete(a);
    await Promise.allSettled([sim9?.stop(), sim8?.stop(), tms?.stop()]);
    if (esUrl) await cleanupTenant(esUrl, TENANT);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('tenantctl instances test: exit 1, the version it reports, the profile it is registered with, the fix', async () => {
    const nine = await tenantctl(['instances', 'test', 'vp9as8']);
    expect(nine.code, nine.stderr).toBe(1);
    expect(nine.stdout).toMatch(
      /^tracardi\s+FAILED\s+Tracardi 0\.9\.0-rc5, multi-tenant, db 09x: the 0\.9\.x profile, but registered as 0\.8\.x$/m,
    );
    expect(nine.stdout).toContain(
      'Version profile: registered as 0.8.x, but the instance reports a 0.9.x version; set it with: tenantctl instances update vp9as8 --version 0.9.x',
    );
    const json = JSON.parse((await tenantctl(['instances', 'test', 'vp9as8', '--json'])).stdout) as {
      target: string;
      ok: boolean;
      versionProfile?: string;
    }[];
    expect(json[0]).toMatchObject({ target: 'tracardi', ok: false, versionProfile: '0.9.x' });

    const eight = await tenantctl(['instances', 'test', 'vp8as9']);
    expect(eight.code, eight.stderr).toBe(1);
    expect(eight.stdout).toMatch(
      /^tracardi\s+FAILED\s+Tracardi 0\.8\.2, single-tenant \(tenant ffe49\), db 0820: the 0\.8\.x profile, but registered as 0\.9\.x$/m,
    );
    expect(eight.stdout).toContain('tenantctl instances update vp8as9 --version 0.8.x');

    // The UI's call: the same comparison, from the saved instance.
    expect(await core.versions.check((await core.instances.get('vp8as9')).instance)).toMatchObject({
      outcome: 'mismatch',
      registered: '0.9.x',
      reported: { version: '0.8.2', dbVersion: '0820', profile: '0.8.x' },
    });
  });

  it('a create is refused until the profile is the reported one; the preview says so first', async () => {
    const domain = `${TENANT}.${SUFFIX}`;
    const preview = await core.tenants.preview({ instanceId: 'vp9as8', domain });
    expect(preview.version).toEqual({
      outcome: 'mismatch',
      message:
        'Instance vp9as8 reports Tracardi 0.9.0-rc5 (db_version 09x), the 0.9.x profile, but is registered as 0.8.x: no tenant is created on it until its version profile is 0.9.x.',
    });

    const refused = await tenantctl(['tenants', 'create', 'vp9as8', domain, '--email', 'ops@vp9.test']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Instance vp9as8 reports Tracardi 0.9.0-rc5 (db_version 09x)');
    // tenantctl fills in the instance of its remedy's command (a command to copy as is).
    expect(refused.stderr).toContain(
      'Set the version it reports: "tenantctl instances update vp9as8 --version <profile>"',
    );
    const viaCore = (await core.tenants
      .create({ instanceId: 'vp9as8', domain, email: 'ops@vp9.test', tokenLifetimeDays: 7 })
      .then(
        () => null,
        (e: unknown) => e,
      )) as ConsoleError | null;
    expect(viaCore).toMatchObject({ code: 'version-mismatch', remedy: 'set-version-profile', instanceId: 'vp9as8' });
    // Nothing was made: no record, no TMS entry, no token.
    expect(await core.tenants.list({ instanceId: 'vp9as8' })).toEqual([]);
    expect(tms.tenants().has(TENANT)).toBe(false);
    expect(await new KeytarSecretStore(serviceName).list('token/')).toEqual([]);

    // The one-step fix, then everything agrees.
    const fixed = await tenantctl(['instances', 'update', 'vp9as8', '--version', '0.9.x']);
    expect(fixed.code, fixed.stderr).toBe(0);
    const again = await tenantctl(['instances', 'test', 'vp9as8']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).not.toContain('Version profile:');
    const fresh = await createCore({
      dataDir,
      env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
      shell: 'test',
    });
    expect((await fresh.tenants.preview({ instanceId: 'vp9as8', domain })).version?.outcome).toBe('match');
    const created = await tenantctl(['tenants', 'create', 'vp9as8', domain, '--email', 'ops@vp9.test']);
    expect(created.code, created.stderr).toBe(0);
    expect(tms.tenants().has(TENANT)).toBe(true);
  });
});
