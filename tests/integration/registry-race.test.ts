/**
 * Two operators' consoles racing on one instance, as separate processes (each its own data folder,
 * its own REAL keychain, its own operator), over the Tracardi + TMS simulator and a real
 * Elasticsearch holding the instance's team registry. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/registry-race.test.ts
 *
 * 1. Both create the same 50 tenant names at once, five rounds: every name is created exactly once;
 *    the loser is told who created it, and leaves no TMS entry, no keychain token, no record; the TMS,
 *    the registry and the two keychains agree, and neither console's reconcile finds anything.
 * 2. A console killed (SIGKILL) right after each step of a create while the other creates tenants
 *    on the same instance: no orphan, no duplicate; the OTHER console's reconcile repairs the
 *    registry and the TMS, the killed console's own reconcile drops the token left in its keychain.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { accountFor, KeytarSecretStore } from '../../main/services/keychain';
import type { RegistryTenantDoc } from '../../shared/team/registry';
import { startTms, type TmsSimulator } from '../simulator';
import { removeRegistryScope } from '../support/registry-seed';
import { REPO } from '../support/tenantctl';

const run = randomBytes(3).toString('hex');
const SUFFIX = `race-${run}.test`;
const API_KEY = `tms-key-${randomBytes(12).toString('hex')}`;
const INSTANCE = 'racer';

interface Side {
  name: string;
  dataDir: string;
  service: string;
  keychain: KeytarSecretStore;
  keychainId: string;
}

let esUrl: string;
let tms: TmsSimulator;
let a: Side;
let b: Side;

function env(side: Side): NodeJS.ProcessEnv {
  return { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: side.service };
}

async function core(side: Side): Promise<Core> {
  return createCore({ dataDir: side.dataDir, env: env(side), shell: 'test' });
}

async function side(name: string): Promise<Side> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `race-${name.toLowerCase()}-`));
  const service = `tracardi-tenant-console-race-${name.toLowerCase()}-${run}`;
  const c = await createCore({
    dataDir,
    env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: service },
    shell: 'test',
  });
  c.operator.set({ name, email: `${name.toLowerCase()}@race.test` });
  await c.instances.add(
    {
      id: INSTANCE,
      name: 'Race instance',
      environment: 'test',
      apiUrl: 'http://127.0.0.1:9',
      tenantDomainSuffix: SUFFIX,
      tracardiVersion: '0.9.x',
      tmsUrl: tms.url,
      es: { nodes: [esUrl] },
    },
    { 'tms-api-key': API_KEY },
  );
  const keychainId = c.keychainId;
  c.registry.close();
  return { name, dataDir, service, keychain: new KeytarSecretStore(service), keychainId };
}

interface Outcome {
  tenant: string;
  ok: boolean;
  code?: string;
  message?: string;
}

/** Run a node entry (tests/support/*.ts) as one console; resolves with its stdout lines and signal. */
function node(
  side: Side,
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: REPO,
      env: env(side),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function createMany(side: Side, names: string[]): Promise<Outcome[]> {
  const r = await node(side, ['tests/support/create-many.ts', side.dataDir, INSTANCE, names.join(',')]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Outcome);
}

async function registryDocs(side: Side): Promise<RegistryTenantDoc[]> {
  const c = await core(side);
  const registry = await c.registry.of(INSTANCE);
  await registry.sync();
  const docs = registry.cached().map((d) => d.doc);
  c.registry.close();
  return docs;
}

async function tokens(side: Side): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const account of await side.keychain.list(accountFor.tokenPrefix(INSTANCE))) {
    const t = await side.keychain.get(account);
    if (t) out.set(account.split('/')[2]!, t);
  }
  return out;
}

/** The TMS, the registry and both keychains hold the same tenants, each token in exactly one keychain. */
async function expectAgreement(): Promise<void> {
  const docs = await registryDocs(a);
  expect(docs.filter((d) => d.pending !== null || d.phase === 'creating').map((d) => d.tenant)).toEqual([]);
  const active = docs.filter((d) => d.phase === 'active');
  const [ta, tb] = await Promise.all([tokens(a), tokens(b)]);
  expect([...tms.tenants().keys()].sort()).toEqual(active.map((d) => d.tenant).sort());
  for (const d of active) {
    const holder = d.holder!.keychain === a.keychainId ? ta : d.holder!.keychain === b.keychainId ? tb : null;
    expect(holder, `${d.tenant} held by an unknown keychain`).not.toBeNull();
    const other = holder === ta ? tb : ta;
    expect(holder!.get(d.tenant), `${d.tenant}: the holder's keychain`).toBe(
      tms.tenants().get(d.tenant)!.install_token,
    );
    expect(other.has(d.tenant), `${d.tenant}: a token in the other keychain`).toBe(false);
  }
  expect(ta.size + tb.size).toBe(active.length);
  for (const s of [a, b]) {
    const c = await core(s);
    const report = await c.tenants.reconcile();
    c.registry.close();
    expect(report.findings, `${s.name}'s reconcile`).toEqual([]);
  }
}

beforeAll(async () => {
  const urls = inject('esUrls');
  esUrl = (urls[1] ?? urls[0]!).replace(/\/+$/, '');
  tms = await startTms({ apiKey: API_KEY });
  [a, b] = await Promise.all([side('Ann'), side('Bob')]);
}, 120_000);

afterAll(async () => {
  for (const s of [a, b]) {
    if (!s) continue;
    for (const account of await s.keychain.list('')) await s.keychain.delete(account);
    fs.rmSync(s.dataDir, { recursive: true, force: true });
  }
  await removeRegistryScope(esUrl, SUFFIX);
  await tms?.stop();
});

describe('two consoles creating the same names at once', { timeout: 600_000 }, () => {
  for (let round = 1; round <= 5; round++) {
    it(`round ${round}: 50 names, each created exactly once`, async () => {
      const names = Array.from({ length: 50 }, (_, i) => `race${run}r${round}n${String(i).padStart(2, '0')}`);
      const [fromA, fromB] = await Promise.all([createMany(a, names), createMany(b, names)]);
      expect(fromA.map((o) => o.tenant)).toEqual(names);
      expect(fromB.map((o) => o.tenant)).toEqual(names);
      for (const [i, name] of names.entries()) {
        const [oa, ob] = [fromA[i]!, fromB[i]!];
        expect(Number(oa.ok) + Number(ob.ok), `${name}: ${oa.message ?? ''} / ${ob.message ?? ''}`).toBe(1);
        const [loser, winner] = oa.ok ? [ob, 'Ann'] : [oa, 'Bob'];
        expect(loser.code).toBe('tenant-collision');
        expect(loser.message).toMatch(
          new RegExp(`^${name} was created by ${winner} \\(${winner.toLowerCase()}@race\\.test\\) on .* at \\d{4}-`),
        );
      }
      await expectAgreement();
      console.log(
        `[registry-race] round ${round}: Ann won ${fromA.filter((o) => o.ok).length}, Bob won ${fromB.filter((o) => o.ok).length}`,
      );
    });
  }
});

describe('a console killed mid-create while another works on the instance', { timeout: 600_000 }, () => {
  for (const step of ['journal', 'keychain', 'tms', 'record'] as const) {
    it(`killed right after "${step}"`, async () => {
      const victim = `crash${step}${run}`;
      const others = Array.from({ length: 6 }, (_, i) => `busy${step}${run}n${i}`);
      const [crashed, busy] = await Promise.all([
        node(a, [
          'tests/support/crash-after-step.ts',
          step,
          '--data-dir',
          a.dataDir,
          'tenants',
          'create',
          INSTANCE,
          victim,
          '--email',
          'x@race.test',
          '--days',
          '3',
          '--override-reason',
          'race test: capacity is not what it measures',
        ]),
        createMany(b, others),
      ]);
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(busy.every((o) => o.ok)).toBe(true);

      // The other console finds the crashed create in the registry and settles it.
      const bCore = await core(b);
      const found = await bCore.tenants.reconcile();
      const pending = found.findings.filter((f) => f.kind === 'pending-journal');
      expect(pending.map((f) => f.tenant)).toEqual(step === 'record' ? [] : [victim]);
      const repaired = await bCore.tenants.repair('all');
      bCore.registry.close();
      expect(repaired.applied.every((x) => x.ok)).toBe(true);
      expect(repaired.after.findings).toEqual([]);
      // The killed console's keychain may still hold the token it stored: its own reconcile drops it.
      const aCore = await core(a);
      const left = await aCore.tenants.reconcile();
      expect(left.findings.map((f) => f.kind)).toEqual(step === 'keychain' || step === 'tms' ? ['orphan-token'] : []);
      await aCore.tenants.repair('all');
      aCore.registry.close();
      await expectAgreement();
      expect(tms.tenants().has(victim)).toBe(step === 'record');
      for (const t of others) expect(tms.tenants().has(t)).toBe(true);
    });
  }
});
