/**
 * The REAL OS keychain (gnome-keyring over D-Bus, through keytar). Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/keychain.test.ts
 * Each run uses its own keychain service name. The locked and missing keychain cases run in child
 * processes (a private nested D-Bus session for "locked"), so the shared session is never locked.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors/errors';
import type { InstanceInput } from '../../shared/instances/instance';
import { InstanceService } from '../../main/services/instances';
import { classifyKeychainError, KeytarSecretStore, type KeytarApi } from '../../main/services/keychain';
import { ConfSettingsStore } from '../../main/services/settings-store';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'bin/tenantctl.mjs');
// Every CLI run is a new Node process; on a loaded 2-core machine one run can take seconds.
const SLOW_TEST_MS = 300_000;
const serviceName = `tracardi-tenant-console-test-${process.pid}-${randomBytes(4).toString('hex')}`;

const input = (id: string): InstanceInput => ({
  id,
  name: `Keychain ${id}`,
  environment: 'test',
  apiUrl: `https://api.${id}.example.com`,
  tenantDomainSuffix: `${id}.example.com`,
  tracardiVersion: '0.9.x',
  tmsUrl: `https://tms.${id}.example.com`,
  es: { nodes: [`https://es.${id}.example.com:9200`], auth: { type: 'basic', username: 'elastic' } },
});

/** Add-instance flags for the CLI (the password comes on stdin). */
const addArgs = (dataDir: string, id: string) => [
  '--data-dir',
  dataDir,
  'instances',
  'add',
  '--id',
  id,
  '--name',
  `CLI ${id}`,
  '--env',
  'test',
  '--api-url',
  `https://api.${id}.example.com`,
  '--suffix',
  `${id}.example.com`,
  '--version',
  '0.9.x',
  '--tms-url',
  `https://tms.${id}.example.com`,
  '--es-node',
  `https://es.${id}.example.com:9200`,
  '--es-user',
  'elastic',
  '--es-password-stdin',
];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repo, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Every file under `dir`, as bytes. */
function allFiles(dir: string): { file: string; bytes: Buffer }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

function expectNoSecretOnDisk(dir: string, secrets: string[]): void {
  const files = allFiles(dir);
  for (const { file, bytes } of files) {
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret, 'utf8')), `${secret.slice(0, 4)}… found in ${file}`).toBe(false);
    }
  }
}

/** Lines of stderr that are not warnings. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('warning: '));
}

let dataDir: string;

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error('No D-Bus session: run the keychain tests through scripts/with-keychain.sh.');
  }
  // The session's Secret Service must work before anything below means something.
  await keytar.setPassword(serviceName, 'check', 'check');
  await keytar.deletePassword(serviceName, 'check');
});

afterAll(async () => {
  // Leave nothing behind in the session keyring, whatever failed.
  for (const c of await keytar.findCredentials(serviceName)) await keytar.deletePassword(serviceName, c.account);
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keychain-it-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets in the real keychain through InstanceService', { timeout: SLOW_TEST_MS }, () => {
  it('stores, reads and removes an instance secrets; the settings file never holds them', async () => {
    const password = `es-pw-${randomBytes(12).toString('hex')}`;
    const tmsKey = `tms-key-${randomBytes(12).toString('hex')}`;
    const settings = new ConfSettingsStore({ dataDir });
    const service = new InstanceService(settings, new KeytarSecretStore(serviceName));

    const added = await service.add(input('kc-one'), { 'es-password': password, 'tms-api-key': tmsKey });
    expect(added.secrets).toEqual({ 'es-password': true, 'es-api-key': false, 'tms-api-key': true });

    // In the keychain under the documented scheme, as seen by keytar itself.
    expect(await keytar.getPassword(serviceName, 'instance/kc-one/es-password')).toBe(password);
    expect(await keytar.getPassword(serviceName, 'instance/kc-one/tms-api-key')).toBe(tmsKey);
    expect(await service.resolveSecrets('kc-one')).toEqual({ 'es-password': password, 'tms-api-key': tmsKey });
    expect(await service.secretPresence('kc-one')).toEqual({
      'es-password': true,
      'es-api-key': false,
      'tms-api-key': true,
    });

    // The record is on disk, the secrets are not (config.json, last-good, anything in the folder).
    expect(fs.readFileSync(settings.path, 'utf8')).toContain('"kc-one"');
    expectNoSecretOnDisk(dataDir, [password, tmsKey]);

    // Replace one.
    const newPassword = `es-pw-2-${randomBytes(12).toString('hex')}`;
    await service.update('kc-one', {}, { 'es-password': newPassword });
    expect(await keytar.getPassword(serviceName, 'instance/kc-one/es-password')).toBe(newPassword);
    expectNoSecretOnDisk(dataDir, [password, tmsKey, newPassword]);

    const removed = await service.remove('kc-one');
    expect(removed.secretsDeleted).toEqual(['instance/kc-one/es-password', 'instance/kc-one/tms-api-key']);
    const left = (await keytar.findCredentials(serviceName)).map((c) => c.account);
    expect(left.filter((a) => a.includes('kc-one'))).toEqual([]);
    expect(settings.read().instances).toEqual([]);
  });

  it('an absent secret reads as null (the lock probe leaves nothing behind)', async () => {
    const store = new KeytarSecretStore(serviceName);
    expect(await store.get('instance/kc-absent/es-password')).toBeNull();
    expect(await store.delete('instance/kc-absent/es-password')).toBe(false);
    expect(await store.list('instance/kc-absent/')).toEqual([]);
    expect((await keytar.findCredentials(serviceName)).filter((c) => c.account.startsWith('probe/'))).toEqual([]);
  });

  it('listing instances reads only their own accounts: no tenant token is decrypted, nothing enumerated', async () => {
    // The real keytar, counted: findCredentials decrypts every secret of the service.
    const calls: string[] = [];
    const counted: KeytarApi = {
      getPassword: (s, a) => (calls.push(`get ${a}`), keytar.getPassword(s, a)),
      setPassword: (s, a, p) => (calls.push(`set ${a}`), keytar.setPassword(s, a, p)),
      deletePassword: (s, a) => (calls.push(`delete ${a}`), keytar.deletePassword(s, a)),
      findCredentials: (s) => (calls.push('findCredentials'), keytar.findCredentials(s)),
    };
    const store = new KeytarSecretStore(serviceName, { loadKeytar: async () => counted });
    const service = new InstanceService(new ConfSettingsStore({ dataDir }), store);
    await service.add(input('kc-index'), { 'es-password': 'pw-index' });
    // Tokens of 50 tenants in the same service: none of them may be read to list the instance.
    for (let i = 0; i < 50; i++) await keytar.setPassword(serviceName, `token/kc-index/tenant${i}`, `tok-${i}`);
    try {
      calls.length = 0;
      const [details] = await service.listDetails();
      expect(details!.secrets).toEqual({ 'es-password': true, 'es-api-key': false, 'tms-api-key': false });
      expect(await service.secretPresence('kc-index')).toEqual(details!.secrets);
      expect(calls).not.toContain('findCredentials');
      expect(calls.filter((c) => c.startsWith('get ')).every((c) => c.startsWith('get instance/kc-index/'))).toBe(true);
      // Absent accounts were told from a locked keychain by the throw-away probe, in its own service.
      expect(calls.filter((c) => c.startsWith('set ')).every((c) => c.startsWith('set probe/'))).toBe(true);
    } finally {
      for (let i = 0; i < 50; i++) await keytar.deletePassword(serviceName, `token/kc-index/tenant${i}`);
      await service.remove('kc-index');
    }
  });

  it('the CLI stores a password read from stdin in the keychain, never on disk', async () => {
    const password = `cli-pw-${randomBytes(12).toString('hex')}`;
    const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };
    const added = await run(process.execPath, [cli, ...addArgs(dataDir, 'kc-cli')], { env, input: `${password}\n` });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(await keytar.getPassword(serviceName, 'instance/kc-cli/es-password')).toBe(password);
    expect(added.stdout).not.toContain(password);
    expectNoSecretOnDisk(dataDir, [password]);

    const removed = await run(process.execPath, [cli, '--data-dir', dataDir, 'instances', 'remove', 'kc-cli'], { env });
    expect(removed.code).toBe(0);
    expect(await keytar.getPassword(serviceName, 'instance/kc-cli/es-password')).toBeNull();
  });
});

describe('no keychain', { timeout: SLOW_TEST_MS }, () => {
  // A D-Bus address that leads nowhere, and none at all (libsecret then tries X11 autolaunch).
  const variants: [string, NodeJS.ProcessEnv, RegExp][] = [
    [
      'a dead D-Bus address',
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tenant-console-bus' },
      /Could not connect/,
    ],
    ['no D-Bus session at all', {}, /Cannot autolaunch D-Bus/],
  ];

  for (const [label, extra, detail] of variants) {
    it(`instances add with a password fails with keychain-unavailable and writes nothing (${label})`, async () => {
      const password = `never-${randomBytes(12).toString('hex')}`;
      const env: NodeJS.ProcessEnv = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName, ...extra };
      delete env.DISPLAY;
      if (!('DBUS_SESSION_BUS_ADDRESS' in extra)) delete env.DBUS_SESSION_BUS_ADDRESS;

      const result = await run(process.execPath, [cli, ...addArgs(dataDir, 'kc-nobus')], {
        env,
        input: `${password}\n`,
      });
      expect(result.code).toBe(1);
      const lines = errorLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tenantctl: The OS keychain is not available \(/);
      expect(lines[0]).toMatch(detail);
      expect(lines[0]).toMatch(
        /Start a Secret Service in your D-Bus session \(such as gnome-keyring, unlocked, with its secrets component\)/,
      );
      expect(lines[0]).toMatch(/secrets are never stored in plain text/);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
      // No record, no secret anywhere on disk.
      const config = path.join(dataDir, 'config.json');
      if (fs.existsSync(config)) expect(JSON.parse(fs.readFileSync(config, 'utf8')).instances).toEqual([]);
      expectNoSecretOnDisk(dataDir, [password]);

      // Settings-only commands still work without a keychain.
      const list = await run(process.execPath, [cli, '--data-dir', dataDir, 'instances', 'list', '--json'], { env });
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([]);
    });
  }

  it('removing an instance is refused while its secrets cannot be deleted', async () => {
    const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };
    const added = await run(process.execPath, [cli, ...addArgs(dataDir, 'kc-keep')], { env, input: 'pw-keep\n' });
    expect(added.code).toBe(0);
    const noBus = { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tenant-console-bus' };
    const removed = await run(process.execPath, [cli, '--data-dir', dataDir, 'instances', 'remove', 'kc-keep'], {
      env: noBus,
    });
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/^tenantctl: The OS keychain is not available/);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).instances[0].id).toBe('kc-keep');
    // Clean up with the keychain back.
    expect(
      (await run(process.execPath, [cli, '--data-dir', dataDir, 'instances', 'remove', 'kc-keep'], { env })).code,
    ).toBe(0);
  });
});

describe(
  'locked keychain (private nested D-Bus session, login collection locked over D-Bus)',
  { timeout: SLOW_TEST_MS },
  () => {
    // Runs inside the nested session: seeds a secret, locks the collection, then exercises the store
    // and the CLI. Prints one JSON document.
    const driver = `
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
const { KeytarSecretStore } = await import(pathToFileURL(process.env.REPO + '/main/services/keychain.ts').href);
const service = process.env.TENANT_CONSOLE_KEYCHAIN_SERVICE;
const store = new KeytarSecretStore(service, { timeoutMs: 20000 });
const out = {};
const attempt = async (name, fn) => {
  try { out[name] = { value: (await fn()) ?? null }; } catch (err) { out[name] = { code: err.code, message: err.message }; }
};
await attempt('seed', () => store.set('instance/seeded/es-password', 'seeded-secret'));
// An instance added while the keychain is open, listed once it is locked.
const { InstanceService } = await import(pathToFileURL(process.env.REPO + '/main/services/instances/index.ts').href);
const { openSettingsStore } = await import(pathToFileURL(process.env.REPO + '/main/services/settings-store/index.ts').href);
const instances = new InstanceService(openSettingsStore(process.env.LIST_DATA), store);
await attempt('addInstance', () => instances.add(JSON.parse(process.env.INSTANCE_INPUT), { 'es-password': 'instance-secret-value' }).then(() => null));
out.lock = execFileSync('gdbus', ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path',
  '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.Lock',
  "['/org/freedesktop/secrets/collection/login']"], { encoding: 'utf8' }).trim();
await attempt('get', () => store.get('instance/seeded/es-password'));
await attempt('getAbsent', () => store.get('instance/none/es-password'));
await attempt('set', () => store.set('instance/other/es-password', 'x'));
await attempt('delete', () => store.delete('instance/seeded/es-password'));
await attempt('list', () => store.list('instance/'));
await attempt('has', () => store.has(['instance/seeded/es-password']));
await attempt('listDetails', () => instances.listDetails());
await attempt('resolveSecrets', () => instances.resolveSecrets('kc-listed'));
const cli = spawnSync(process.execPath, [process.env.REPO + '/bin/tenantctl.mjs', ...JSON.parse(process.env.ADD_ARGS)],
  { input: 'locked-secret-value\\n', encoding: 'utf8', env: process.env });
out.cli = { status: cli.status, stdout: cli.stdout, stderr: cli.stderr };
console.log('RESULT' + JSON.stringify(out));
`;

    it('maps a locked collection to keychain-locked for every operation, never to "no secret", and the CLI refuses', async () => {
      const gdbus = spawnSync('gdbus', ['help'], { encoding: 'utf8' });
      expect(gdbus.error, 'gdbus (libglib2.0-bin) is needed to lock the collection').toBeUndefined();

      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keychain-locked-'));
      try {
        const driverFile = path.join(scratch, 'driver.mjs');
        fs.writeFileSync(driverFile, driver);
        fs.mkdirSync(path.join(scratch, 'data'));
        fs.mkdirSync(path.join(scratch, 'run'), { mode: 0o700 });
        const cliData = path.join(scratch, 'cli-data');
        const listData = path.join(scratch, 'list-data');
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          REPO: repo,
          ADD_ARGS: JSON.stringify(addArgs(cliData, 'kc-locked')),
          LIST_DATA: listData,
          INSTANCE_INPUT: JSON.stringify({
            id: 'kc-listed',
            name: 'Listed while locked',
            environment: 'staging',
            apiUrl: 'https://api.listed.example.com',
            tenantDomainSuffix: 'listed.example.com',
            tracardiVersion: '0.9.x',
            tmsUrl: 'https://tms.listed.example.com',
            es: { nodes: ['https://es.listed.example.com:9200'], auth: { type: 'basic', username: 'elastic' } },
          }),
          TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName,
          // The nested daemon keeps its keyring and control socket in the scratch folder.
          XDG_DATA_HOME: path.join(scratch, 'data'),
          XDG_RUNTIME_DIR: path.join(scratch, 'run'),
        };
        delete env.GNOME_KEYRING_CONTROL;
        delete env.DISPLAY;
        const inner = `printf nested-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node --import tsx "${driverFile}"`;
        const result = await run('dbus-run-session', ['--', 'bash', '-c', inner], { env, timeoutMs: 180_000 });
        // The driver finished: keytar did not crash enumerating a locked collection.
        expect(result.signal).toBeNull();
        const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT'));
        expect(line, `driver output: ${result.stdout}\n${result.stderr}`).toBeDefined();
        const out = JSON.parse(line!.slice('RESULT'.length));

        expect(out.seed).toEqual({ value: null });
        expect(out.lock).toContain('/org/freedesktop/secrets/collection/login');
        for (const op of ['get', 'getAbsent', 'set', 'delete', 'list', 'has']) {
          expect(out[op].code, `${op}: ${JSON.stringify(out[op])}`).toBe('keychain-locked');
          expect(out[op].message).toMatch(/The OS keychain is locked .*Unlock it/);
        }
        // Listing instances needs no secret: shown, their secrets unknown, the reason given; using
        // a secret is still refused.
        expect(out.addInstance).toEqual({ value: null });
        expect(out.listDetails.value.map((v: { instance: { id: string } }) => v.instance.id)).toEqual(['kc-listed']);
        expect(out.listDetails.value[0].secrets).toBeNull();
        expect(out.listDetails.value[0].keychainProblem.code).toBe('keychain-locked');
        expect(out.resolveSecrets.code).toBe('keychain-locked');
        expectNoSecretOnDisk(listData, ['instance-secret-value']);
        expect(out.cli.status).toBe(1);
        expect(errorLines(out.cli.stderr)).toEqual([expect.stringMatching(/^tenantctl: The OS keychain is locked \(/)]);
        expect(out.cli.stdout).toBe('');
        const config = path.join(cliData, 'config.json');
        if (fs.existsSync(config)) expect(JSON.parse(fs.readFileSync(config, 'utf8')).instances).toEqual([]);
        expectNoSecretOnDisk(cliData, ['locked-secret-value']);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });
  },
);

describe('error mapping and timeouts (no keychain needed)', { timeout: SLOW_TEST_MS }, () => {
  it('maps libsecret and D-Bus messages to the three keychain codes', () => {
    const cases: [string, string][] = [
      ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain-unavailable'],
      ['Could not connect: No such file or directory', 'keychain-unavailable'],
      ['The name org.freedesktop.secrets was not provided by any .service files', 'keychain-unavailable'],
      ['Cannot create an item in a locked collection', 'keychain-locked'],
      ['Prompt dismissed', 'keychain-locked'],
      ['Something else entirely', 'keychain-failed'],
    ];
    for (const [message, code] of cases) {
      const mapped = classifyKeychainError(new Error(message));
      expect(mapped.code, message).toBe(code);
      expect(mapped.message).toContain(message);
      expect(mapped.message).toContain('secrets are never stored in plain text');
    }
  });

  it('reports a keychain that does not answer (an unlock prompt nobody answers) as locked', async () => {
    const hanging: KeytarApi = {
      getPassword: () => new Promise(() => {}),
      setPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
      findCredentials: () => new Promise(() => {}),
    };
    const store = new KeytarSecretStore('svc', { timeoutMs: 150, loadKeytar: async () => hanging });
    const err = await store.get('instance/x/es-password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).code).toBe('keychain-locked');
    expect((err as ConsoleError).message).toMatch(/no answer within 0 s .*unlock prompt/);
  });

  it('reports a missing native module as keychain-unavailable', async () => {
    const store = new KeytarSecretStore('svc', {
      loadKeytar: async () => {
        throw new ConsoleError('keychain-unavailable', 'The keytar native module could not be loaded (x).');
      },
    });
    await expect(store.set('a', 'b')).rejects.toMatchObject({ code: 'keychain-unavailable' });
  });
});
