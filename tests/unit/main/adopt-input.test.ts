// What an operator types into adopt, create and an instance, against the rules every shell shares
// (shared/text/input-rules.ts, shared/text/web-address.ts): the service itself refuses, so the CLI, the
// browser shell and the window all do. Real settings file and audit log in a temp folder, the
// in-memory secret store, a discovery that finds the tenant (the refusals come before it is asked).
import { memoryTeam } from '../../support/memory-registry';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FoundTenant } from '../../../shared/tenants/adoption';
import { ConsoleError } from '../../../shared/errors/errors';
import { createCore } from '../../../main/core';
import { createHandlers } from '../../../main/handlers';
import { AuditLog } from '../../../main/services/audit-log';
import { InstanceService } from '../../../main/services/instances';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { ConfSettingsStore } from '../../../main/services/settings-store';
import { createTmsClientFactory } from '../../../main/services/tms-client';
import { TenantService } from '../../../main/services/tenants';

let dir: string;
let secrets: InMemorySecretStore;
let instances: InstanceService;
let service: TenantService;
let discovered: number;

const found = (tenant: string): FoundTenant => ({
  instanceId: 'solo',
  tenant,
  footprints: [],
  verification: null,
  tms: { outcome: 'no-tms' },
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-input-'));
  const settings = new ConfSettingsStore({ dataDir: dir });
  secrets = new InMemorySecretStore();
  instances = new InstanceService(settings, secrets);
  await instances.add({
    id: 'solo',
    name: 'Single-tenant 0.8.2',
    environment: 'test',
    apiUrl: 'http://10.0.0.5:8686',
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: 'solo.example.com',
    tracardiVersion: '0.8.x',
    tenancy: 'single-tenant',
    singleTenantName: 'shop',
    es: { nodes: ['http://127.0.0.1:1'] },
  });
  await instances.add({
    id: 'multi',
    name: 'Multi-tenant 0.9',
    environment: 'test',
    apiUrl: 'https://api.multi.example.com',
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: 'multi.example.com',
    tracardiVersion: '0.9.x',
    // Nothing answers here: every refusal below comes before the TMS is asked.
    tmsUrl: 'http://127.0.0.1:1',
    es: { nodes: ['http://127.0.0.1:1'] },
  });
  discovered = 0;
  const team = memoryTeam(dir, instances);
  service = new TenantService({
    registry: team.registry,
    stamp: team.operator,
    keychainId: team.keychainId,
    settings,
    secrets,
    instances,
    capacity: { snapshot: async () => ({ ok: false, instanceId: 'x', error: { code: 'internal', message: 'no' } }) },
    tms: createTmsClientFactory({ instances, timeoutMs: 500 }),
    audit: new AuditLog({ dataDir: dir }),
    discovery: {
      discoverTenant: async (_instance, tenant) => {
        discovered++;
        return found(tenant);
      },
    },
  });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The data folder's files and the keychain, to show a refusal wrote nothing (a create audits its refusal). */
async function written(): Promise<string> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.lock') && f !== 'audit.log')
    .sort()
    .map((f) => `${f}:${fs.statSync(path.join(dir, f)).isFile() ? fs.readFileSync(path.join(dir, f), 'utf8') : ''}`);
  return JSON.stringify({ files, tokens: await secrets.list('') });
}

async function refused(attempt: Promise<unknown>): Promise<ConsoleError> {
  const before = await written();
  const err = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(ConsoleError);
  expect((err as ConsoleError).code, (err as Error).message).toBe('validation');
  expect(await written()).toBe(before);
  return err as ConsoleError;
}

const adopt = (over: Record<string, string>) => service.adopt({ instanceId: 'solo', tenant: 'shop', ...over });

describe('adopt on a single-tenant instance: the API and GUI domains', () => {
  it('refuses a scheme other than http(s), naming it, where the old fallback took any URL', async () => {
    for (const domain of ['file:///etc/passwd', 'javascript://x.example/%0aalert(1)', 'ftp://shop.example.com']) {
      const err = await refused(adopt({ domain }));
      expect(err.message).toMatch(/^The API domain starts with "(file|javascript|ftp):": give a host name/);
    }
    const gui = await refused(adopt({ guiDomain: 'javascript://x.example/' }));
    expect(gui.message).toMatch(/^The GUI domain starts with "javascript:"/);
    expect(discovered).toBe(0);
  });

  it('refuses what is no host with a validation message, not "Invalid URL"', async () => {
    expect((await refused(adopt({ domain: 'exa mple' }))).message).toBe(
      'The API domain: host "exa mple" contains a space or control character; a domain has no spaces.',
    );
    expect((await refused(adopt({ domain: 'http://[::1' }))).message).toMatch(
      /^The API domain: host "\[" is not a valid domain or IPv6 address/,
    );
    expect((await refused(adopt({ domain: 'user:secret-pw@shop.example.com' }))).message).not.toContain('secret-pw');
  });

  it('refuses a label over 63 or a name over 253 characters, in the API and the GUI domain', async () => {
    const label = (n: number) => 'a'.repeat(n);
    expect((await refused(adopt({ domain: `${label(64)}.example.com` }))).message).toMatch(
      /label of 64 characters; DNS allows at most 63/,
    );
    // 10 KB from the CLI, 290 characters from the browser shell (the contract stops at 300).
    for (const n of [10_240, 290]) {
      expect((await refused(adopt({ guiDomain: `${label(n)}.example.com` }))).message).toMatch(
        new RegExp(`^The GUI domain: host ".*" has a label of ${n} characters; DNS allows at most 63`),
      );
    }
    const long = Array.from({ length: 5 }, () => label(60)).join('.');
    expect((await refused(adopt({ domain: long }))).message).toMatch(/is 304 characters long; DNS allows at most 253/);
  });

  it('takes an address with its port, a two-label host and the instance default', async () => {
    const record = await adopt({ domain: 'http://10.0.0.6:8686', guiDomain: 'gui.solo.example.com' });
    expect(record).toMatchObject({
      apiDomain: '10.0.0.6',
      apiUrl: 'http://10.0.0.6:8686',
      guiDomain: 'gui.solo.example.com',
      guiUrl: 'https://gui.solo.example.com',
    });
    await service.delete({ instanceId: 'solo', tenant: 'shop', force: true });
    expect(await adopt({ domain: 'example.com' })).toMatchObject({
      apiDomain: 'example.com',
      apiUrl: 'http://example.com',
    });
    await service.delete({ instanceId: 'solo', tenant: 'shop', force: true });
    expect(await adopt({})).toMatchObject({
      apiDomain: '10.0.0.5',
      apiUrl: 'http://10.0.0.5:8686',
      guiDomain: 'shop-gui.solo.example.com',
    });
  });
});

describe('adopt: the contact e-mail and the token', () => {
  it('refuses an e-mail over 254 characters (RFC 5321), or 64 before the @', async () => {
    const long = `${'a'.repeat(60)}@${Array.from({ length: 4 }, () => 'b'.repeat(60)).join('.')}.com`;
    expect((await refused(adopt({ email: long }))).message).toBe(
      `The contact e-mail is ${long.length} characters long; an e-mail address has at most 254 (RFC 5321).`,
    );
    expect((await refused(adopt({ email: `${'a'.repeat(10_240)}@example.com` }))).message).toMatch(
      /is 10252 characters long/,
    );
    expect((await refused(adopt({ email: `${'a'.repeat(65)}@example.com` }))).message).toMatch(
      /65 characters before the @; an e-mail address has at most 64/,
    );
  });

  it('refuses a token over 500 characters (the contract and the CLI stdin share the rule)', async () => {
    const err = await refused(adopt({ token: 't'.repeat(2 * 1024 * 1024) }));
    expect(err.message).toBe('The installation token is 2097152 characters long; a token has at most 500.');
    expect(err.message).not.toContain('tttt');
    expect((await adopt({ token: 't'.repeat(500) })).adopted?.token).toBe('supplied');
  });
});

describe('create: the same rules', () => {
  const create = (over: Record<string, unknown>) =>
    service.create({
      instanceId: 'multi',
      domain: 'shop',
      email: 'ops@example.com',
      tokenLifetimeDays: 30,
      ...over,
    });

  it('refuses a 10 KB e-mail, a GUI label over 63 and an override reason over 500', async () => {
    expect((await refused(create({ email: `${'a'.repeat(10_240)}@example.com` }))).message).toMatch(
      /^The contact e-mail is 10252 characters long; an e-mail address has at most 254/,
    );
    expect((await refused(create({ guiDomain: `${'g'.repeat(290)}.multi.example.com` }))).message).toMatch(
      /^The GUI domain: host ".*" has a label of 290 characters; DNS allows at most 63/,
    );
    expect((await refused(create({ capacityOverrideReason: 'r'.repeat(501) }))).message).toMatch(
      /override reason is 501 characters long; write at most 500/,
    );
  });
});

describe('instances: hosts and free text an operator adds', () => {
  const base = {
    id: 'more',
    name: 'More',
    environment: 'test',
    apiUrl: 'https://api.more.example.com',
    tenantDomainSuffix: 'more.example.com',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.more.example.com',
    es: { nodes: ['https://es.more.example.com:9200'] },
  };
  const addRefused = async (over: Record<string, unknown>) => {
    const before = await written();
    const err = await instances.add({ ...base, ...over }).then(
      () => null,
      (e: unknown) => e as ConsoleError,
    );
    expect(err?.code).toBe('validation');
    expect(await written()).toBe(before);
    return err!.message;
  };

  it('refuses a suffix, a reference host or a URL host beyond DNS lengths, and a non-http GUI pattern', async () => {
    expect(await addRefused({ tenantDomainSuffix: `${'s'.repeat(10_240)}.example.com` })).toMatch(
      /tenant domain suffix ".*" has a label of 10240 characters/,
    );
    expect(await addRefused({ referenceHost: `${'r'.repeat(64)}.example.com` })).toMatch(
      /reference host ".*" has a label of 64 characters/,
    );
    expect(await addRefused({ apiUrl: `https://${'u'.repeat(70)}.example.com` })).toMatch(
      /host of the Tracardi API URL ".*" has a label of 70 characters/,
    );
    expect(await addRefused({ guiUrlPattern: 'javascript://{label}.x/%0aalert(1)' })).toMatch(
      /GUI URL pattern .* does not give an http:\/\/ or https:\/\/ URL/,
    );
    expect(await addRefused({ expectedAddresses: ['x'.repeat(100)] })).toMatch(/longer than 64 characters/);
    expect(await addRefused({ name: 'n'.repeat(81) })).toMatch(/name/);
  });

  it('refuses a secret over 4096 characters', async () => {
    const err = await instances.add(base, { 'tms-api-key': 'k'.repeat(5000) }).then(
      () => null,
      (e: unknown) => e as ConsoleError,
    );
    expect(err?.message).toBe('The tms-api-key is 5000 characters long; a secret has at most 4096.');
    expect(await secrets.list('')).toEqual([]);
  });

  it('the connection check of a form refuses the same values before connecting', async () => {
    const core = await createCore({ dataDir: dir, secrets, shell: 'test' });
    const err = await createHandlers(core)
      ['instances.testConnection']({
        // As the form sends it; the contract's defaults are the handler's to fill.
        instance: { ...base, tenantDomainSuffix: `${'s'.repeat(100)}.example.com` } as never,
        secrets: {},
      })
      .then(
        () => null,
        (e: unknown) => e as ConsoleError,
      );
    expect(err?.code).toBe('validation');
    expect(err?.message).toMatch(/^Invalid instance: The tenant domain suffix ".*" has a label of 100 characters/);
  });
});
