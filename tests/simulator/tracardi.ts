// Simulated Tracardi API (contract sections 1 and 3): tenant from the Host header (multi-tenant) or
// the one global tenant whatever the Host (single-tenant, as the open-source 0.8.2 does), GET/POST
// /install against a real Elasticsearch, /info/version[/details], fault injection. Checked against
// the Tracardi sources (tracardi/config.py, tracardi/domain/version.py, app/api/info_endpoint.py).
import { randomUUID } from 'node:crypto';
import { Es } from './es';
import {
  HttpError,
  missingFields,
  startJsonServer,
  type CallRecord,
  type Fault,
  type SimReply,
  type SimRequest,
} from './http';
import { tenantFromHost, type HostRule, type SimVersion } from './naming';
import {
  TEST_SHARD_DEFAULTS,
  periodsFor,
  profileFor,
  type PartitioningOption,
  type ShardSettings,
  type VersionProfile,
} from './profiles';
import { installTenant, tenantStatus } from './tenant-install';
import { TmsLookup, TmsUnavailableError, type TenantLookup } from './tms-lookup';

export interface TracardiOptions {
  version: SimVersion;
  esUrl: string;
  /** Required when multiTenant (the default). */
  tmsUrl?: string;
  tmsApiKey?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** MULTI_TENANT=yes. Default true. */
  multiTenant?: boolean;
  /** Single-tenant INSTALLATION_TOKEN; default `tracardi`, empty disables the check. */
  installationToken?: string;
  /**
   * TENANT_NAME; default md5(db_version)[:5]. Real Tracardi keeps it in its Version object, so it is
   * the `name` of /info/version/details on every instance, and the one tenant of a single-tenant one.
   */
  tenantName?: string;
  /** Character set kept from the host label; `letters-only` imitates tracardi commit f64b8433. */
  hostRule?: HostRule;
  /** ELASTIC_INDEX_SHARDS / ELASTIC_CONF_INDEX_SHARDS / ELASTIC_INDEX_REPLICAS; default 1 / 1 / 0 (cheap). */
  indexShards?: number;
  confShards?: number;
  replicas?: number;
  /** One period for every type, or *_PARTITIONING env overrides; default: the version's own defaults. */
  partitioning?: PartitioningOption;
  /** Clock for partition names. */
  now?: () => Date;
  /**
   * 0.9's MySQL database (one per instance, shared by its tenants): `created` (default: an instance
   * some tenant was installed on) or `absent`, as on a fresh instance, where GET /install answers
   * every field false with no warning until the first POST /install creates it. 0.8.x has none.
   */
  database?: 'created' | 'absent';
}

/** The state of a 0.9 instance's MySQL database; `down`: its server does not answer. */
export type SimDatabase = 'created' | 'absent' | 'down';

/**
 * What the real 0.9.0-rc5 answers (HTTP 500, `{"detail": ...}`) on GET /install, GET
 * /info/version/details and POST /install while its MariaDB is stopped: SQLAlchemy's text of the
 * pymysql error.
 */
export const MYSQL_DOWN_DETAIL =
  "(pymysql.err.OperationalError) (2003, \"Can't connect to MySQL server on '127.0.0.1'\")\n(Background on this error at: https://sqlalche.me/e/20/e3q8)";

export interface TracardiSimulator {
  url: string;
  port: number;
  profile: VersionProfile;
  /** The instance's global name (TENANT_NAME or the version default): `name` in /info/version/details. */
  name: string;
  /** ApiInstance().id: a uuid4 drawn at process start (not stable across restarts, so no identity). */
  instanceId: string;
  calls: CallRecord[];
  setFault(fault: Fault | null): void;
  /** 0.9 only: create, drop or stop its MySQL database (stopping it keeps what it holds). */
  setDatabase(state: SimDatabase): void;
  /** 0.9: the database's state now (a POST /install creates an absent one); null for 0.8.x. */
  database(): SimDatabase | null;
  stop(): Promise<void>;
}

/** Tracardi refuses admin passwords shorter than this (the contract only says "bad password": our choice). */
export const MIN_PASSWORD_LENGTH = 8;
const KNOWN_PATHS = new Set(['/install', '/info/version', '/info/version/details']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Starts a simulated Tracardi API on 127.0.0.1. */
export async function startTracardi(options: TracardiOptions): Promise<TracardiSimulator> {
  const profile = profileFor(options.version);
  const multiTenant = options.multiTenant ?? true;
  if (multiTenant && (!options.tmsUrl || options.tmsApiKey === undefined)) {
    throw new Error('startTracardi: a multi-tenant instance needs tmsUrl and tmsApiKey');
  }
  const es = new Es(options.esUrl);
  const tms = multiTenant ? new TmsLookup(options.tmsUrl as string, options.tmsApiKey as string) : null;
  const shards: ShardSettings = {
    indexShards: options.indexShards ?? TEST_SHARD_DEFAULTS.indexShards,
    confShards: options.confShards ?? TEST_SHARD_DEFAULTS.confShards,
    replicas: options.replicas ?? TEST_SHARD_DEFAULTS.replicas,
  };
  const installToken = options.installationToken ?? 'tracardi';
  // tracardi/domain/version.py: Version(name=TENANT_NAME) falls back to md5(db_version)[:5].
  const name = options.tenantName ?? profile.defaultTenant;
  const instanceId = randomUUID();
  const locks = new Map<string, Promise<unknown>>();
  if (options.database !== undefined && profile.configurationStore !== 'mysql')
    throw new Error(`startTracardi: Tracardi ${profile.version} keeps no MySQL database`);
  let database: SimDatabase | null = profile.configurationStore === 'mysql' ? (options.database ?? 'created') : null;
  /** Whether the database exists; a 500 with the driver's message while it is down (as 0.9 does). */
  const databaseExists = (): boolean => {
    if (database === 'down') throw new HttpError(500, MYSQL_DOWN_DETAIL);
    return database !== 'absent';
  };

  const tenantOf = (req: SimRequest): string => {
    // Open-source tenant_manager.get_tenant_name_from_scope returns tracardi.version.name: the Host
    // is read for logging only, never for the tenant.
    if (!multiTenant) return name;
    const result = tenantFromHost(req.headers.host, profile.defaultTenant, options.hostRule);
    if (!result.ok) throw new HttpError(400, result.reason);
    if (profile.maxTenantLength !== null && result.tenant.length > profile.maxTenantLength) {
      // 0.9 stores the tenant in VARCHAR(40) columns: the database refuses it.
      throw new HttpError(
        500,
        `Data too long for column 'tenant' (${result.tenant.length} > ${profile.maxTenantLength}).`,
      );
    }
    return result.tenant;
  };

  const lookup = async (tenant: string): Promise<TenantLookup | null> => {
    try {
      return await (tms as TmsLookup).tenant(tenant);
    } catch (err) {
      if (err instanceof TmsUnavailableError)
        throw new HttpError(500, `Tenant management service error: ${err.message}`);
      throw err;
    }
  };

  const status = async (tenant: string) => {
    // 0.9's check_installation asks MySQL first: no database, no further check (no TMS, no warning).
    if (!databaseExists()) return { schema_ok: false, admin_ok: false, form_ok: false, warning: null };
    const [s, known] = await Promise.all([tenantStatus(es, profile, tenant, shards), tms ? lookup(tenant) : null]);
    // Single-tenant Tracardi (0.8.2 and 0.9 check_installation) answers form_ok true: no TMS to ask.
    const formOk = tms ? known !== null : true;
    return {
      schema_ok: s.schemaOk,
      admin_ok: s.adminOk,
      form_ok: formOk,
      warning: formOk === false ? [`Tenant [${tenant}] is not registered in the tenant management service.`] : null,
    };
  };

  const install = async (tenant: string, body: unknown): Promise<SimReply> => {
    const creds = parseCredentials(body);
    if (tms) {
      const known = await lookup(tenant);
      if (!known) throw new HttpError(403, `Tenant [${tenant}] not allowed.`);
      if (creds.token !== known.installToken)
        throw new HttpError(403, 'Installation forbidden. Invalid installation token.');
    } else if (installToken !== '' && creds.token !== installToken) {
      throw new HttpError(403, 'Installation forbidden. Invalid installation token.');
    }
    if (creds.needsAdmin) {
      if (!EMAIL.test(creds.email)) throw new HttpError(403, 'Invalid e-mail address for the admin account.');
      if (creds.password.length < MIN_PASSWORD_LENGTH) {
        throw new HttpError(403, `Password too short: at least ${MIN_PASSWORD_LENGTH} characters.`);
      }
    }
    // install_system checks the token and the admin account first, then bootstraps the database.
    if (!databaseExists()) database = 'created';
    const settings = {
      profile,
      shards: await effectiveShards(es, shards),
      periods: periodsFor(profile, options.partitioning),
      now: (options.now ?? (() => new Date()))(),
    };
    // One install per tenant at a time; a concurrent second one waits and then finds everything there.
    const previous = locks.get(tenant) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => installTenant(es, tenant, settings, creds));
    locks.set(tenant, run);
    try {
      const [staging, production] = await run;
      return { status: 200, body: [staging, production] };
    } finally {
      if (locks.get(tenant) === run) locks.delete(tenant);
    }
  };

  const route = async (req: SimRequest, tenant: string): Promise<SimReply> => {
    const key = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
    switch (key) {
      case 'GET /info/version':
        return { status: 200, body: profile.version };
      case 'GET /info/version/details':
        return { status: 200, body: await details(tenant) };
      case 'GET /install':
        return { status: 200, body: await status(tenant) };
      case 'POST /install':
        return install(tenant, req.body);
      default:
        if (KNOWN_PATHS.has(key.slice(key.indexOf(' ') + 1))) throw new HttpError(405, 'Method Not Allowed');
        throw new HttpError(404, 'Not Found');
    }
  };

  // Every reply, errors included, carries the tenant into the call log.
  const handle = async (req: SimRequest): Promise<SimReply> => {
    const tenant = tenantOf(req);
    try {
      return { ...(await route(req, tenant)), tenant };
    } catch (err) {
      if (err instanceof HttpError) return { status: err.status, body: { detail: err.detail }, tenant };
      throw err;
    }
  };

  const details = async (tenant: string) => {
    // `installed` is GET /install's check: it fails with MySQL down and is all false before the database exists.
    const exists = databaseExists();
    const s = exists ? await tenantStatus(es, profile, tenant, shards) : { schemaOk: false, adminOk: false };
    // The form check needs the TMS; details stay available when it is down.
    const form = !exists
      ? false
      : tms
        ? await lookup(tenant).then(
            (k) => k !== null,
            () => null,
          )
        : true;
    // app/api/info_endpoint.py: tracardi.version.model_dump() (version, name, upgrades, production,
    // config, db_version; 0.9 adds mysql_version), then instance, installed and the licence fields.
    // `name` is the instance's global name whatever the Host; only 0.9's `tenant` follows the Host.
    const base = {
      version: profile.version,
      name,
      upgrades: [],
      production: false,
      config: {},
      db_version: profile.dbVersion,
      ...(profile.sim === '0.9.x' ? { mysql_version: 1 } : {}),
      instance: instanceId,
      installed: { schema: s.schemaOk, users: s.adminOk, form },
    };
    const licence = { owner: 'Tracardi', expires: 'Never', licenses: ['MIT + Common Clause'] };
    // `multi-tenant` and `tenant` exist from 0.9 only.
    return profile.sim === '0.9.x'
      ? { ...base, 'multi-tenant': multiTenant, tenant, ...licence }
      : { ...base, ...licence };
  };

  const server = await startJsonServer(options.port ?? 0, handle);
  return {
    url: server.url,
    port: server.port,
    profile,
    name,
    instanceId,
    calls: server.calls,
    setFault: server.setFault,
    setDatabase: (state) => {
      if (database === null) throw new Error(`Tracardi ${profile.version} keeps no MySQL database`);
      database = state;
    },
    database: () => database,
    stop: server.stop,
  };
}

interface Credentials {
  email: string;
  password: string;
  token: string;
  needsAdmin: boolean;
  updateMapping: boolean;
}

/** FastAPI-style validation of the POST /install body: 422 on missing or mistyped fields. */
function parseCredentials(body: unknown): Credentials {
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const bad = [
    ...['username', 'password', 'token'].filter((f) => typeof b[f] !== 'string'),
    ...(typeof b.needs_admin === 'boolean' ? [] : ['needs_admin']),
    ...(b.update_mapping === undefined || typeof b.update_mapping === 'boolean' ? [] : ['update_mapping']),
  ];
  if (bad.length > 0) throw missingFields(bad);
  return {
    email: b.username as string,
    password: b.password as string,
    token: b.token as string,
    needsAdmin: b.needs_admin as boolean,
    updateMapping: (b.update_mapping as boolean | undefined) ?? false,
  };
}

/** ELASTIC_INDEX_REPLICAS is forced to 0 when the cluster has a single data node. */
async function effectiveShards(es: Es, shards: ShardSettings): Promise<ShardSettings> {
  if (shards.replicas === 0) return shards;
  const health = await es.ok<{ number_of_data_nodes: number }>('GET', '/_cluster/health');
  return health.number_of_data_nodes <= 1 ? { ...shards, replicas: 0 } : shards;
}
