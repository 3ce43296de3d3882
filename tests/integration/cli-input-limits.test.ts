/**
 * The security probes of issue 19 against tenantctl as a child process: what an operator (or a
 * script) types into adopt and create is refused with a validation message and exit 2, and nothing
 * is written. The refusals come before any instance is asked, so the instances point nowhere. Run
 * inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-input-limits.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliSession, type Run } from '../support/tenantctl';

const SLOW_TEST_MS = 120_000;
const session = cliSession('input-limits');
const tenantctl = session.run;
const config = () => fs.readFileSync(path.join(session.dataDir(), 'config.json'), 'utf8');

function expectRefused(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/Unexpected error|Invalid URL/);
  expect(run.stdout).toBe('');
}

beforeEach(async () => {
  const solo = await tenantctl([
    ...['instances', 'add', '--id', 'solo', '--name', 'Solo', '--env', 'test'],
    ...['--api-url', 'http://127.0.0.1:9', '--suffix', 'solo.example.com', '--version', '0.8.x'],
    ...['--tenancy', 'single-tenant', '--tenant-name', 'shop', '--es-node', 'http://127.0.0.1:9'],
  ]);
  expect(solo.code, solo.stderr).toBe(0);
  const multi = await tenantctl([
    ...['instances', 'add', '--id', 'multi', '--name', 'Multi', '--env', 'test'],
    ...['--api-url', 'http://127.0.0.1:9', '--suffix', 'multi.example.com', '--version', '0.9.x'],
    ...['--tms-url', 'http://127.0.0.1:9', '--es-node', 'http://127.0.0.1:9'],
  ]);
  expect(multi.code, multi.stderr).toBe(0);
});

describe('tenants adopt on a single-tenant instance', { timeout: SLOW_TEST_MS }, () => {
  it('refuses a file:, javascript: or broken domain with exit 2 and a message, writing nothing', async () => {
    const before = config();
    const cases: [string, RegExp][] = [
      ['file:///etc/passwd', /^tenantctl: The API domain starts with "file:": give a host name/m],
      ['javascript://x.example/%0aalert(1)', /^tenantctl: The API domain starts with "javascript:"/m],
      ['exa mple', /^tenantctl: The API domain: host "exa mple" contains a space/m],
      ['http://[::1', /^tenantctl: The API domain: host "\[" is not a valid domain or IPv6 address/m],
    ];
    for (const [domain, message] of cases)
      expectRefused(await tenantctl(['tenants', 'adopt', 'solo', 'shop', '--domain', domain]), message);
    expect(config()).toBe(before);
    expect(fs.existsSync(path.join(session.dataDir(), 'audit.log'))).toBe(false);
  });

  it('refuses a 10 KB e-mail, a 10 KB GUI label and a 2 MB token on stdin', async () => {
    const before = config();
    expectRefused(
      await tenantctl(['tenants', 'adopt', 'solo', 'shop', '--email', `${'a'.repeat(10_240)}@example.com`]),
      /The contact e-mail is 10252 characters long; an e-mail address has at most 254 \(RFC 5321\)/,
    );
    expectRefused(
      await tenantctl(['tenants', 'adopt', 'solo', 'shop', '--gui-domain', `${'g'.repeat(10_240)}.example.com`]),
      /The GUI domain: host ".*" has a label of 10240 characters; DNS allows at most 63/,
    );
    const token = await tenantctl(['tenants', 'adopt', 'solo', 'shop', '--token-stdin'], {
      input: `${'t'.repeat(2 * 1024 * 1024)}\n`,
    });
    expectRefused(token, /The installation token on stdin is longer than 500 characters/);
    expect(token.stderr).not.toContain('tttttttt');
    expect(config()).toBe(before);
  });
});

describe('tenants create', { timeout: SLOW_TEST_MS }, () => {
  it('refuses a 10 KB e-mail and a 10 KB GUI label before any TMS call', async () => {
    const before = config();
    expectRefused(
      await tenantctl(['tenants', 'create', 'multi', 'shop', '--email', `${'a'.repeat(10_240)}@example.com`]),
      /The contact e-mail is 10252 characters long/,
    );
    expectRefused(
      await tenantctl([
        ...['tenants', 'create', 'multi', 'shop', '--email', 'ops@example.com'],
        ...['--gui-domain', `${'g'.repeat(10_240)}.multi.example.com`],
      ]),
      /The GUI domain: host ".*" has a label of 10240 characters/,
    );
    expect(config()).toBe(before);
  });
});
