import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors/errors';
import type { InstanceInput } from '../../../shared/instances/instance';
import { InstanceService } from '../../../main/services/instances';
import { accountFor, InMemorySecretStore, parseAccount } from '../../../main/services/keychain';
import { ConfSettingsStore, type SettingsBackendFactory } from '../../../main/services/settings-store';

const input = (id: string, over: Partial<InstanceInput> = {}): InstanceInput => ({
  id,
  name: `Instance ${id}`,
  environment: 'production',
  apiUrl: `https://api.${id}.example.com`,
  tenantDomainSuffix: `${id}.example.com`,
  tracardiVersion: '0.9.x',
  tmsUrl: `https://tms.${id}.example.com`,
  es: { nodes: [`https://es.${id}.example.com:9200`], auth: { type: 'basic', username: 'elastic' } },
  ...over,
});

let dir: string;
let failWrites: boolean;
let settings: ConfSettingsStore;
let secrets: InMemorySecretStore;
let service: InstanceService;

// A conf backend whose writes can be made to fail, as a full disk would.
const backend: SettingsBackendFactory = (options) => {
  const conf = new Conf<Record<string, unknown>>(options);
  return {
    get store() {
      return conf.store;
    },
    set store(value) {
      if (failWrites) throw new Error('EACCES: permission denied, open config.json.tmp');
      conf.store = value;
    },
  };
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instances-'));
  failWrites = false;
  settings = new ConfSettingsStore({ dataDir: dir, backend });
  secrets = new InMemorySecretStore();
  service = new InstanceService(settings, secrets);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>, code: string): Promise<ConsoleError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).code).toBe(code);
    return err as ConsoleError;
  }
  throw new Error(`expected a ConsoleError ${code}`);
}

function configText(): string {
  return fs.existsSync(settings.path) ? fs.readFileSync(settings.path, 'utf8') : '';
}

describe('account scheme', () => {
  it('names accounts as documented and reads them back', () => {
    expect(accountFor.instanceSecret('prod-eu', 'es-password')).toBe('instance/prod-eu/es-password');
    expect(accountFor.token('prod-eu', 'companyx')).toBe('token/prod-eu/companyx');
    expect(parseAccount('instance/prod-eu/tms-api-key')).toEqual({
      type: 'instance',
      instanceId: 'prod-eu',
      kind: 'tms-api-key',
    });
    expect(parseAccount('token/prod-eu/companyx')).toEqual({
      type: 'token',
      instanceId: 'prod-eu',
      tenant: 'companyx',
    });
    expect(parseAccount('probe/123')).toBeNull();
    expect(() => accountFor.instanceSecret('../x', 'es-password')).toThrow(ConsoleError);
    expect(() => accountFor.token('prod', 'a/b')).toThrow(ConsoleError);
  });
});

describe('add', () => {
  it('stores secrets in the secret store under the scheme and the record (without them) in settings', async () => {
    const added = await service.add(input('prod-eu'), { 'es-password': 'pw-123456', 'tms-api-key': 'tms-key-987' });
    expect(added.secrets).toEqual({ 'es-password': true, 'es-api-key': false, 'tms-api-key': true });
    expect(await secrets.get('instance/prod-eu/es-password')).toBe('pw-123456');
    expect(await secrets.get('instance/prod-eu/tms-api-key')).toBe('tms-key-987');
    expect(settings.read().instances.map((i) => i.id)).toEqual(['prod-eu']);
    const text = configText();
    expect(text).toContain('prod-eu');
    expect(text).not.toContain('pw-123456');
    expect(text).not.toContain('tms-key-987');
    expect(await service.resolveSecrets('prod-eu')).toEqual({
      'es-password': 'pw-123456',
      'tms-api-key': 'tms-key-987',
    });
    expect(await service.secretPresence('prod-eu')).toEqual({
      'es-password': true,
      'es-api-key': false,
      'tms-api-key': true,
    });
  });

  it('refuses invalid input with messages that name the fields', async () => {
    const err = await rejection(
      service.add({ ...input('x'), id: 'Not Valid', apiUrl: 'ftp://api', es: { nodes: [] } }),
      'validation',
    );
    expect(err.message).toContain('the instance id: an instance id is 1-63 lower-case letters, digits or dashes');
    expect(err.message).toContain('the Tracardi API URL: must be an http:// or https:// URL');
    expect(err.message).toContain('the Elasticsearch node URLs: at least one Elasticsearch node URL is required');

    const missing = await rejection(service.add({ id: 'x' }), 'validation');
    expect(missing.message).toMatch(/the display name: is required; the environment: one of: production, /);
    expect(settings.read().instances).toEqual([]);
  });

  it('refuses a duplicate id or (case-insensitive) name with conflict, storing nothing', async () => {
    await service.add(input('prod-eu'), { 'es-password': 'first' });
    const sameId = await rejection(
      service.add(input('prod-eu', { name: 'Other' }), { 'es-password': 'second' }),
      'conflict',
    );
    expect(sameId.message).toMatch(/id "prod-eu" already exists/);
    const sameName = await rejection(
      service.add(input('prod-us', { name: 'INSTANCE prod-eu' }), { 'es-password': 'third' }),
      'conflict',
    );
    expect(sameName.message).toMatch(/named "INSTANCE prod-eu" already exists \(id "prod-eu"\)/);
    expect(await secrets.get('instance/prod-eu/es-password')).toBe('first');
    expect(secrets.accounts()).toEqual(['instance/prod-eu/es-password']);
  });

  it('refuses a secret that does not fit the auth type, and empty secrets', async () => {
    const apiKeyForBasic = await rejection(service.add(input('a'), { 'es-api-key': 'k' }), 'validation');
    expect(apiKeyForBasic.message).toMatch(/es-api-key does not fit Elasticsearch auth "basic"/);
    const passwordForNone = await rejection(
      service.add(input('b', { es: { nodes: ['https://es:9200'] } }), { 'es-password': 'p' }),
      'validation',
    );
    expect(passwordForNone.message).toMatch(/auth "none"/);
    await rejection(service.add(input('c'), { 'es-password': '' }), 'validation');
    expect(secrets.accounts()).toEqual([]);
    expect(settings.read().instances).toEqual([]);
  });

  it('deletes the secrets it stored when the record cannot be written', async () => {
    failWrites = true;
    const err = await rejection(
      service.add(input('prod-eu'), { 'es-password': 'pw', 'tms-api-key': 'tk' }),
      'settings-write-failed',
    );
    expect(err.message).toMatch(/EACCES/);
    expect(secrets.accounts()).toEqual([]);
    expect(settings.read().instances).toEqual([]);
    expect(configText()).toBe('');
  });

  it('deletes the secrets already stored when the keychain fails part-way', async () => {
    secrets.failWith = (op, account) =>
      op === 'set' && account.endsWith('tms-api-key') ? new ConsoleError('keychain-locked', 'locked') : undefined;
    await rejection(service.add(input('prod-eu'), { 'es-password': 'pw', 'tms-api-key': 'tk' }), 'keychain-locked');
    expect(secrets.accounts()).toEqual([]);
    expect(settings.read().instances).toEqual([]);
  });

  it('refuses before touching the keychain when settings are read-only', async () => {
    fs.writeFileSync(settings.path, '{corrupt');
    const readOnly = new InstanceService(new ConfSettingsStore({ dataDir: dir }), secrets);
    const err = await rejection(readOnly.add(input('a'), { 'es-password': 'pw' }), 'settings-read-only');
    expect(err.message).toContain(settings.path);
    expect(secrets.accounts()).toEqual([]);
  });
});

describe('get and list', () => {
  it('get throws not-found naming the known ids', async () => {
    await service.add(input('alpha'));
    await service.add(input('beta'));
    const err = await rejection(service.get('gamma'), 'not-found');
    expect(err.message).toBe('No instance "gamma" (known: alpha, beta).');
  });

  it('list carries a visible warning when TLS verification is off', async () => {
    await service.add(input('safe'));
    await service.add(
      input('risky', {
        es: { nodes: ['http://es.risky:9200'], auth: { type: 'basic', username: 'e' }, tls: { verify: false } },
      }),
    );
    const list = await service.list();
    const safe = list.find((s) => s.instance.id === 'safe')!;
    const risky = list.find((s) => s.instance.id === 'risky')!;
    expect(safe.tlsVerifyOff).toBe(false);
    expect(safe.warnings).toEqual([]);
    expect(risky.tlsVerifyOff).toBe(true);
    expect(risky.warnings.map((w) => w.code)).toEqual(['tls-verify-off', 'es-plaintext-credentials']);
    expect(risky.warnings[0]!.message).toMatch(/TLS certificate verification is OFF for instance "risky"/);
  });
});

describe('update', () => {
  it('changes one nested field, keeps the rest', async () => {
    await service.add(input('a'), { 'es-password': 'pw' });
    const updated = await service.update('a', { es: { tls: { verify: false } } as never });
    expect(updated.instance.es.nodes).toEqual(['https://es.a.example.com:9200']);
    expect(updated.instance.es.auth).toEqual({ type: 'basic', username: 'elastic' });
    expect(updated.tlsVerifyOff).toBe(true);
    expect(updated.secrets?.['es-password']).toBe(true);
    const again = await service.update('a', { footprint: { replicas: 2 } as never });
    expect(again.instance.footprint).toEqual({ indexShards: 3, confShards: 1, replicas: 2 });
    expect(again.tlsVerifyOff).toBe(true);
  });

  it('switching auth to apiKey stores the key and deletes the now unusable password', async () => {
    await service.add(input('a'), { 'es-password': 'pw', 'tms-api-key': 'tk' });
    const updated = await service.update('a', { es: { auth: { type: 'apiKey' } } as never }, { 'es-api-key': 'key' });
    expect(updated.secrets).toEqual({ 'es-password': false, 'es-api-key': true, 'tms-api-key': true });
    expect(secrets.accounts()).toEqual(['instance/a/es-api-key', 'instance/a/tms-api-key']);
  });

  it('puts the previous secret back when the record cannot be written', async () => {
    await service.add(input('a'), { 'es-password': 'old' });
    failWrites = true;
    await rejection(service.update('a', { name: 'Renamed' }, { 'es-password': 'new' }), 'settings-write-failed');
    expect(await secrets.get('instance/a/es-password')).toBe('old');
    expect((await service.get('a')).instance.name).toBe('Instance a');
  });

  it('refuses an id change and a name taken by another instance', async () => {
    await service.add(input('a'));
    await service.add(input('b'));
    await rejection(service.update('a', { id: 'c' }), 'validation');
    await rejection(service.update('a', { name: 'Instance b' }), 'conflict');
  });
});

describe('remove', () => {
  it('deletes every secret of the instance (all kinds and tokens), then the record', async () => {
    await service.add(input('a'), { 'es-password': 'pw', 'tms-api-key': 'tk' });
    await service.add(input('b'), { 'es-password': 'other' });
    // Left over from an earlier auth type, and a token: both belong to the instance.
    await secrets.set('instance/a/es-api-key', 'stale');
    await secrets.set(accountFor.token('a', 'companyx'), 'token');

    // A token this console holds makes removal a forced one (the next test): forced here.
    const result = await service.remove('a', { force: true });
    expect(result.removed).toBe('a');
    expect(result.secretsDeleted).toEqual([
      'instance/a/es-api-key',
      'instance/a/es-password',
      'instance/a/tms-api-key',
      'token/a/companyx',
    ]);
    expect(secrets.accounts()).toEqual(['instance/b/es-password']);
    expect(settings.read().instances.map((i) => i.id)).toEqual(['b']);
    await rejection(service.get('a'), 'not-found');
  });

  it('refuses while this console holds tokens of its tenants or unpublished records, unless forced', async () => {
    await service.add(input('a'), { 'es-password': 'pw' });
    await service.add(input('b'));
    settings.update((d) => {
      d.tenants.push({ instanceId: 'a', tenant: 'companyx' }, { instanceId: 'b', tenant: 'other' });
    });
    await secrets.set(accountFor.token('a', 'companyx'), 'token');

    const err = await rejection(service.remove('a'), 'conflict');
    expect(err.message).toMatch(
      /still has 1 tenant whose token this console holds or whose record it has not published \(companyx\)/,
    );
    expect(err.message).toContain("The team's records stay in the instance's registry");
    expect(err.remedy).toBe('force-remove-instance');
    expect(secrets.accounts()).toContain('instance/a/es-password');

    const forced = await service.remove('a', { force: true });
    expect(forced.tenantsRemoved).toBe(1);
    expect(settings.read().tenants).toEqual([{ instanceId: 'b', tenant: 'other' }]);
    expect(secrets.accounts()).toEqual([]);
  });

  it('keeps the record when the keychain refuses to delete its secrets', async () => {
    await service.add(input('a'), { 'es-password': 'pw' });
    secrets.failWith = (op) => (op === 'delete' ? new ConsoleError('keychain-locked', 'locked') : undefined);
    await rejection(service.remove('a'), 'keychain-locked');
    expect(settings.read().instances.map((i) => i.id)).toEqual(['a']);
  });
});

describe('showing instances while the keychain cannot answer', () => {
  /** The in-memory store, but every call fails as a locked keychain does. */
  function lockable(): { store: InMemorySecretStore; lock: (err: Error) => void } {
    const store = new InMemorySecretStore();
    let failure: Error | null = null;
    for (const op of ['get', 'set', 'delete', 'has', 'list'] as const) {
      const real = store[op].bind(store) as (...args: unknown[]) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[op] = (...args: unknown[]) =>
        failure ? Promise.reject(failure) : real(...args);
    }
    return { store, lock: (err) => void (failure = err) };
  }

  it('lists and shows the instances with their secrets unknown and the reason, still refuses to resolve secrets', async () => {
    const { store, lock } = lockable();
    const svc = new InstanceService(settings, store);
    await svc.add(input('a'), { 'es-password': 'pw' });
    await svc.add(input('b'), {});
    lock(new ConsoleError('keychain-locked', 'The OS keychain is locked (login). Unlock it and try again.'));

    const listed = await svc.listDetails();
    expect(listed.map((v) => [v.instance.id, v.secrets, v.keychainProblem?.code])).toEqual([
      ['a', null, 'keychain-locked'],
      ['b', null, 'keychain-locked'],
    ]);
    expect(listed[0]!.keychainProblem!.message).toMatch(/locked .*Unlock it/);
    const shown = await svc.details('a');
    expect(shown.instance.name).toBe('Instance a');
    expect(shown.secrets).toBeNull();
    expect(shown.keychainProblem?.code).toBe('keychain-locked');
    // Using a secret is still refused: nothing falls back.
    await rejection(svc.resolveSecrets('a'), 'keychain-locked');

    // Unlocked again: the presence comes back.
    lock(null as unknown as Error);
    expect((await svc.details('a')).secrets?.['es-password']).toBe(true);
  });

  it('rethrows what is not a keychain problem', async () => {
    const { store, lock } = lockable();
    const svc = new InstanceService(settings, store);
    await svc.add(input('a'), {});
    lock(new ConsoleError('internal', 'something else broke'));
    await rejection(svc.listDetails(), 'internal');
    await rejection(svc.details('a'), 'internal');
    // A missing instance is still not-found, whatever the keychain says.
    await rejection(svc.details('nope'), 'not-found');
  });
});
