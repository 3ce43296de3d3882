/**
 * tenantctl as an operator or a script drives it: a child process, a fresh --data-dir per test, the
 * real keychain under a service name of its own. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-instances.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import keytar from 'keytar';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliSession, spawnTenantctl, type Run } from '../support/tenantctl';

// Every CLI run is a new Node process (compiled out/main/cli.js); on a loaded 2-core machine it can be slow.
const SLOW_TEST_MS = 300_000;
const session = cliSession('cli-test');
const serviceName = session.serviceName;

let dataDir: string;
beforeEach(() => {
  dataDir = session.dataDir();
});

/** `tenantctl ...args` exactly as given: the tests name --data-dir themselves (or leave it to the environment). */
function tenantctl(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return spawnTenantctl(serviceName, args, options);
}

const baseFlags = (id: string) => [
  '--id',
  id,
  '--name',
  `Prod ${id}`,
  '--env',
  'production',
  '--colour',
  '#d0342c',
  '--api-url',
  `https://api.${id}.example.com`,
  '--gui-pattern',
  'https://{label}-gui.' + `${id}.example.com`,
  '--suffix',
  `${id}.example.com`,
  '--version',
  '0.8.x',
  '--tms-url',
  `https://tms.${id}.example.com`,
  '--es-node',
  `https://es1.${id}.example.com:9200`,
  '--es-node',
  `https://es2.${id}.example.com:9200`,
];

function add(id: string, extra: string[], input = ''): Promise<Run> {
  return tenantctl(['--data-dir', dataDir, 'instances', 'add', ...baseFlags(id), ...extra], { input });
}

function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tenantctl: /);
  expect(lines[0]).toMatch(pattern);
}

function configOnDisk(): { instances: { id: string }[] } | null {
  const file = path.join(dataDir, 'config.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

describe('tenantctl instances', { timeout: SLOW_TEST_MS }, () => {
  it('tenancy: a single-tenant instance needs no TMS; update switches the mode and names the tenant', async () => {
    const flags = baseFlags('solo').filter((f, i, all) => f !== '--tms-url' && all[i - 1] !== '--tms-url');
    const refused = await tenantctl(['--data-dir', dataDir, 'instances', 'add', ...flags]);
    expectOneLineError(refused, 2, /--tms-url: a multi-tenant instance needs its TMS URL/);
    expect(configOnDisk()).toBeNull();

    const added = await tenantctl([
      '--data-dir',
      dataDir,
      'instances',
      'add',
      ...flags,
      '--tenancy',
      'single-tenant',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).instance).toMatchObject({ id: 'solo', tenancy: 'single-tenant' });
    expect(JSON.parse(added.stdout).instance).not.toHaveProperty('tmsUrl');
    const show = await tenantctl(['--data-dir', dataDir, 'instances', 'show', 'solo']);
    expect(show.stdout).toMatch(/tenancy\s+single-tenant, serves ffe49/);

    const named = await tenantctl([
      '--data-dir',
      dataDir,
      'instances',
      'update',
      'solo',
      '--tenant-name',
      'shop',
      '--json',
    ]);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).instance.singleTenantName).toBe('shop');
    // Back to multi-tenant: refused without a TMS URL, nothing changed; accepted with one.
    const noTms = await tenantctl(['--data-dir', dataDir, 'instances', 'update', 'solo', '--tenancy', 'multi-tenant']);
    expect(noTms.code).not.toBe(0);
    expect(noTms.stderr).toMatch(/a multi-tenant instance needs its TMS URL/);
    const multi = await tenantctl([
      '--data-dir',
      dataDir,
      'instances',
      'update',
      'solo',
      '--tenancy',
      'multi-tenant',
      '--tenant-name',
      'default',
      '--tms-url',
      'https://tms.solo.example.com',
      '--json',
    ]);
    expect(multi.code, multi.stderr).toBe(0);
    const instance = JSON.parse(multi.stdout).instance;
    expect(instance).toMatchObject({ tenancy: 'multi-tenant', tmsUrl: 'https://tms.solo.example.com' });
    expect(instance).not.toHaveProperty('singleTenantName');
  });

  it('add (secrets on stdin), list/show --json, remove', async () => {
    const password = `pw-${randomBytes(10).toString('hex')}`;
    const tmsKey = `tms-${randomBytes(10).toString('hex')}`;
    const added = await add(
      'eu1',
      [
        '--es-user',
        'elastic',
        '--es-password-stdin',
        '--tms-api-key-stdin',
        '--expected-ip',
        '10.0.0.7',
        '--index-shards',
        '5',
        '--json',
      ],
      `${password}\n${tmsKey}\n`,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const addedJson = JSON.parse(added.stdout);
    expect(addedJson.instance).toMatchObject({ id: 'eu1', environment: 'production', tracardiVersion: '0.8.x' });
    expect(addedJson.secrets).toEqual({ 'es-password': true, 'es-api-key': false, 'tms-api-key': true });
    // Read in flag order: first line the ES password, second the TMS key.
    expect(await keytar.getPassword(serviceName, 'instance/eu1/es-password')).toBe(password);
    expect(await keytar.getPassword(serviceName, 'instance/eu1/tms-api-key')).toBe(tmsKey);

    const list = await tenantctl(['--data-dir', dataDir, 'instances', 'list', '--json']);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0].instance.es.nodes).toEqual([
      'https://es1.eu1.example.com:9200',
      'https://es2.eu1.example.com:9200',
    ]);
    expect(listed[0].instance.es.auth).toEqual({ type: 'basic', username: 'elastic' });
    expect(listed[0].instance.expectedAddresses).toEqual(['10.0.0.7']);
    expect(listed[0].instance.footprint).toEqual({ indexShards: 5, confShards: 1, replicas: 1 });
    expect(listed[0].tlsVerifyOff).toBe(false);

    const show = await tenantctl(['--data-dir', dataDir, 'instances', 'show', 'eu1', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).secrets).toEqual({ 'es-password': true, 'es-api-key': false, 'tms-api-key': true });
    const showHuman = await tenantctl(['--data-dir', dataDir, 'instances', 'show', 'eu1']);
    expect(showHuman.stdout).toMatch(/secrets\s+es-password: stored, es-api-key: -, tms-api-key: stored/);
    for (const out of [added.stdout, list.stdout, show.stdout, showHuman.stdout]) {
      expect(out).not.toContain(password);
      expect(out).not.toContain(tmsKey);
    }
    const configText = fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8');
    expect(configText).not.toContain(password);
    expect(configText).not.toContain(tmsKey);

    const removed = await tenantctl(['--data-dir', dataDir, 'instances', 'remove', 'eu1', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({
      removed: 'eu1',
      secretsDeleted: ['instance/eu1/es-password', 'instance/eu1/tms-api-key'],
      tenantsRemoved: 0,
    });
    expect((await keytar.findCredentials(serviceName)).filter((c) => c.account.startsWith('instance/eu1/'))).toEqual(
      [],
    );
    expect(configOnDisk()?.instances).toEqual([]);
  });

  it('shows TLS verification off, in the table and as a warning', async () => {
    expect((await add('lab', ['--insecure-skip-tls-verify'])).code).toBe(0);
    const list = await tenantctl(['--data-dir', dataDir, 'instances', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+ENV/);
    expect(list.stdout).toMatch(/lab\s+Prod lab\s+production.*OFF \(insecure\)/);
    expect(list.stderr).toMatch(/^warning: TLS certificate verification is OFF for instance "lab"/);
    const show = await tenantctl(['--data-dir', dataDir, 'instances', 'show', 'lab']);
    expect(show.stdout).toMatch(/ES TLS\s+VERIFICATION OFF/);
  });

  it('honours TENANT_CONSOLE_DATA_DIR when --data-dir is absent', async () => {
    const listed = await tenantctl(['instances', 'list', '--json'], { env: { TENANT_CONSOLE_DATA_DIR: dataDir } });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expect((await add('envdir', [])).code).toBe(0);
    const again = await tenantctl(['instances', 'list', '--json'], { env: { TENANT_CONSOLE_DATA_DIR: dataDir } });
    expect(JSON.parse(again.stdout).map((s: { instance: { id: string } }) => s.instance.id)).toEqual(['envdir']);
  });
});

describe('tenantctl failures', { timeout: SLOW_TEST_MS }, () => {
  it('bad input exits 2 with one line naming the flags, and stores nothing', async () => {
    const run = await add(
      'Bad Id',
      ['--api-url', 'ftp://nope', '--es-password-stdin', '--es-user', 'e'],
      'secret-line\n',
    );
    expectOneLineError(run, 2, /--id: an instance id is .*--api-url: must be an http:\/\/ or https:\/\/ URL/);
    expect(configOnDisk()).toBeNull();
  });

  it('a missing required flag, an unknown option and a bad choice exit 2', async () => {
    const missing = await tenantctl(['--data-dir', dataDir, 'instances', 'add', '--id', 'x']);
    expectOneLineError(missing, 2, /--name: is required/);
    // There is no flag to pass a secret on the command line.
    const argvSecret = await add('x', ['--es-password', 'visible-in-ps']);
    expectOneLineError(argvSecret, 2, /unknown option '--es-password'/);
    const choice = await tenantctl(['--data-dir', dataDir, 'instances', 'add', '--env', 'prod']);
    expectOneLineError(choice, 2, /Allowed choices are production, staging, development, test/);
  });

  it('a secret flag without its stdin line exits 2 before anything is stored', async () => {
    const run = await add('nostdin', ['--es-user', 'e', '--es-password-stdin', '--tms-api-key-stdin'], 'only-one\n');
    expectOneLineError(
      run,
      2,
      /Expected 2 line\(s\) on stdin \(Elasticsearch password, TMS API key, in that order\), got 1/,
    );
    expect(configOnDisk()).toBeNull();
    expect(await keytar.getPassword(serviceName, 'instance/nostdin/es-password')).toBeNull();
  });

  it('a secret that does not fit the auth type exits 2', async () => {
    const run = await add('noauth', ['--es-api-key-stdin'], 'k\n');
    expectOneLineError(run, 2, /es-api-key does not fit Elasticsearch auth "none"/);
  });

  it('a duplicate exits 1 with conflict; an unknown id exits 1 naming the known ones', async () => {
    expect((await add('dup', [])).code).toBe(0);
    expectOneLineError(await add('dup', []), 1, /An instance with id "dup" already exists/);
    const show = await tenantctl(['--data-dir', dataDir, 'instances', 'show', 'nope', '--json']);
    expectOneLineError(show, 1, /No instance "nope" \(known: dup\)/);
    expect(JSON.parse(show.stdout)).toEqual({
      error: { code: 'not-found', message: 'No instance "nope" (known: dup).', instanceId: 'nope' },
    });
  });

  it('prints a stack only with TENANTCTL_DEBUG=1', async () => {
    const quiet = await tenantctl(['--data-dir', dataDir, 'instances', 'remove', 'ghost']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const debug = await tenantctl(['--data-dir', dataDir, 'instances', 'remove', 'ghost'], {
      env: { TENANTCTL_DEBUG: '1' },
    });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('a corrupt settings file is reported, kept, and writes are refused read-only', async () => {
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{"schemaVersion": 1, "instances": [');
    const list = await tenantctl(['--data-dir', dataDir, 'instances', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(list.stderr).toMatch(
      /^warning: .*config\.json is corrupt \(not valid JSON.*kept a copy at .*config\.json\.corrupt-/,
    );
    const added = await add('ro', []);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/tenantctl: Settings are read-only: .*config\.json/);
    expect(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')).toBe('{"schemaVersion": 1, "instances": [');
  });
});

describe('tenantctl derive', { timeout: SLOW_TEST_MS }, () => {
  it('prints the tenant, and JSON with --json', async () => {
    const plain = await tenantctl(['derive', 'https://Company-X.tracardi.com:8686/x']);
    expect(plain).toEqual({ code: 0, stdout: 'companyx\n', stderr: '' });
    const json = await tenantctl(['derive', 'https://Company-X.tracardi.com:8686/x', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ tenant: 'companyx', asciiHost: 'company-x.tracardi.com', warnings: [] });
  });

  it('sends warnings to stderr, keeping stdout the tenant alone', async () => {
    const run = await tenantctl(['derive', 'company1.instance1.example.com']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('company1\n');
    expect(run.stderr).toMatch(/^warning: .*letters-only rule would call it "company"/);
  });

  it('refuses what Tracardi cannot derive a tenant from with exit 2', async () => {
    expectOneLineError(
      await tenantctl(['derive', 'https://localhost:8686']),
      2,
      /^tenantctl: Cannot derive a tenant name: /,
    );
  });
});
