// Tracardi 0.9's MySQL database as tenantctl reports it, with the simulator behaving as the real
// 0.9.0-rc5 did: a fresh single-tenant instance's own tenant is "not installed, its database does not
// exist yet"; with MySQL down, `instances test`, `tenants verify` and `watch --once` read "Tracardi's
// database is not reachable" with the driver's message as detail. The compiled CLI, real Elasticsearch,
// the real keychain. Run inside a keychain session:
//   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-database.test.ts
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore } from '../../main/core';
import { KeytarSecretStore } from '../../main/services/keychain';
import { startTracardi, type TracardiSimulator } from '../simulator';
import { runTenantctl } from '../support/tenantctl';

const serviceName = `tracardi-tenant-console-cli-db-${process.pid}-${randomBytes(4).toString('hex')}`;
const SUFFIX = 'vdbcli.test';
const TENANT = `vdbcli${Array.from(randomBytes(5), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
const DRIVER = `(pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '127.0.0.1'") (Background on this error at: https://sqlalche.me/e/20/e3q8)`;

describe("tenantctl and Tracardi 0.9's database", { timeout: 300_000 }, () => {
  let dataDir: string;
  let sim: TracardiSimulator;
  const resolve = ['--resolve', `*.${SUFFIX}=127.0.0.1`];
  const tenantctl = (args: string[]) => runTenantctl(dataDir, serviceName, args);

  beforeAll(async () => {
    const esUrl = inject('esUrls')[0]!.replace(/\/+$/, '');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-database-'));
    // A fresh open-source 0.9: single-tenant, nothing installed, so no MySQL database yet.
    sim = await startTracardi({ version: '0.9.x', esUrl, multiTenant: false, tenantName: TENANT, database: 'absent' });
    const core = await createCore({
      dataDir,
      env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName },
      shell: 'test',
    });
    await core.instances.add({
      id: 'vdb',
      name: 'Fresh 0.9',
      environment: 'test',
      apiUrl: sim.url,
      guiUrlPattern: 'https://{tenant}-gui.{suffix}',
      tenantDomainSuffix: SUFFIX,
      tracardiVersion: '0.9.x',
      tenancy: 'single-tenant',
      singleTenantName: TENANT,
      es: { nodes: [esUrl] },
    });
    await core.tenants.adopt({ instanceId: 'vdb', tenant: TENANT, domain: `${TENANT}.${SUFFIX}` });
  });

  afterAll(async () => {
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('')) await keychain.delete(a);
    await sim?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("fresh: the instance's own tenant is registered, not installed, its database not there yet", async () => {
    const verify = await tenantctl(['tenants', 'verify', 'vdb', ...resolve]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^${TENANT}\\s+registered\\s+Registered; token not handed over; not installed \\(Tracardi's database does not exist yet: nothing was installed there\\)\\.$`,
        'm',
      ),
    );
    expect(verify.stdout).not.toContain('unknown-to-instance');
  });

  it("MySQL down: instances test, tenants verify and watch --once say Tracardi's database is not reachable", async () => {
    const baseline = await tenantctl(['watch', '--once', ...resolve]);
    expect(baseline.code, baseline.stdout + baseline.stderr).toBe(0);
    sim.setDatabase('down');
    try {
      const test = await tenantctl(['instances', 'test', 'vdb']);
      expect(test.code).toBe(1);
      expect(test.stdout).toMatch(
        /^tracardi\s+FAILED\s+Tracardi's database is not reachable \(http:\/\/127\.0\.0\.1:\d+ answered/m,
      );
      expect(test.stdout).toContain(DRIVER);

      const verify = await tenantctl(['tenants', 'verify', 'vdb', ...resolve]);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain(
        `${TENANT}  unreachable  Tracardi's database is not reachable (GET /install answered HTTP 500: ${DRIVER}).`,
      );

      const round = await tenantctl(['watch', '--once', ...resolve]);
      expect(round.code).toBe(1);
      expect(round.stdout).toMatch(
        /PROBLEM .*unreachable.*Tracardi's database is not reachable \(GET \/install answered HTTP 500: \(pymysql/,
      );
    } finally {
      sim.setDatabase('absent');
    }
  });
});
