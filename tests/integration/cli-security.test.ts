/**
 * tenantctl against an attacker's and a careless operator's input, as a child process with a
 * fresh --data-dir per test and the real keychain (its own service name). Run inside a keychain
 * session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-security.test.ts
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import { CLI as cli, cliSession, REPO as repo, type Run } from '../support/tenantctl';

const SLOW_TEST_MS = 300_000;
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/tenant-console-bus' };
const session = cliSession('sec-test');
const serviceName = session.serviceName;
const tenantctl = session.run;
const inData = (name: string) => path.join(session.dataDir(), name);

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push({ file: full, text: fs.readFileSync(full, 'utf8') });
  }
  return out;
}

/** Fails naming the place when any secret shows up in the data folder or in what the runs printed. */
function expectNowhere(secrets: string[], runs: Run[]): void {
  const places = [
    ...filesUnder(session.dataDir()),
    ...runs.flatMap((r, i) => [
      { file: `run ${i} stdout`, text: r.stdout },
      { file: `run ${i} stderr`, text: r.stderr },
    ]),
  ];
  for (const secret of secrets) {
    for (const { file, text } of places) {
      expect(text.includes(secret), `${file} holds a secret`).toBe(false);
      expect(text.includes(encodeURIComponent(secret)), `${file} holds a secret (encoded)`).toBe(false);
    }
  }
}

const flags = (id: string) => [
  '--id',
  id,
  '--name',
  `Prod ${id}`,
  '--env',
  'production',
  '--api-url',
  `https://api.${id}.example.com`,
  '--suffix',
  `${id}.example.com`,
  '--version',
  '0.9.x',
  '--tms-url',
  `https://tms.${id}.example.com`,
  '--es-node',
  `https://es1.${id}.example.com:9200`,
];

function withFlag(list: string[], flag: string, value: string): string[] {
  const copy = [...list];
  copy[copy.indexOf(flag) + 1] = value;
  return copy;
}

/** A settings file as an older console wrote it: passwords in every URL. */
function legacyInstance(id: string, pw: { api: string; tms: string; es: string }): Record<string, unknown> {
  return {
    id,
    name: `Legacy ${id}`,
    environment: 'staging',
    apiUrl: `https://admin:${pw.api}@api.${id}.example.com`,
    tenantDomainSuffix: `${id}.example.com`,
    tracardiVersion: '0.9.x',
    tmsUrl: `https://tms:${pw.tms}@tms.${id}.example.com:8383`,
    es: { nodes: [`https://elastic:${pw.es}@es1.${id}.example.com:9200`, `https://es2.${id}.example.com:9200`] },
  };
}

const secret = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;

describe('passwords in URLs', { timeout: SLOW_TEST_MS }, () => {
  it('instances add refuses userinfo in --api-url, --tms-url and --es-node, naming the flag and where the secret goes', async () => {
    const pw = secret('urlpw');
    const cases: [string, string, RegExp][] = [
      ['--api-url', `https://user:${pw}@api.x1.example.com`, /--api-url: .*user name or password/],
      ['--tms-url', `https://tms:${pw}@tms.x1.example.com`, /--tms-url: .*--tms-api-key-stdin/],
      ['--es-node', `https://elastic:${pw}@es.x1.example.com:9200`, /--es-node: .*--es-user.*--es-password-stdin/],
    ];
    const runs: Run[] = [];
    for (const [flag, url, message] of cases) {
      const run = await tenantctl(['instances', 'add', ...withFlag(flags('x1'), flag, url)]);
      runs.push(run);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(fs.existsSync(inData('config.json'))).toBe(false);
    expectNowhere([pw], runs);
  });

  it('a config.json with passwords in URLs is migrated on load: ES credentials to the keychain, the rest dropped, audited without the secret', async () => {
    const pw = { api: secret('apipw'), tms: secret('tmspw'), es: secret('espw') };
    const file = { schemaVersion: 1, instances: [legacyInstance('leg1', pw)], tenants: [], journal: [] };
    const text = JSON.stringify(file, null, '\t');
    fs.writeFileSync(inData('config.json'), text);
    fs.writeFileSync(inData('config.json.last-good'), text);

    const show = await tenantctl(['instances', 'show', 'leg1', '--json']);
    expect(show.code).toBe(0);
    expect(show.stderr).toMatch(/moved the Elasticsearch user "elastic" .* OS keychain/);
    expect(show.stderr).toMatch(/Rotate them/);
    const shown = JSON.parse(show.stdout) as {
      instance: { apiUrl: string; tmsUrl: string; es: { nodes: string[]; auth: unknown } };
      secrets: Record<string, boolean>;
    };
    expect(shown.instance.apiUrl).toBe('https://api.leg1.example.com');
    expect(shown.instance.tmsUrl).toBe('https://tms.leg1.example.com:8383');
    expect(shown.instance.es.nodes).toEqual(['https://es1.leg1.example.com:9200', 'https://es2.leg1.example.com:9200']);
    expect(shown.instance.es.auth).toEqual({ type: 'basic', username: 'elastic' });
    expect(shown.secrets['es-password']).toBe(true);
    expect(await keytar.getPassword(serviceName, 'instance/leg1/es-password')).toBe(pw.es);

    const list = await tenantctl(['instances', 'list']);
    const audit = await tenantctl(['audit', '--json']);
    expect(audit.stdout).toMatch(/migrate-secret/);
    const onDisk = JSON.parse(fs.readFileSync(inData('config.json'), 'utf8'));
    expect(onDisk.instances[0].es.auth).toEqual({ type: 'basic', username: 'elastic' });
    expect(JSON.parse(fs.readFileSync(inData('config.json.last-good'), 'utf8'))).toEqual(onDisk);
    expectNowhere([pw.api, pw.tms, pw.es], [show, list, audit]);
  });

  it('an unversioned (v0) file is migrated and its backup copy keeps no password', async () => {
    const pw = { api: secret('apipw'), tms: secret('tmspw'), es: secret('espw') };
    fs.writeFileSync(inData('config.json'), JSON.stringify({ instances: [legacyInstance('leg0', pw)] }));
    const list = await tenantctl(['instances', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(fs.readdirSync(session.dataDir()).some((f) => f.startsWith('config.json.bak-v0'))).toBe(true);
    expect(await keytar.getPassword(serviceName, 'instance/leg0/es-password')).toBe(pw.es);
    expectNowhere([pw.api, pw.tms, pw.es], [list]);
  });

  it('without a keychain the password is dropped, never kept on disk, and the instance asks for it again', async () => {
    const pw = { api: secret('apipw'), tms: secret('tmspw'), es: secret('espw') };
    const file = { schemaVersion: 1, instances: [legacyInstance('leg2', pw)] };
    fs.writeFileSync(inData('config.json'), JSON.stringify(file));
    const first = await tenantctl(['instances', 'list'], { env: NO_KEYCHAIN });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/could not go to the keychain \(keychain-unavailable\).*enter it again/);
    const onDisk = JSON.parse(fs.readFileSync(inData('config.json'), 'utf8'));
    expect(onDisk.instances[0].es.auth).toEqual({ type: 'basic', username: 'elastic' });

    const later = await tenantctl(['instances', 'show', 'leg2', '--json']);
    const shown = JSON.parse(later.stdout) as { warnings: { code: string }[]; secrets: Record<string, boolean> };
    expect(shown.secrets['es-password']).toBe(false);
    expect(shown.warnings.map((w) => w.code)).toContain('es-secret-missing');
    expect(await keytar.getPassword(serviceName, 'instance/leg2/es-password')).toBeNull();
    const auditText = fs.readFileSync(inData('audit.log'), 'utf8');
    expect(auditText).toMatch(/"action":"migrate-secret".*"outcome":"failed"/);
    expectNowhere([pw.api, pw.tms, pw.es], [first, later]);
  });
});

describe('control characters', { timeout: SLOW_TEST_MS }, () => {
  it('instances add refuses a name with a newline or an ANSI escape', async () => {
    for (const name of ['Prod\nFAKE LINE', 'Prod \x1b[31mred', 'Prod \u202eevil']) {
      const run = await tenantctl(['instances', 'add', ...withFlag(flags('c1'), '--name', name)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--name: the display name must not contain control or bidirectional-override characters \(found U\+/,
      );
      expect(run.stderr).not.toContain('\x1b');
    }
  });

  it('tenants create refuses a control character in the e-mail or the override reason, before any TMS call', async () => {
    expect((await tenantctl(['instances', 'add', ...flags('t1')])).code).toBe(0);
    const email = await tenantctl(['tenants', 'create', 't1', 'shop', '--email', 'ops\x1b[31m@example.com']);
    expect(email.code).toBe(2);
    expect(email.stderr).toMatch(
      /The contact e-mail must not contain control or bidirectional-override characters \(found U\+001B\)/,
    );
    const reason = await tenantctl([
      'tenants',
      'create',
      't1',
      'shop',
      '--email',
      'ops@example.com',
      '--override-reason',
      'approved by ops\nforged: approved by CEO',
    ]);
    expect(reason.code).toBe(2);
    expect(reason.stderr).toMatch(/The capacity override reason must not contain control .*\(found U\+000A\)/);
    const onDisk = JSON.parse(fs.readFileSync(inData('config.json'), 'utf8'));
    expect(onDisk.tenants).toEqual([]);
  });

  it('values another writer put in config.json are printed escaped, never raw', async () => {
    const instance = {
      ...legacyInstance('raw1', { api: 'a', tms: 'b', es: 'c' }),
      name: 'Evil\x1b[31m\nforged line',
      apiUrl: 'https://api.raw1.example.com',
      tmsUrl: 'https://tms.raw1.example.com',
      es: { nodes: ['https://es.raw1.example.com:9200'] },
    };
    fs.writeFileSync(inData('config.json'), JSON.stringify({ schemaVersion: 1, instances: [instance] }));
    for (const args of [
      ['instances', 'list'],
      ['instances', 'show', 'raw1'],
      ['instances', 'list', '--json'],
    ]) {
      const run = await tenantctl(args);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain('\x1b');
      expect(run.stdout).not.toMatch(/^forged line/m);
      expect(run.stdout).toContain('\\x1b[31m');
    }
  });
});

describe('look-alike letters', { timeout: SLOW_TEST_MS }, () => {
  it('derive warns about Cyrillic "аpple" with the Unicode form beside the punycode', async () => {
    const run = await tenantctl(['derive', 'https://аpple.example.com']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('xnpple43d');
    expect(run.stderr).toContain(
      'warning: The label "аpple" (punycode "xn--pple-43d") mixes Cyrillic and Latin letters: it looks like "apple"',
    );
  });
});

describe('output through a pipe', { timeout: SLOW_TEST_MS }, () => {
  it('a multi-megabyte --json report is byte-identical through `| cat` and `> file`', async () => {
    const instances = Array.from({ length: 6000 }, (_, i) => ({
      ...legacyInstance(`big${i}`, { api: 'a', tms: 'b', es: 'c' }),
      apiUrl: `https://api.big${i}.example.com`,
      tmsUrl: `https://tms.big${i}.example.com`,
      es: { nodes: [`https://es1.big${i}.example.com:9200`, `https://es2.big${i}.example.com:9200`] },
    }));
    fs.writeFileSync(inData('config.json'), JSON.stringify({ schemaVersion: 1, instances }));
    const toFile = inData('to-file.json');
    const throughPipe = inData('through-pipe.json');
    const command = `"${process.execPath}" "${cli}" --data-dir "${session.dataDir()}" instances list --json`;
    const shell = (line: string) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn('sh', ['-c', line], {
          cwd: repo,
          env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
    expect(await shell(`${command} > "${toFile}"`)).toBe(0);
    expect(await shell(`${command} | cat > "${throughPipe}"`)).toBe(0);
    const a = fs.readFileSync(toFile);
    const b = fs.readFileSync(throughPipe);
    expect(a.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(true);
    expect((JSON.parse(b.toString('utf8')) as unknown[]).length).toBe(6000);
  });
});
