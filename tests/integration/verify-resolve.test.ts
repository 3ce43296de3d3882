// `tenantctl tenants verify --resolve host:port:address` (curl's syntax) against a real core (real
// settings file, real keychain, real Elasticsearch) and the simulator: an instance whose API host
// is in no DNS is verified by connecting to the address the rule names, Host and tenant unchanged.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { VerificationResult } from '../../shared/tenants/tenant';
import { runCli } from '../../main/cli/index';
import { KeytarSecretStore } from '../../main/services/keychain';
import type { TmsSimulator, TracardiSimulator } from '../simulator';
import { cleanupTenant, unresolvableInstanceWithTenant } from '../support/verify-fixtures';

const API_KEY = `tms-key-${randomBytes(8).toString('hex')}`;
const serviceName = `tracardi-tenant-console-verify-resolve-${process.pid}-${randomBytes(4).toString('hex')}`;
// `.invalid` never resolves (RFC 6761): only the --resolve rule can reach it.
const SUFFIX = 'viresolve.invalid';
const TENANT = 'viresacme';

describe('tenantctl tenants verify --resolve', () => {
  let esUrl: string;
  let dataDir: string;
  let tms: TmsSimulator;
  let tracardi: TracardiSimulator;
  const env = { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: serviceName };

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const before = process.exitCode;
    try {
      const code = await runCli(['node', 'tenantctl', '--data-dir', dataDir, ...args], {
        env,
        streams: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
      });
      return { code, out, err };
    } finally {
      process.exitCode = before;
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-resolve-'));
    const fleet = await unresolvableInstanceWithTenant({
      esUrls: inject('esUrls'),
      dataDir,
      env,
      apiKey: API_KEY,
      id: 'vires',
      name: 'Resolve',
      suffix: SUFFIX,
      tenant: TENANT,
    });
    ({ esUrl, tms, tracardi } = fleet);
  }, 120_000);

  afterAll(async () => {
    const keychain = new KeytarSecretStore(serviceName);
    for (const a of await keychain.list('')) await keychain.delete(a);
    await Promise.allSettled([tracardi?.stop(), tms?.stop()]);
    if (esUrl) await cleanupTenant(esUrl, TENANT);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('without the rule the API host does not resolve; with it the tenant verifies through the named address', async () => {
    const without = await cli(['tenants', 'verify', 'vires', '--json']);
    expect(without.code).toBe(0);
    const bare = JSON.parse(without.out) as { results: VerificationResult[] };
    expect(bare.results[0]!.status).toBe('unreachable');
    expect(tracardi.calls).toHaveLength(0);

    const rule = `*.${SUFFIX}:${tracardi.port}:127.0.0.1`;
    const withRule = await cli(['tenants', 'verify', 'vires', '--resolve', rule, '--json']);
    expect(withRule.code, withRule.err).toBe(0);
    const run = JSON.parse(withRule.out) as {
      results: VerificationResult[];
      stats: { identityRequests: number };
    };
    expect(run.results.map((r) => [r.tenant, r.status])).toEqual([[TENANT, 'registered']]);
    const result = run.results[0]!;
    // The tenant's domains answered from the rule (DNS), and the requests reached the simulator
    // with the tenant's Host: it derived the tenant from it.
    expect(result.evidence.dns.api).toMatchObject({ outcome: 'ok', addresses: ['127.0.0.1'] });
    expect(result.evidence.identity).toMatchObject({ outcome: 'match', answered: { tenant: TENANT } });
    expect(run.stats.identityRequests).toBe(1);
    expect(tracardi.calls.map((c) => [c.path, c.host, c.tenant])).toEqual(
      expect.arrayContaining([
        ['/install', `${TENANT}.${SUFFIX}:${tracardi.port}`, TENANT],
        ['/info/version/details', `${TENANT}.${SUFFIX}:${tracardi.port}`, TENANT],
      ]),
    );

    // A rule for another port does not redirect the connection; a malformed one is bad input (exit 2).
    tracardi.calls.length = 0;
    const otherPort = await cli(['tenants', 'verify', 'vires', '--resolve', `*.${SUFFIX}:1:127.0.0.1`, '--json']);
    expect((JSON.parse(otherPort.out) as { results: VerificationResult[] }).results[0]!.status).toBe('unreachable');
    expect(tracardi.calls).toHaveLength(0);
    const bad = await cli(['tenants', 'verify', 'vires', '--resolve', `api.${SUFFIX}:443:not-an-ip`]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/"not-an-ip" is not an IP address/);
  });
});
