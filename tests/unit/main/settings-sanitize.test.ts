/**
 * A config.json holding passwords in URLs (written by an older console or by hand) loads, is written
 * back without them (the file, its last-good copy and any kept copy), and hands them to the caller
 * with a keychain, which moves them (main/services/instances/url-credentials.ts). The same with the
 * real keychain and the CLI: tests/integration/cli-security.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors/errors';
import { adoptUrlCredentials, InstanceService } from '../../../main/services/instances';
import { AuditLog } from '../../../main/services/audit-log';
import { accountFor, InMemorySecretStore } from '../../../main/services/keychain';
import { ConfSettingsStore, redactUserinfo } from '../../../main/services/settings-store';

let dir: string;
const PW = { api: 'api-Secr3t!', tms: 'tms-p@ss', es: 'es:pa ss/word' };

function legacy(id: string) {
  return {
    id,
    name: `Legacy ${id}`,
    environment: 'staging',
    apiUrl: `https://admin:${encodeURIComponent(PW.api)}@api.${id}.example.com`,
    tenantDomainSuffix: `${id}.example.com`,
    tracardiVersion: '0.9.x',
    tmsUrl: `https://tms:${encodeURIComponent(PW.tms)}@tms.${id}.example.com`,
    es: { nodes: [`https://elastic:${encodeURIComponent(PW.es)}@es.${id}.example.com:9200`] },
  };
}

function everyFile(): string {
  return fs
    .readdirSync(dir)
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

function expectNoSecret(text: string): void {
  for (const pw of Object.values(PW)) {
    expect(text).not.toContain(pw);
    expect(text).not.toContain(encodeURIComponent(pw));
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-sanitize-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings with passwords in URLs', () => {
  it('load, are written back without them (file and last-good), and hand the credentials over once', () => {
    const text = JSON.stringify({ schemaVersion: 1, instances: [legacy('leg1')] });
    fs.writeFileSync(path.join(dir, 'config.json'), text);
    fs.writeFileSync(path.join(dir, 'config.json.last-good'), text);
    const store = new ConfSettingsStore({ dataDir: dir });
    expect(store.status().readOnly).toBe(false);
    const [instance] = store.read().instances;
    expect(instance?.apiUrl).toBe('https://api.leg1.example.com');
    expect(instance?.tmsUrl).toBe('https://tms.leg1.example.com');
    expect(instance?.es.nodes).toEqual(['https://es.leg1.example.com:9200']);
    expectNoSecret(everyFile());
    const found = store.takeUrlCredentials();
    expect(found.map((c) => [c.field, c.username, c.password])).toEqual([
      ['apiUrl', 'admin', PW.api],
      ['tmsUrl', 'tms', PW.tms],
      ['es.nodes', 'elastic', PW.es],
    ]);
    expect(store.takeUrlCredentials()).toEqual([]);
  });

  it('an unversioned file is migrated and its backup copy is kept without the passwords', () => {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ instances: [legacy('leg0')] }));
    const store = new ConfSettingsStore({ dataDir: dir });
    expect(store.status().keptFiles).toHaveLength(1);
    expect(fs.readFileSync(store.status().keptFiles[0]!, 'utf8')).toContain('https://es.leg0.example.com:9200');
    expectNoSecret(everyFile());
    expect(store.takeUrlCredentials()).toHaveLength(3);
  });

  it('another writer putting a password in a URL later is stripped on the next read', () => {
    const store = new ConfSettingsStore({ dataDir: dir });
    expect(store.read().instances).toEqual([]);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, instances: [legacy('w1')] }));
    expect(store.read().instances[0]?.apiUrl).toBe('https://api.w1.example.com');
    expectNoSecret(everyFile());
    expect(store.takeUrlCredentials()).toHaveLength(3);
  });

  it('control characters another writer put in a name are kept visible but harmless', () => {
    const inst = { ...legacy('c1'), name: 'Evil\x1b[31m\nname', apiUrl: 'https://api.c1.example.com' };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, instances: [inst] }));
    const store = new ConfSettingsStore({ dataDir: dir });
    expect(store.read().instances[0]?.name).toBe('Evil\\x1b[31m\\nname');
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain('\\u001b');
  });

  it('redacts userinfo in raw text without touching the rest', () => {
    expect(redactUserinfo('{"a":"https://u:p@ss@h.example.com/x","b":"mailto:x@y","c":"http://h/?q=a@b"}')).toBe(
      '{"a":"https://h.example.com/x","b":"mailto:x@y","c":"http://h/?q=a@b"}',
    );
  });
});

describe('moving URL credentials to the keychain', () => {
  it('ES node credentials become basic auth with the password in the keychain; API/TMS ones are dropped; audited without secrets', async () => {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, instances: [legacy('m1')] }));
    const settings = new ConfSettingsStore({ dataDir: dir });
    const secrets = new InMemorySecretStore();
    const audit = new AuditLog({ dataDir: dir });
    const lines = await adoptUrlCredentials({ settings, secrets, audit }, settings.takeUrlCredentials());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/moved the Elasticsearch user "elastic" .* OS keychain/);
    expect(lines[0]).toMatch(/dropped the credentials of the Tracardi API URL https:\/\/api.m1.example.com/);
    expect(await secrets.get(accountFor.instanceSecret('m1', 'es-password'))).toBe(PW.es);
    expect(await secrets.get(accountFor.instanceSecret('m1', 'tms-api-key'))).toBeNull();
    expect(settings.read().instances[0]?.es.auth).toEqual({ type: 'basic', username: 'elastic' });
    const [entry] = await audit.list({ action: 'migrate-secret' });
    expect(entry).toMatchObject({ instanceId: 'm1', outcome: 'ok' });
    expectNoSecret(everyFile() + lines.join('\n'));
  });

  it('without a keychain: basic auth with the user, no password anywhere, and the instance asks for it', async () => {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, instances: [legacy('m2')] }));
    const settings = new ConfSettingsStore({ dataDir: dir });
    const broken = new InMemorySecretStore();
    broken.set = async () => {
      throw new ConsoleError('keychain-unavailable', 'No keychain.');
    };
    const audit = new AuditLog({ dataDir: dir });
    const lines = await adoptUrlCredentials({ settings, secrets: broken, audit }, settings.takeUrlCredentials());
    expect(lines[0]).toMatch(/could not go to the keychain \(keychain-unavailable\) and was dropped: enter it again/);
    const service = new InstanceService(settings, new InMemorySecretStore());
    const details = await service.details('m2');
    expect(details.warnings.map((w) => w.code)).toContain('es-secret-missing');
    expect((await audit.list({ action: 'migrate-secret' }))[0]?.outcome).toBe('failed');
    expectNoSecret(everyFile() + lines.join('\n'));
  });

  it('an instance with an API key keeps it; several ES users: the first is kept, the others dropped', async () => {
    const apiKeyed = { ...legacy('k1'), es: { ...legacy('k1').es, auth: { type: 'apiKey' } } };
    const two = {
      ...legacy('k2'),
      es: { nodes: ['https://one:pw1-secret@es1.k2.example.com', 'https://two:pw2-secret@es2.k2.example.com'] },
    };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, instances: [apiKeyed, two] }));
    const settings = new ConfSettingsStore({ dataDir: dir });
    const secrets = new InMemorySecretStore();
    const audit = new AuditLog({ dataDir: dir });
    const lines = await adoptUrlCredentials({ settings, secrets, audit }, settings.takeUrlCredentials());
    expect(lines[0]).toMatch(
      /dropped the user and password of the Elasticsearch node .* \(the instance uses an API key\)/,
    );
    expect(settings.read().instances[0]?.es.auth).toEqual({ type: 'apiKey' });
    expect(await secrets.get(accountFor.instanceSecret('k1', 'es-password'))).toBeNull();
    expect(lines[1]).toMatch(
      /dropped the credentials of the Elasticsearch node URL https:\/\/es2.k2.example.com \(one user per instance\)/,
    );
    expect(settings.read().instances[1]?.es.auth).toEqual({ type: 'basic', username: 'one' });
    expect(await secrets.get(accountFor.instanceSecret('k2', 'es-password'))).toBe('pw1-secret');
    expect(everyFile() + lines.join('\n')).not.toMatch(/pw[12]-secret/);
  });

  it('the instance service refuses a URL with userinfo on add (the contract and import go through it)', async () => {
    const settings = new ConfSettingsStore({ dataDir: dir });
    const service = new InstanceService(settings, new InMemorySecretStore());
    const input = { ...legacy('a1'), apiUrl: 'https://api.a1.example.com', tmsUrl: 'https://tms.a1.example.com' };
    await expect(service.add(input)).rejects.toThrow(
      /the Elasticsearch node URLs: an Elasticsearch node URL must not carry/,
    );
    expectNoSecret(everyFile());
  });
});
