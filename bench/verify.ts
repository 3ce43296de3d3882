/**
 * Fleet verification cost: 1,000 tenants on two simulated Tracardi instances (0.9.x and 0.8.x, each
 * with its simulated TMS, over real Elasticsearch), verified with the real services (InstanceService,
 * TenantService over a settings file in a temp folder, VerifyService). Prints the wall time next to
 * the ideal `ceil(tenants / concurrency) × one probe round trip` measured in the same run, their
 * ratio, and the Elasticsearch requests the run sent (counted by the service and on the wire).
 *
 *   npx tsx bench/verify.ts                                  # starts a throw-away cluster
 *   TEST_ES_URL=http://127.0.0.1:9200 [TEST_ES_URL_2=...] npx tsx bench/verify.ts   # or uses yours
 *
 * The loopback simulators as they are, and with BENCH_LATENCY_MS=<ms> a second scenario with that
 * emulated network latency on every Tracardi request (a remote instance); the verdicts of the
 * scenarios are printed side by side at the end. Each also runs the same probes through a bare pool
 * (no service), which shows what the machine itself allows: on loopback the probe is CPU work of the
 * simulator and its Elasticsearch, which concurrency cannot multiply.
 *
 * A probe is what the service sends for one tenant: DNS, GET /install with the tenant's Host and, on
 * the multi-tenant 0.9 instance (whose identity names the Host's tenant), GET /info/version/details
 * alongside it; the 0.8.x instance is asked who it is once per run.
 *
 * Knobs: BENCH_TENANTS (1000), BENCH_CONCURRENCY (16), BENCH_INSTALLS_09 (10), BENCH_INSTALLS_08 (2).
 * Targets: ratio within 2×; one listing (3 requests) per instance whatever the tenant count; identity
 * requests: one per instance where the answer ignores the Host (0.8.x), one per tenant on 0.9.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instance } from '../shared/instances/instance';
import { VERIFY_STATUSES, type TenantRecord } from '../shared/tenants/tenant';
import { AuditLog } from '../main/services/audit-log';
import { MapResolver } from '../main/services/dns';
import { createEsClient } from '../main/services/es-client';
import { InstanceService } from '../main/services/instances';
import { InMemorySecretStore } from '../main/services/keychain';
import { openSettingsStore } from '../main/services/settings-store';
import { RegistryService } from '../main/services/registry';
import { TenantService } from '../main/services/tenants';
import { TracardiClient, requestWithHost } from '../main/services/tracardi-client';
import { VerifyService } from '../main/services/verify';
import { startElasticsearch, type RunningElasticsearch } from '../tests/support/elasticsearch';
import { startTms, startTracardi, type TmsSimulator, type TracardiSimulator } from '../tests/simulator';
import { startCountingProxy, type CountingProxy } from '../tests/support/counting-proxy';
import { cleanupTenant } from '../tests/support/verify-fixtures';
import { removeRegistryScope, seedRegistry } from '../tests/support/registry-seed';

const TENANTS = intEnv('BENCH_TENANTS', 1000);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 16);
const INSTALLS = { '0.9.x': intEnv('BENCH_INSTALLS_09', 10), '0.8.x': intEnv('BENCH_INSTALLS_08', 2) } as const;
const PROBE_SAMPLES = 9;
/** Emulated network latencies to run the fleet under: loopback, plus BENCH_LATENCY_MS when set. */
const LATENCIES = [0, ...(intEnv('BENCH_LATENCY_MS', 0) > 0 ? [intEnv('BENCH_LATENCY_MS', 0)] : [])];
const REQUEST_TIMEOUT_MS = 5000;
const TMS_KEY = 'bench-tms-key';
const PASSWORD = 'bench-password-1';

function intEnv(name: string, fallback: number): number {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Letters-only tenant names (digits would draw a derivation warning): `<prefix>aaa`, `<prefix>aab`, … */
function tenantName(prefix: string, i: number): string {
  const a = (n: number) => String.fromCharCode(97 + n);
  return `${prefix}${a(Math.floor(i / 676) % 26)}${a(Math.floor(i / 26) % 26)}${a(i % 26)}`;
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface SimInstance {
  id: string;
  version: '0.9.x' | '0.8.x';
  esUrl: string;
  suffix: string;
  address: string;
  prefix: string;
  tms?: TmsSimulator;
  sim?: TracardiSimulator;
  proxy?: CountingProxy;
  instance?: Instance;
  tenants: string[];
  tokens: Map<string, string>;
  installed: string[];
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await run(cleanups);
  } finally {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error(`cleanup: ${String(err)}`));
  }
}

async function run(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  let started: RunningElasticsearch | undefined;
  let esA = process.env.TEST_ES_URL?.replace(/\/+$/, '');
  let esB = process.env.TEST_ES_URL_2?.replace(/\/+$/, '') ?? esA;
  const esNote = esA ? (esB !== esA ? `${esA} and ${esB} (external)` : `${esA} (external, both instances)`) : '';
  if (!esA) {
    process.stderr.write('starting a throw-away Elasticsearch cluster…\n');
    started = await startElasticsearch({ name: 'bench-verify' });
    cleanups.push(() => started!.stop());
    esA = esB = started.url;
  }
  const perInstance = Math.ceil(TENANTS / 2);
  const sims: SimInstance[] = [
    {
      id: 'bench-a',
      version: '0.9.x',
      esUrl: esA,
      suffix: 'a.bench.test',
      address: '10.1.0.1',
      prefix: 'vba',
      tenants: [],
      tokens: new Map(),
      installed: [],
    },
    {
      id: 'bench-b',
      version: '0.8.x',
      esUrl: esB!,
      suffix: 'b.bench.test',
      address: '10.2.0.1',
      prefix: 'vbb',
      tenants: [],
      tokens: new Map(),
      installed: [],
    },
  ];
  sims[1]!.tenants = Array.from({ length: TENANTS - perInstance }, (_, i) => tenantName('vbb', i));
  sims[0]!.tenants = Array.from({ length: perInstance }, (_, i) => tenantName('vba', i));

  const dataDir = await mkdtemp(join(tmpdir(), 'bench-verify-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const settings = openSettingsStore(dataDir);
  const secrets = new InMemorySecretStore();
  const instances = new InstanceService(settings, secrets);
  const audit = new AuditLog({ dataDir });

  for (const s of sims) {
    s.tms = await startTms({ apiKey: TMS_KEY });
    cleanups.push(() => s.tms!.stop());
    s.sim = await startTracardi({ version: s.version, esUrl: s.esUrl, tmsUrl: s.tms.url, tmsApiKey: TMS_KEY });
    cleanups.push(() => s.sim!.stop());
    s.proxy = await startCountingProxy(s.esUrl);
    cleanups.push(() => s.proxy!.stop());
    const details = await instances.add({
      id: s.id,
      name: s.id,
      environment: 'test',
      apiUrl: s.sim.url,
      tenantDomainSuffix: s.suffix,
      tracardiVersion: s.version,
      tmsUrl: s.tms.url,
      es: { nodes: [s.proxy.url] },
      expectedAddresses: [s.address],
    });
    s.instance = details.instance;
  }

  // Register every tenant in its instance's TMS (its HTTP API) and as a console record.
  process.stderr.write(`registering ${TENANTS} tenants in the simulated TMSs…\n`);
  const now = new Date();
  const records: TenantRecord[] = [];
  for (const s of sims) {
    const access = ((await (await fetch(`${s.tms!.url}/api-key/${TMS_KEY}`)).json()) as { access_token: string })
      .access_token;
    const expire = new Date(now.getTime() + 30 * 86_400_000).toISOString();
    await mapLimit(s.tenants, 16, async (name) => {
      const token = `bench-token-${name}`;
      s.tokens.set(name, token);
      const res = await fetch(`${s.tms!.url}/tenant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
        body: JSON.stringify({
          id: name,
          created: now.toISOString(),
          name,
          install_token: token,
          email: `ops@${name}.test`,
          expire,
        }),
      });
      if (res.status !== 200) throw new Error(`TMS POST /tenant ${name}: HTTP ${res.status}`);
    });
    for (const name of s.tenants) {
      const apiDomain = `${name}.${s.suffix}`;
      const guiDomain = `${name}-gui.${s.suffix}`;
      records.push({
        instanceId: s.id,
        tenant: name,
        apiDomain,
        apiUrl: `https://${apiDomain}`,
        guiDomain,
        guiUrl: `https://${guiDomain}`,
        email: `ops@${name}.test`,
        createdAt: now.toISOString(),
        tokenExpiresAt: expire,
        state: 'handed-over',
        handedOverAt: now.toISOString(),
        warnings: [],
      });
    }
  }
  // Into each instance's team registry, in bulk (the bench measures verification, not creation).
  for (const s of sims)
    await seedRegistry(
      s.esUrl,
      s.suffix,
      records.filter((r) => r.instanceId === s.id),
    );
  cleanups.push(() => Promise.all(sims.map((s) => removeRegistryScope(s.esUrl, s.suffix))));

  // Install a few tenants for real (each creates real indices, aliases and templates).
  for (const s of sims) {
    const picked = s.tenants.slice(0, INSTALLS[s.version]);
    process.stderr.write(`installing ${picked.length} tenants on ${s.id} (Tracardi ${s.version})…\n`);
    cleanups.push(() => Promise.all(picked.map((t) => cleanupTenant(s.esUrl, t))));
    await mapLimit(picked, 5, async (name) => {
      // An install is idempotent: retry when the simulator's Elasticsearch was too busy (5xx).
      for (let attempt = 1; ; attempt++) {
        const res = await requestWithHost(
          { apiUrl: s.sim!.url, tenantHost: `${name}.${s.suffix}` },
          {
            method: 'POST',
            path: '/install',
            body: {
              username: `admin@${name}.test`,
              password: PASSWORD,
              token: s.tokens.get(name),
              needs_admin: true,
              update_mapping: false,
            },
            timeoutMs: 600_000,
          },
        );
        if (res.status === 200) break;
        if (res.status < 500 || attempt === 3) {
          throw new Error(`install ${name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        }
        process.stderr.write(`install ${name}: HTTP ${res.status}, retrying\n`);
      }
      s.installed.push(name);
    });
  }

  const resolver = new MapResolver(Object.fromEntries(sims.map((s) => [`*.${s.suffix}`, [s.address]])));
  const tracardi = new TracardiClient({ timeoutMs: REQUEST_TIMEOUT_MS });
  cleanups.push(async () => tracardi.close());
  const stamp = () => ({ name: 'Bench', workstation: 'bench-host' });
  const registry = new RegistryService({ dataDir, instances, operator: stamp });
  cleanups.push(async () => registry.close());
  const tenants = new TenantService({
    registry,
    stamp,
    keychainId: 'bench@bench-host/bench',
    settings,
    secrets,
    instances,
    capacity: { snapshot: async () => Promise.reject(new Error('not used by the bench')) },
    tms: async () => Promise.reject(new Error('not used by the bench')),
    audit,
  });
  const service = new VerifyService({
    instances,
    tenants,
    esClientFactory: (i) => createEsClient(i, {}),
    resolver,
    tracardi,
    audit,
    concurrency: CONCURRENCY,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });

  const header = [
    'Fleet verification (bench/verify.ts)',
    `  Elasticsearch        ${esNote || `${esA} (throw-away single node started by the bench, both instances)`}`,
    `  instances            ${sims.map((s) => `${s.id} (Tracardi ${s.version}, simulated, ${s.tenants.length} tenants)`).join(', ')}`,
    `  tenants              ${TENANTS}, all registered in the simulated TMSs; installed for real: ${sims.map((s) => `${s.installed.length} on ${s.id}`).join(', ')}`,
    `                       (the rest are registered only: every install creates real indices, aliases and templates)`,
    `  concurrency          ${CONCURRENCY}, per-request timeout ${REQUEST_TIMEOUT_MS} ms, ${cpus().length} CPU cores, load average ${loadavg()[0]!.toFixed(1)} at start`,
  ];
  console.log(header.join('\n'));

  const all = sims.flatMap((s) => s.tenants.map((t) => ({ s, t })));
  // One probe, as the service makes it for a tenant: DNS through the resolver, then GET /install
  // with the tenant's Host and, on the 0.9 instance, GET /info/version/details beside it.
  const probe = async ({ s, t }: { s: SimInstance; t: string }): Promise<number> => {
    const begin = performance.now();
    await resolver.resolve(`${t}.${s.suffix}`);
    const target = { apiUrl: s.sim!.url, tenantHost: `${t}.${s.suffix}` };
    const [answer, identity] = await Promise.all([
      tracardi.getInstall(target),
      s.version === '0.9.x'
        ? tracardi.getVersionDetails(target).then(
            () => null,
            (e: Error) => e.message,
          )
        : null,
    ]);
    // Counted, not thrown: on a loaded machine a probe can time out, as it can in the service.
    if (answer.outcome === 'could-not-tell' || identity !== null)
      failedProbes.push(`${t}: ${answer.error ?? identity}`);
    return performance.now() - begin;
  };
  const failedProbes: string[] = [];
  const verdicts: string[][] = [];

  for (const latencyMs of LATENCIES) {
    // Emulated network latency: the simulators answer every request `latencyMs` later, as a remote
    // instance would; 0 is the bare loopback simulator.
    for (const s of sims) s.sim!.setFault(latencyMs > 0 ? { kind: 'delay', ms: latencyMs } : null);

    // A mix of installed and registered tenants on both instances; warm-up first (connections, JIT, ES caches).
    const sample = sims.flatMap((s) => [...s.installed.slice(0, 2), ...s.tenants.slice(-3)].map((t) => ({ s, t })));
    for (const x of sample) await probe(x);
    const probeTimes: number[] = [];
    for (let i = 0; i < PROBE_SAMPLES; i++) probeTimes.push(await probe(sample[i % sample.length]!));
    const probeMs = median(probeTimes);

    // The same probes through a bare pool (no service): what this machine and the simulators allow.
    failedProbes.length = 0;
    let begin = performance.now();
    await mapLimit(all, CONCURRENCY, async (x) => void (await probe(x)));
    const bareMs = performance.now() - begin;
    const bareFailed = failedProbes.length;

    const wireBefore = sims.reduce((n, s) => n + s.proxy!.count(), 0);
    let lastShown = 0;
    const runStart = new Date().toISOString();
    begin = performance.now();
    const { results, stats } = await service.verify(
      { fleet: true },
      {
        onProgress: ({ done, total }) => {
          if (done - lastShown >= 250 || done === total) {
            process.stderr.write(`verified ${done}/${total}\n`);
            lastShown = done;
          }
        },
      },
    );
    const wallMs = performance.now() - begin;
    const wire = sims.reduce((n, s) => n + s.proxy!.count(), 0) - wireBefore;
    const rounds = Math.ceil(results.length / CONCURRENCY);
    const idealMs = rounds * probeMs;
    const ratio = wallMs / idealMs;
    const counts = VERIFY_STATUSES.filter((st) => stats.byStatus[st] > 0).map((st) => `${st} ${stats.byStatus[st]}`);
    // Identity: once for the instance whose answer ignores the Host (0.8.x), once per tenant on 0.9.
    const identityBound = Object.fromEntries(
      sims.map((s) => [s.id, s.version === '0.9.x' ? results.filter((r) => r.instanceId === s.id).length : 1]),
    );
    const identityMet = sims.every((s) => stats.identityRequestsByInstance[s.id] === identityBound[s.id]);
    const wrongInstance = results.filter((r) => r.evidence.identity?.outcome !== 'match').length;
    const scenario = latencyMs > 0 ? `${latencyMs} ms latency` : 'loopback';
    verdicts.push([
      scenario,
      `${wallMs.toFixed(0)} ms`,
      `${ratio.toFixed(2)}x ${ratio <= 2 ? 'met' : 'NOT met'}`,
      `${stats.esRequests} ${stats.esRequests === 3 * sims.length && wire === stats.esRequests ? 'met' : 'NOT met'}`,
      `${stats.identityRequests} ${identityMet ? 'met' : 'NOT met'}`,
    ]);
    const stored = (await tenants.list()).filter(
      (r) => ((r.lastVerification as { checkedAt?: string } | undefined)?.checkedAt ?? '') >= runStart,
    ).length;
    const lines = [
      '',
      latencyMs > 0
        ? `Scenario: ${latencyMs} ms emulated network latency on every Tracardi request (a remote instance)`
        : 'Scenario: loopback simulators, no added latency (probe cost = simulator + its Elasticsearch requests, same cores)',
      `  probe round trip     ${probeMs.toFixed(1)} ms (median of ${PROBE_SAMPLES} single probes: DNS via the resolver + GET /install with the tenant's Host, + GET /info/version/details beside it on 0.9; min ${Math.min(...probeTimes).toFixed(1)}, max ${Math.max(...probeTimes).toFixed(1)})`,
      `  ideal                ceil(${results.length} / ${CONCURRENCY}) x ${probeMs.toFixed(1)} ms = ${rounds} x ${probeMs.toFixed(1)} ms = ${idealMs.toFixed(0)} ms`,
      `  fleet wall time      ${wallMs.toFixed(0)} ms`,
      `  ratio                ${ratio.toFixed(2)}x the ideal (target: within 2x) -> ${ratio <= 2 ? 'met' : 'NOT met'}`,
      `  bare probe pool      ${bareMs.toFixed(0)} ms for the same ${all.length} probes at concurrency ${CONCURRENCY}, no service: the service takes ${(wallMs / bareMs).toFixed(2)}x that${bareFailed ? ` (${bareFailed} bare probes failed, e.g. ${failedProbes[0]})` : ''}`,
      `  ES requests          ${stats.esRequests} (${Object.entries(stats.esRequestsByInstance)
        .map(([id, n]) => `${id} ${n}`)
        .join(
          ', ',
        )}); on the wire ${wire} (target: one listing = 3 requests per instance) -> ${stats.esRequests === 3 * sims.length && wire === stats.esRequests ? 'met' : 'NOT met'}`,
      `  identity requests    ${stats.identityRequests} (${sims
        .map((s) => `${s.id} ${stats.identityRequestsByInstance[s.id] ?? 0} of bound ${identityBound[s.id]}`)
        .join(
          ', ',
        )}: one per instance where the answer ignores the Host, one per tenant on 0.9) -> ${identityMet ? 'met' : 'NOT met'}; identity not matching: ${wrongInstance}`,
      `  statuses             ${counts.join(', ')}`,
      `  results stored       ${stored} of ${results.length} records carry this run's result (${stats.recordFailures.length} failures)`,
    ];
    console.log(lines.join('\n'));
  }
  for (const s of sims) s.sim!.setFault(null);
  if (verdicts.length > 1) {
    const head = ['scenario', 'wall time', 'ratio (<= 2x)', 'ES requests (6)', 'identity requests'];
    const widths = head.map((h, i) => Math.max(h.length, ...verdicts.map((v) => v[i]!.length)));
    const row = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`;
    console.log(['', 'Verdicts side by side', row(head), ...verdicts.map(row)].join('\n'));
  }
}

await main();
