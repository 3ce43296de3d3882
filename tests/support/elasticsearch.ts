// Real Elasticsearch for tests: the 8.19 "integ-test-zip" distribution fetched with Maven, unpacked
// once into <repo>/.cache, and started as throw-away single-node clusters on free loopback ports.
//
// Facts this file is built on (see docs/testing.md):
// - the zip has no bundled JDK: ES_JAVA_HOME comes from the env or from `java` on PATH (Java 17+);
// - Elasticsearch refuses to run as root: as root, clusters run as the system user `tracardi-es`;
// - the zip contains x-pack-security, which auto-configures TLS on first start unless disabled;
//   with `security`, it is on with the caller's certificates and `elastic`'s bootstrap password;
// - clusters sharing one config dir race on the keystore: every cluster gets its own config copy.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requestJson, withRootEndpoint, type ClusterAccess, type NodeStopped, type RawCluster } from './root-endpoint';

export type { NodeStopped } from './root-endpoint';

// The proxies of the tests forward with it (it lived here before the shim had a file of its own).
export { forwardRequest } from './root-endpoint';

const execFileAsync = promisify(execFile);

export const ES_VERSION = '8.19.21';
const ES_ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
const ES_USER = 'tracardi-es';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE_DIR = join(REPO_ROOT, '.cache', 'elasticsearch');
// 120 s unless TEST_ES_START_TIMEOUT_MS says otherwise (a loaded 2-core machine can need more).
const HEALTH_TIMEOUT_MS = Number(process.env.TEST_ES_START_TIMEOUT_MS) || 120_000;
const STOP_GRACE_MS = 10_000;
// A node stopped mid-test (stopNode) gets time to shut down cleanly before it is killed.
const NODE_STOP_GRACE_MS = 60_000;
const LOCK_STALE_MS = 15 * 60_000;

export interface StartElasticsearchOptions {
  /** cluster.name (and node.name); default `tracardi-test-<random>`. */
  name?: string;
  /** JVM heap in MB (-Xms = -Xmx); default 512. */
  heapMb?: number;
  /** Extra `-E key=value` settings; they override the defaults below. */
  settings?: Record<string, string>;
  /**
   * Security on (x-pack-security: authentication, TLS on HTTP) instead of off: the node presents
   * `certPem` (its certificate, then the CA, so clients can pin the CA by fingerprint) with `keyPem`,
   * and `elastic`'s password is `elasticPassword` (the keystore's `bootstrap.password`).
   */
  security?: ClusterSecurity;
  /**
   * The home the cluster runs from, made from the distribution's (e.g. a copy with a plugin:
   * secured-home.ts); called once per distribution directory and process, and must be idempotent.
   */
  home?: (distribution: string) => Promise<string>;
}

/** PEM texts and the `elastic` password of a cluster with security on (secured-elasticsearch.ts makes them). */
export interface ClusterSecurity {
  caPem: string;
  keyPem: string;
  certPem: string;
  elasticPassword: string;
}

export interface RunningElasticsearch {
  /**
   * `http://127.0.0.1:<port>`, security disabled: the root-endpoint shim in front of the cluster
   * (adds `GET /` and `HEAD /`, which the integ-test distribution lacks; everything else is forwarded).
   * With `security`: `https://`, the shim presenting the node's certificate and checking credentials.
   */
  url: string;
  /** The cluster itself, without the shim. */
  directUrl: string;
  /** cluster.name */
  name: string;
  /** Kills the process group (TERM, then KILL after 10 s) and removes the cluster's temp dirs. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the node as an operator would: SIGTERM to its process group, waited for (KILL only after
   * 60 s); its data, config and ports are kept, and the shim stops listening too (its port refuses
   * connections, as a stopped node's does). Resolves with how it ended and how long that took.
   */
  stopNode(): Promise<NodeStopped>;
  /** Starts the stopped node again on the same ports with the same data; resolves once it is healthy. */
  startNode(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Distribution
// ---------------------------------------------------------------------------------------------

let distributionPromise: Promise<string> | undefined;

/**
 * Fetches the ES distribution into the Maven cache (~/.m2, so a second fetch is instant) and unzips
 * it once into `<repo>/.cache/elasticsearch/elasticsearch-<version>`. Safe when several processes
 * call it at once: a lock dir serialises the download, and the unzip lands in a temp dir that is
 * renamed into place (the loser of a rename race just uses the winner's copy).
 */
export function ensureElasticsearchDistribution(): Promise<string> {
  distributionPromise ??= ensureUnpacked(CACHE_DIR).catch((err: unknown) => {
    distributionPromise = undefined;
    throw err;
  });
  return distributionPromise;
}

async function ensureUnpacked(cacheDir: string): Promise<string> {
  const home = join(cacheDir, `elasticsearch-${ES_VERSION}`);
  if (isUnpacked(home)) return home;
  await mkdir(cacheDir, { recursive: true });
  const release = await acquireLock(join(cacheDir, '.lock'), () => isUnpacked(home));
  try {
    if (isUnpacked(home)) return home;
    const work = await mkdtemp(join(cacheDir, '.unpack-'));
    try {
      const zip = await fetchZip(work);
      await execFileAsync('unzip', ['-q', zip, '-d', join(work, 'out')], { maxBuffer: 16 * 1024 * 1024 }).catch(
        (err: unknown) => {
          throw new Error(
            `unzip of ${zip} failed (is the unzip command installed? run scripts/setup.sh): ${errText(err)}`,
          );
        },
      );
      const unpacked = join(work, 'out', `elasticsearch-${ES_VERSION}`);
      if (!isUnpacked(unpacked))
        throw new Error(`${zip} did not contain elasticsearch-${ES_VERSION}/bin/elasticsearch`);
      try {
        await rename(unpacked, home);
      } catch (err) {
        // Another process won the race: fine as long as its copy is complete.
        if (!isUnpacked(home)) throw err;
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return home;
  } finally {
    await release();
  }
}

function isUnpacked(home: string): boolean {
  return existsSync(join(home, 'bin', 'elasticsearch')) && existsSync(join(home, 'lib'));
}

async function fetchZip(workDir: string): Promise<string> {
  const outDir = join(workDir, 'download');
  await mkdir(outDir, { recursive: true });
  try {
    await execFileAsync(
      'mvn',
      ['-q', '-B', 'dependency:copy', `-Dartifact=${ES_ARTIFACT}`, `-DoutputDirectory=${outDir}`],
      { cwd: workDir, maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 },
    );
  } catch (err) {
    throw new Error(`mvn could not fetch ${ES_ARTIFACT} (is maven installed? run scripts/setup.sh): ${errText(err)}`);
  }
  const zip = (await readdir(outDir)).find((f) => f.endsWith('.zip'));
  if (!zip) throw new Error(`mvn dependency:copy left no zip in ${outDir}`);
  return join(outDir, zip);
}

/** mkdir-based lock; waits while another process holds it, steals it when stale. */
export async function acquireLock(lockDir: string, done: () => boolean): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(lockDir);
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (done()) return async () => {};
    const age = await stat(lockDir).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > LOCK_STALE_MS) await rm(lockDir, { recursive: true, force: true });
    else await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Clusters
// ---------------------------------------------------------------------------------------------

interface Tracked {
  pgid: number;
  dir: string;
  watchdogPid: number | undefined;
}

const running = new Map<string, Tracked>();
let handlersInstalled = false;

/**
 * Starts a fresh single-node cluster: free loopback ports, fresh temp dir (config copy, data, logs),
 * security disabled (or on, with `security`). Resolves once `GET /_cluster/health` answers green/yellow (up to 120 s, or
 * TEST_ES_START_TIMEOUT_MS); on
 * failure it throws with the tail of the ES output. The cluster is also killed if this process exits
 * (exit/signal handlers, plus a watchdog process that covers SIGKILL of this process).
 */
export async function startElasticsearch(opts: StartElasticsearchOptions = {}): Promise<RunningElasticsearch> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const access = accessOf(opts.security);
      return await withRootEndpoint(await startOnce(opts, access), access);
    } catch (err) {
      lastError = err;
      // Another process grabbed one of our "free" ports between probe and bind: try new ports.
      if (!(err instanceof PortInUseError)) throw err;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

function accessOf(security: ClusterSecurity | undefined): ClusterAccess {
  if (security === undefined) return {};
  return {
    ca: security.caPem,
    authorization: `Basic ${Buffer.from(`elastic:${security.elasticPassword}`).toString('base64')}`,
    serverTls: { key: security.keyPem, cert: security.certPem },
  };
}

/** Security on: the node's HTTP certificate in its config dir, TLS on HTTP, `elastic`'s bootstrap password. */
async function secure(
  security: ClusterSecurity,
  confDir: string,
  env: Record<string, string>,
  esHome: string,
): Promise<Record<string, string>> {
  mkdirSync(join(confDir, 'certs'));
  writeFileSync(join(confDir, 'certs', 'http.key'), security.keyPem, { mode: 0o600 });
  writeFileSync(join(confDir, 'certs', 'http.crt'), security.certPem);
  writeFileSync(join(confDir, 'certs', 'ca.crt'), security.caPem);
  // bootstrap.password is `elastic`'s password until one is set through the API (never, here).
  // -f creates the keystore (the config copy has none) and asks nothing.
  await new Promise<void>((ok, fail) => {
    const tool = spawn(join(esHome, 'bin', 'elasticsearch-keystore'), ['add', '-x', '-f', 'bootstrap.password'], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    tool.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    tool.on('error', fail);
    tool.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`elasticsearch-keystore add bootstrap.password: exit ${code}: ${stderr}`)),
    );
    tool.stdin.end(security.elasticPassword);
  });
  return {
    'xpack.security.enabled': 'true',
    'xpack.security.http.ssl.enabled': 'true',
    'xpack.security.http.ssl.key': 'certs/http.key',
    'xpack.security.http.ssl.certificate': 'certs/http.crt',
    'xpack.security.http.ssl.certificate_authorities': 'certs/ca.crt',
    // One node: no transport peers to authenticate (a loopback-bound node runs without the production checks).
    'xpack.security.transport.ssl.enabled': 'false',
  };
}

async function startOnce(opts: StartElasticsearchOptions, access: ClusterAccess): Promise<RawCluster> {
  const esHome = await runnableHome(opts.home);
  const name = opts.name ?? `tracardi-test-${randomBytes(4).toString('hex')}`;
  const heapMb = opts.heapMb ?? 512;
  const [httpPort, transportPort] = await freePorts(2);

  const dir = await mkdtemp(join(tmpdir(), `tracardi-es-${name.replace(/[^\w.-]/g, '-')}-`));
  const confDir = join(dir, 'config');
  const dataDir = join(dir, 'data');
  const logsDir = join(dir, 'logs');
  const tmpDir = join(dir, 'tmp');
  cpSync(join(esHome, 'config'), confDir, { recursive: true });
  for (const d of [dataDir, logsDir, tmpDir]) mkdirSync(d);
  const consoleLog = join(dir, 'console.log');

  const settings: Record<string, string> = {
    'cluster.name': name,
    'node.name': name,
    'http.port': String(httpPort),
    'transport.port': String(transportPort),
    'discovery.type': 'single-node',
    'network.host': '127.0.0.1',
    'path.data': dataDir,
    'path.logs': logsDir,
    'xpack.security.enabled': 'false',
    ...opts.settings,
  };
  const env: Record<string, string> = {
    ES_JAVA_HOME: javaHome(),
    ES_PATH_CONF: confDir,
    ES_TMPDIR: tmpDir,
    ES_JAVA_OPTS: `-Xms${heapMb}m -Xmx${heapMb}m`,
  };
  if (opts.security !== undefined) {
    try {
      Object.assign(settings, await secure(opts.security, confDir, env, esHome), opts.settings);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const esArgs = Object.entries(settings).flatMap(([k, v]) => ['-E', `${k}=${v}`]);
  const bin = join(esHome, 'bin', 'elasticsearch');

  let command: string;
  let args: string[];
  if (process.getuid?.() === 0) {
    ensureEsUser();
    execFileSync('chown', ['-R', `${ES_USER}:`, dir]);
    command = 'runuser';
    args = ['-u', ES_USER, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), bin, ...esArgs];
  } else {
    command = bin;
    args = esArgs;
  }

  installExitHandlers();
  const tracked: Tracked = { pgid: 0, dir, watchdogPid: undefined };
  let id = '';
  let exited: string | undefined;
  // One run of the node (the first start, and each startNode): its own process group and watchdog.
  const spawnNode = (): void => {
    const out = openSync(consoleLog, 'a');
    const child = spawn(command, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      detached: true, // own process group: stop() kills runuser, the CLI launcher and the server JVM together
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
    child.unref();
    exited = undefined;
    child.on('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
    child.on('error', (err) => (exited = `spawn error ${err.message}`));
    // The previous run's watchdog kept the stopped node's dir covered until now.
    if (tracked.watchdogPid) signalQuietly(tracked.watchdogPid, 'SIGKILL');
    running.delete(id);
    tracked.pgid = child.pid;
    tracked.watchdogPid = spawnWatchdog(child.pid, dir);
    id = `${name}:${child.pid}`;
    running.set(id, tracked);
  };
  try {
    spawnNode();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (tracked.watchdogPid) signalQuietly(tracked.watchdogPid, 'SIGKILL');
      await killGroup(tracked.pgid);
      running.delete(id);
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    })());

  const url = `${opts.security ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  const waitHealthy = async (): Promise<string | null> => {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (await healthy(url, access)) return null;
      if (exited !== undefined || Date.now() > deadline) {
        const why =
          exited !== undefined ? `exited early (${exited})` : `not healthy after ${HEALTH_TIMEOUT_MS / 1000} s`;
        return `Elasticsearch ${name} on ${url} ${why}. Last log lines:\n${logTail(consoleLog, join(logsDir, `${name}.log`))}`;
      }
      await sleep(500);
    }
  };
  const stopNode = async (): Promise<NodeStopped> => {
    if (stopping) throw new Error(`Elasticsearch ${name} was stopped for good`);
    const started = Date.now();
    // Still tracked (and its watchdog still running): the dir is removed if this process dies now.
    const signal = await killGroup(tracked.pgid, NODE_STOP_GRACE_MS);
    return { signal, ms: Date.now() - started };
  };
  const startNode = async (): Promise<void> => {
    if (stopping) throw new Error(`Elasticsearch ${name} was stopped for good`);
    if (groupAlive(tracked.pgid)) throw new Error(`Elasticsearch ${name} is still running`);
    spawnNode();
    const failure = await waitHealthy();
    if (failure !== null) {
      await stop();
      throw new Error(failure);
    }
  };

  const failure = await waitHealthy();
  if (failure === null) return { url, name, esHome, stop, stopNode, startNode };
  await stop();
  if (/BindException|Address already in use|failed to bind/i.test(failure)) throw new PortInUseError(failure);
  throw new Error(failure);
}

async function healthy(url: string, access: ClusterAccess): Promise<boolean> {
  try {
    const res = await requestJson(url, '/_cluster/health', { ...access, timeoutMs: 2000 });
    if (res.status !== 200) return false;
    const body = res.body as { status?: string };
    return body.status === 'green' || body.status === 'yellow';
  } catch {
    return false;
  }
}

type HomeDeriver = (distribution: string) => Promise<string>;
const runnableHomes = new Map<HomeDeriver | undefined, Promise<string>>();

/** As root the ES home must be reachable by tracardi-es (a clone under /root is not): else use a copy in /tmp. */
function runnableHome(derive?: HomeDeriver): Promise<string> {
  let found = runnableHomes.get(derive);
  if (found === undefined) {
    const homeFrom = async (distribution: string) => (derive ? derive(distribution) : distribution);
    found = (async () => {
      const home = await homeFrom(await ensureElasticsearchDistribution());
      if (process.getuid?.() !== 0) return home;
      ensureEsUser();
      if (canEsUserRun(home)) return home;
      const shared = await homeFrom(await ensureUnpacked(join(tmpdir(), 'tracardi-es-dist')));
      if (!canEsUserRun(shared))
        throw new Error(`user ${ES_USER} cannot read the Elasticsearch distribution at ${shared}`);
      return shared;
    })().catch((err: unknown) => {
      runnableHomes.delete(derive);
      throw err;
    });
    runnableHomes.set(derive, found);
  }
  return found;
}

function canEsUserRun(home: string): boolean {
  try {
    execFileSync('runuser', ['-u', ES_USER, '--', 'test', '-x', join(home, 'bin', 'elasticsearch')], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

function ensureEsUser(): void {
  if (userExists()) return;
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER], {
      stdio: 'pipe',
    });
  } catch (err) {
    if (!userExists()) throw new Error(`could not create system user ${ES_USER}: ${errText(err)}`);
  }
}

function userExists(): boolean {
  try {
    execFileSync('id', ['-u', ES_USER], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function javaHome(): string {
  if (process.env.ES_JAVA_HOME) return process.env.ES_JAVA_HOME;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'java');
    try {
      if (statSync(candidate).isFile()) return dirname(dirname(realpathSync(candidate)));
    } catch {
      // not here
    }
  }
  throw new Error('no java on PATH (Elasticsearch needs Java 17+; run scripts/setup.sh or set ES_JAVA_HOME)');
}

async function freePorts(count: number): Promise<number[]> {
  // Hold all probe sockets open together so the OS hands out distinct ports.
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((ok, fail) => {
          const s = createServer();
          s.once('error', fail);
          s.listen(0, '127.0.0.1', () => ok(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === 'string') throw new Error('unexpected server address');
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

/** TERM to the group, KILL after `graceMs`; resolves with the signal that ended it once it is gone. */
async function killGroup(pgid: number, graceMs = STOP_GRACE_MS): Promise<'SIGTERM' | 'SIGKILL'> {
  if (!groupAlive(pgid)) return 'SIGTERM';
  signalQuietly(-pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(200);
  if (!groupAlive(pgid)) return 'SIGTERM';
  signalQuietly(-pgid, 'SIGKILL');
  const hardDeadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < hardDeadline) await sleep(100);
  return 'SIGKILL';
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * A detached shell that outlives a SIGKILLed test process: once this process is gone it kills the
 * cluster's process group and removes its dir. stop() kills the watchdog first.
 */
function spawnWatchdog(pgid: number, dir: string): number | undefined {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 2; done; ' +
    'kill -TERM -"$2" 2>/dev/null; sleep 5; kill -KILL -"$2" 2>/dev/null; rm -rf "$3"';
  try {
    const w = spawn('sh', ['-c', script, 'tracardi-es-watchdog', String(process.pid), String(pgid), dir], {
      detached: true,
      stdio: 'ignore',
    });
    w.unref();
    return w.pid;
  } catch {
    return undefined;
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      // If nobody else handles this signal, restore the default behaviour (terminate) and re-raise.
      process.removeListener(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Last-resort cleanup (exit and signal handlers): synchronous SIGKILL of every cluster we started. */
function killAllSync(): void {
  for (const [id, t] of running) {
    signalQuietly(-t.pgid, 'SIGKILL');
    try {
      rmSync(t.dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // files still being written by the dying JVM: the watchdog removes the dir a few seconds later
    }
    running.delete(id);
  }
}

function logTail(...files: string[]): string {
  const parts: string[] = [];
  for (const f of files) {
    try {
      const lines = readFileSync(f, 'utf8').trimEnd().split('\n');
      if (lines.length && lines[0] !== '') parts.push(`--- ${f} ---\n${lines.slice(-40).join('\n')}`);
    } catch {
      // not written yet
    }
  }
  return parts.join('\n') || '(no log output)';
}

function errText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { stderr?: unknown; stdout?: unknown; message?: unknown };
    const out = [e.stderr, e.stdout].filter((x) => typeof x === 'string' && x.trim()).join('\n');
    if (out) return out.trim().split('\n').slice(-20).join('\n');
    if (typeof e.message === 'string') return e.message;
  }
  return String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
