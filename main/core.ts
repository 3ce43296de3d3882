/**
 * Composition root: every shell (Electron, browser, CLI) builds its services here, from one data
 * folder, so they all read the same config.json and the same keychain entries.
 *
 * To add a service: build it in `createCore` from what is already built (settings, secrets,
 * instances, …) and add it to `Core`. Services take their dependencies through constructors.
 */
import os from 'node:os';
import path from 'node:path';
import type { Instance } from '../shared/instances/instance';
import type { OperatorStamp } from '../shared/team/operator';
import { AuditLog } from './services/audit-log';
import { CapacityService } from './services/capacity';
import { HistoryService, HistoryStore } from './services/history';
import { VersionProbe } from './services/identity';
import { DiscoveryService } from './services/discovery';
import { IndicesService } from './services/indices';
import { OperatorService } from './services/operator';
import { RegistryService, type RegistryBackend } from './services/registry';
import { PlacementService } from './services/placement';
import { adoptUrlCredentials, InstanceService } from './services/instances';
import { KeytarSecretStore, keychainServiceName, type SecretStore } from './services/keychain';
import { openSettingsStore, type SettingsBackendFactory, type SettingsStore } from './services/settings-store';
import { TenantService, type Clipboard } from './services/tenants';
import { createTmsClientFactory, type TmsClientFactory } from './services/tms-client';
import { SystemResolver, type Resolver } from './services/dns';
import { createEsClient } from './services/es-client';
import { TracardiClient } from './services/tracardi-client';
import { connectAddress, resolverWithOverrides, type ResolveRule } from './services/resolve-rules';
import { VerifyService } from './services/verify';
import { FleetReportService } from './services/report';
import { OperatorNotices } from './services/notices';
import { WatchFiles, WatchService, type WatchClock, type WatchTimers } from './services/watch';

export type ShellKind = 'cli' | 'electron' | 'server' | 'test';

export interface CoreOptions {
  /** Data folder; else `TENANT_CONSOLE_DATA_DIR`, else `~/.config/tracardi-tenant-console`. */
  dataDir?: string;
  /** Secret store; default the OS keychain (keytar) under `keychainServiceName(env)`. */
  secrets?: SecretStore;
  /** Environment to read settings from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Which shell builds the core (for services that word things per shell). */
  shell?: ShellKind;
  /** Writer behind the settings file (tests); default conf. */
  settingsBackend?: SettingsBackendFactory;
  /** The workstation clipboard (Electron); without it the tenant service offers no copy. */
  clipboard?: Clipboard;
  /** Name resolution for verification; default the system's DNS (`tenantctl serve --resolve` overrides names). */
  resolver?: Resolver;
  /**
   * `--resolve` rules: verification's DNS answers for the named hosts (unless `resolver` is given)
   * and where its Tracardi requests to those hosts connect.
   */
  resolveRules?: readonly ResolveRule[];
  /**
   * Each instance's registry store (tests of pure lifecycle logic: a shared in-memory one); default
   * the instance's own Elasticsearch.
   */
  registryBackend?: (instance: Instance) => RegistryBackend;
  /** The watch's clock and timers (tests); default the system's. */
  watchClock?: WatchClock;
  watchTimers?: WatchTimers;
}

export interface Core {
  dataDir: string;
  shell: ShellKind;
  settings: SettingsStore;
  secrets: SecretStore;
  /** The keychain service the secrets are kept under (the Settings screen shows it). */
  keychainService: string;
  /** Who is at this console (the stamp on registry changes and audit entries). */
  operator: OperatorService;
  /** The same, as the function services take. */
  stamp: () => OperatorStamp;
  /** The keychain this console holds tokens in (`<os user>@<host>/<service>`), as token holders name it. */
  keychainId: string;
  instances: InstanceService;
  capacity: CapacityService;
  placement: PlacementService;
  /** Capacity history and forecasts (read side; the capacity service records). */
  history: HistoryService;
  tms: TmsClientFactory;
  /** Each instance's team registry: tenant records and the audit trail, in its Elasticsearch. */
  registry: RegistryService;
  audit: AuditLog;
  tenants: TenantService;
  verify: VerifyService;
  discovery: DiscoveryService;
  /** The index browser: an instance's indices for a tenant or a pattern (read-only). */
  indices: IndicesService;
  report: FleetReportService;
  /** The schedule of rounds and the Changes feed; a shell starts it (`core.watch.start()`). */
  watch: WatchService;
  /** Which Tracardi version each instance reports, against its profile. */
  versions: VersionProbe;
  /** Lines for the operator about files the console repaired or set aside (CLI warnings, status bar). */
  notices: OperatorNotices;
}

/** `~/.config/tracardi-tenant-console` (Electron's userData is set to it too). */
export function defaultDataDir(home: string = os.homedir()): string {
  return path.join(home, '.config', 'tracardi-tenant-console');
}

/** Data folder from the option, then `TENANT_CONSOLE_DATA_DIR`, then the default. */
export function resolveDataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option?.trim() || env.TENANT_CONSOLE_DATA_DIR?.trim();
  return path.resolve(chosen || defaultDataDir());
}

/** Build every service. Loads (and if need be migrates or recovers) the settings file now. */
export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir(options.dataDir, env);
  const settings = openSettingsStore(dataDir, options.settingsBackend ? { backend: options.settingsBackend } : {});
  // keytar itself is loaded on the first secret operation, so settings-only commands work without it.
  const keychainService = keychainServiceName(env);
  const secrets = options.secrets ?? new KeytarSecretStore(keychainService);
  const operator = new OperatorService(settings);
  const stamp = () => operator.stamp();
  const keychainId = operator.keychainId(keychainServiceName(env));
  // Every successful snapshot (UI, CLI, a watch schedule) feeds the history through the capacity
  // service; removing an instance forgets its history.
  const notices = new OperatorNotices();
  const notify = (line: string) => notices.report(line);
  const historyStore = new HistoryStore({ dir: path.join(dataDir, 'history'), report: notify });
  const history = new HistoryService({ store: historyStore });
  // Removing an instance from this console forgets its history and its registry cache (the team's
  // record stays on the instance).
  const late0: { registry?: RegistryService } = {};
  const instances = new InstanceService(settings, secrets, async (id) => {
    late0.registry?.forget(id);
    await history.remove(id);
  });
  const watchFiles = new WatchFiles(dataDir, { report: notify });
  const registry = new RegistryService({
    dataDir,
    instances,
    operator: stamp,
    ...(options.registryBackend ? { backendFor: options.registryBackend } : {}),
  });
  late0.registry = registry;
  const capacity = new CapacityService({ instances, history: historyStore });
  const placement = new PlacementService({ instances, capacity, forecasts: history });
  const tms = createTmsClientFactory({ instances });
  const audit = new AuditLog({ dataDir, operator: stamp });
  // Entries about an instance go to its team audit trail (a hash chain in its registry).
  audit.attachTeam(registry.teamAudit(async () => (await instances.list()).map((s) => s.instance.id)));
  // An older config.json may have held passwords in URLs: the store already wrote it without them;
  // here, with the keychain at hand, they move there (or the operator is told to enter them again).
  const urlCredentials = settings.takeUrlCredentials();
  if (urlCredentials.length > 0) {
    for (const line of await adoptUrlCredentials({ settings, secrets, audit }, urlCredentials)) settings.report(line);
  }
  const esClientFactory = async (instance: Parameters<typeof createEsClient>[0]) =>
    createEsClient(instance, await instances.resolveSecrets(instance.id));
  const rules = options.resolveRules ?? [];
  // One Tracardi client for discovery and verification; `--resolve` rules route its connections.
  const tracardi = new TracardiClient(
    rules.length > 0 ? { connectTo: (host, port) => connectAddress(rules, host, port) } : {},
  );
  // Which Tracardi each instance reports: `instances test`, the instance screens and create ask it.
  const versions = new VersionProbe(tracardi);
  // Discovery reads the records and adoption reads discovery: the tenant service reaches it late.
  const late: { discovery?: DiscoveryService } = {};
  const tenants = new TenantService({
    settings,
    secrets,
    registry,
    stamp,
    keychainId,
    // Another operator's changes, seen by any sync of a registry, go to the Changes feed.
    teamChanges: (drafts) => void watchFiles.append(drafts),
    instances,
    capacity,
    tms,
    audit,
    discovery: { discoverTenant: (instance, tenant) => late.discovery!.discoverTenant(instance, tenant) },
    versions,
    ...(options.clipboard ? { clipboard: options.clipboard } : {}),
  });
  const discovery = new DiscoveryService({ instances, records: tenants, esClientFactory, tms, tracardi });
  late.discovery = discovery;
  const indices = new IndicesService({ instances, esClientFactory });
  const verify = new VerifyService({
    instances,
    tenants,
    esClientFactory,
    resolver: options.resolver ?? (rules.length > 0 ? resolverWithOverrides(rules) : new SystemResolver()),
    tracardi,
    audit,
    tokens: secrets,
  });
  const report = new FleetReportService({ tenants, instances, secrets, audit, keychainId });
  const watch = new WatchService({
    files: watchFiles,
    round: { instances, verify, capacity, history },
    settings,
    audit,
    clock: options.watchClock ?? { now: () => Date.now() },
    // Unref'd: a pending round never holds a process open (the window or the server does).
    timers: options.watchTimers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  });
  return {
    dataDir,
    shell: options.shell ?? 'cli',
    settings,
    secrets,
    keychainService,
    operator,
    stamp,
    keychainId,
    instances,
    capacity,
    placement,
    history,
    tms,
    registry,
    audit,
    tenants,
    verify,
    discovery,
    indices,
    report,
    watch,
    versions,
    notices,
  };
}

/**
 * Load what the first screen asks for while the window or the browser is still loading the
 * renderer: the settings view (deep-frozen once) and the tenant list's rows, parsed and cached.
 * With 10,000 tenants that is some 0.15 s of work that would otherwise sit between the renderer's
 * first call and its first render (bench/ui.ts, first load). Touches neither the keychain nor the
 * network; a failure is left for the call that needs the data to report.
 */
export async function warmUp(core: Pick<Core, 'settings' | 'tenants'>): Promise<void> {
  // Yield first, so the shell answers its first requests (the page, the bundle) before this work.
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    core.settings.read();
  } catch {
    return;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  await core.tenants.rows({ cachedOnly: true }).catch(() => undefined);
}
