/**
 * The OS keychain, and nothing else, holds the console's secrets. `KeytarSecretStore` talks to it
 * through keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on Windows). When the
 * keychain is missing, locked or failing it refuses with a ConsoleError: there is no fallback, a
 * secret is never written anywhere else.
 *
 * Account scheme (docs/architecture.md), all under one service name:
 *   instance/<instanceId>/<secretKind>   es-password | es-api-key | tms-api-key
 *   token/<instanceId>/<tenant>          installation tokens
 */
import { randomBytes } from 'node:crypto';
import { ConsoleError, toConsoleError } from '../../shared/errors/errors';
import type { KeychainStatus } from '../../shared/instances/keychain-status';
import { instanceIdSchema, SECRET_KINDS, type SecretKind } from '../../shared/instances/instance';

export const DEFAULT_KEYCHAIN_SERVICE = 'tracardi-tenant-console';

/** Service name: `TENANT_CONSOLE_KEYCHAIN_SERVICE` (tests isolate with it), else the default. */
export function keychainServiceName(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TENANT_CONSOLE_KEYCHAIN_SERVICE?.trim();
  return fromEnv ? fromEnv : DEFAULT_KEYCHAIN_SERVICE;
}

/** Secrets by account. Values never leave main and never appear in errors or logs. */
export interface SecretStore {
  /** The secret, or null when the account holds none. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was deleted, false when there was none. */
  delete(account: string): Promise<boolean>;
  /**
   * Which of `accounts` hold a secret (never their values). Reads only those accounts: use it
   * whenever the accounts are known, and `list` only to find accounts nobody knows of.
   */
  has(accounts: readonly string[]): Promise<Set<string>>;
  /**
   * Accounts (never values) whose name starts with `prefix`, sorted. On the Secret Service this
   * enumerates (and decrypts) every secret of the console, so it is kept for the few places that
   * must find unknown accounts (reconcile, the fleet report, removing an instance).
   */
  list(prefix: string): Promise<string[]>;
}

/** An account no secret is ever stored under: reading it tells whether the keychain answers. */
const STATUS_PROBE_ACCOUNT = 'status/probe';

/**
 * Whether the keychain can be used now, under which service (the Settings screen): one read of an
 * unused account (on the Secret Service a locked collection is then told by the lock probe).
 * Never a secret: the answer says available or why not.
 */
export async function keychainStatus(secrets: SecretStore, service: string): Promise<KeychainStatus> {
  try {
    await secrets.has([STATUS_PROBE_ACCOUNT]);
    return { service, available: true };
  } catch (err) {
    const e = toConsoleError(err);
    if (!e.code.startsWith('keychain-')) throw err;
    return { service, available: false, problem: e.toJSON() };
  }
}

// ---------------------------------------------------------------------------------------------
// Account scheme

function checkInstanceId(instanceId: string): string {
  if (!instanceIdSchema.safeParse(instanceId).success) {
    throw new ConsoleError('validation', `"${instanceId.slice(0, 70)}" is not a valid instance id.`);
  }
  return instanceId;
}

function checkTenant(tenant: string): string {
  // Tenant names are letters and digits; refusing "/" keeps one account per tenant unambiguous.
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(tenant)) {
    throw new ConsoleError('validation', `"${tenant.slice(0, 70)}" is not a valid tenant name for a keychain account.`);
  }
  return tenant;
}

/** Builders for the documented account names. */
export const accountFor = {
  /** `instance/<id>/<kind>` */
  instanceSecret(instanceId: string, kind: SecretKind): string {
    return `instance/${checkInstanceId(instanceId)}/${kind}`;
  },
  /** Prefix of every instance secret of one instance: `instance/<id>/`. */
  instancePrefix(instanceId: string): string {
    return `instance/${checkInstanceId(instanceId)}/`;
  },
  /** `token/<instanceId>/<tenant>` */
  token(instanceId: string, tenant: string): string {
    return `token/${checkInstanceId(instanceId)}/${checkTenant(tenant)}`;
  },
  /** Prefix of every installation token of one instance: `token/<id>/`. */
  tokenPrefix(instanceId: string): string {
    return `token/${checkInstanceId(instanceId)}/`;
  },
} as const;

export type ParsedAccount =
  { type: 'instance'; instanceId: string; kind: SecretKind } | { type: 'token'; instanceId: string; tenant: string };

/** Read an account name back; null for names outside the scheme. */
export function parseAccount(account: string): ParsedAccount | null {
  const parts = account.split('/');
  if (parts.length !== 3) return null;
  const [type, instanceId, rest] = parts as [string, string, string];
  if (!instanceIdSchema.safeParse(instanceId).success) return null;
  if (type === 'instance' && (SECRET_KINDS as readonly string[]).includes(rest)) {
    return { type, instanceId, kind: rest as SecretKind };
  }
  if (type === 'token' && rest.length > 0) return { type, instanceId, tenant: rest };
  return null;
}

// ---------------------------------------------------------------------------------------------
// keytar

/** The part of keytar this module uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeytarSecretStoreOptions {
  /**
   * Longest wait for one keychain call. A locked keychain in a desktop session shows an unlock
   * prompt and the call waits for the operator; past this it is reported as locked.
   */
  timeoutMs?: number;
  /** Load keytar (tests inject a fake). Default: a lazy `import('keytar')`. */
  loadKeytar?: () => Promise<KeytarApi>;
  /** Platform, for the Secret Service quirks below. Default `process.platform`. */
  platform?: NodeJS.Platform;
}

const SECRETS_NEVER_PLAIN = 'secrets are never stored in plain text';

const UNAVAILABLE_PATTERNS = [
  /Cannot autolaunch D-Bus/i,
  /Could not connect/i,
  /org\.freedesktop\.secrets was not provided/i,
  /ServiceUnknown/i,
  /No such file or directory/i,
  /Connection refused/i,
  /DBus\.Error\.(NoServer|Spawn|NotSupported|NoReply|Disconnected)/i,
  /Failed to execute child/i,
  /secret service/i,
];
const LOCKED_PATTERNS = [/locked/i, /IsLocked/i, /dismissed/i, /cancel/i, /user interaction is not allowed/i];

function unavailable(detail: string): ConsoleError {
  return new ConsoleError(
    'keychain-unavailable',
    `The OS keychain is not available (${detail}). Start a Secret Service in your D-Bus session (such as gnome-keyring, unlocked, with its secrets component) and retry; ${SECRETS_NEVER_PLAIN}.`,
  );
}

function locked(detail: string): ConsoleError {
  return new ConsoleError(
    'keychain-locked',
    `The OS keychain is locked (${detail}). Unlock it (e.g. log in to the desktop session or unlock the "login" keyring) and retry; ${SECRETS_NEVER_PLAIN}.`,
  );
}

/** Map whatever keytar/libsecret threw to the console's three keychain errors. */
export function classifyKeychainError(err: unknown): ConsoleError {
  if (err instanceof ConsoleError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // libsecret/D-Bus messages name services and paths, never the secret itself; keep one line.
  const detail = raw.split('\n')[0]!.trim().slice(0, 160) || 'no detail';
  if (LOCKED_PATTERNS.some((p) => p.test(detail))) return locked(detail);
  if (UNAVAILABLE_PATTERNS.some((p) => p.test(detail))) return unavailable(detail);
  return new ConsoleError(
    'keychain-failed',
    `The OS keychain refused the operation (${detail}); ${SECRETS_NEVER_PLAIN}.`,
    { cause: err },
  );
}

async function importKeytar(): Promise<KeytarApi> {
  try {
    const mod = (await import('keytar')) as unknown as KeytarApi & { default?: KeytarApi };
    return mod.default ?? mod;
  } catch (err) {
    const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 160);
    throw new ConsoleError(
      'keychain-unavailable',
      `The keytar native module could not be loaded (${detail}); reinstall dependencies (npm ci) so the OS keychain can be used; ${SECRETS_NEVER_PLAIN}.`,
      { cause: err },
    );
  }
}

/**
 * SecretStore over keytar.
 *
 * Secret Service quirks handled here (observed with gnome-keyring 42 and keytar 7.9):
 * - on a locked collection `getPassword` answers null and `deletePassword` answers false, exactly
 *   as if nothing were stored, and `findCredentials` crashes the process (SIGSEGV in keytar when
 *   libsecret hands back an item without a secret). So an ambiguous answer and every `list` are
 *   preceded or followed by a probe: storing a throw-away item fails with "Cannot create an item
 *   in a locked collection" when the default collection is locked.
 * - with a display the same calls open an unlock prompt and wait; `timeoutMs` bounds the wait.
 */
export class KeytarSecretStore implements SecretStore {
  readonly serviceName: string;
  readonly #timeoutMs: number;
  readonly #load: () => Promise<KeytarApi>;
  readonly #secretService: boolean;
  #keytar: Promise<KeytarApi> | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(serviceName: string = keychainServiceName(), options: KeytarSecretStoreOptions = {}) {
    if (!serviceName.trim()) throw new ConsoleError('validation', 'A keychain service name is required.');
    this.serviceName = serviceName;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#load = options.loadKeytar ?? importKeytar;
    const platform = options.platform ?? process.platform;
    this.#secretService = platform !== 'darwin' && platform !== 'win32';
  }

  async get(account: string): Promise<string | null> {
    const value = await this.#call('read a secret', (k) => k.getPassword(this.serviceName, account));
    if (value === null) await this.#assertUnlocked();
    return value;
  }

  async set(account: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new ConsoleError('validation', 'An empty secret is not stored.');
    await this.#call('store a secret', (k) => k.setPassword(this.serviceName, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    const deleted = await this.#call('delete a secret', (k) => k.deletePassword(this.serviceName, account));
    if (!deleted) await this.#assertUnlocked();
    return deleted;
  }

  async has(accounts: readonly string[]): Promise<Set<string>> {
    const asked = new Set(accounts);
    const present = new Set<string>();
    for (const account of asked) {
      const value = await this.#call('read a secret', (k) => k.getPassword(this.serviceName, account));
      if (value !== null) present.add(account);
    }
    // A locked collection answers null for everything: one probe tells "absent" from "locked".
    if (present.size < asked.size) await this.#assertUnlocked();
    return present;
  }

  async list(prefix: string): Promise<string[]> {
    // Never enumerate a locked collection: keytar crashes the process on it (see class comment).
    await this.#assertUnlocked();
    const found = await this.#call('list secrets', (k) => k.findCredentials(this.serviceName));
    return found
      .map((c) => c.account)
      .filter((a) => a.startsWith(prefix))
      .sort();
  }

  /** Throws keychain-locked when the Secret Service's default collection is locked. */
  async #assertUnlocked(): Promise<void> {
    if (!this.#secretService) return;
    // Under a service of its own: findCredentials(serviceName) running meanwhile (here or in another
    // process) must never meet a half-deleted probe, whose missing secret crashes keytar.
    const probeService = `${this.serviceName}.lock-probe`;
    const probe = `probe/${process.pid}-${randomBytes(6).toString('hex')}`;
    await this.#call('check the keychain is unlocked', (k) => k.setPassword(probeService, probe, 'lock-probe'));
    await this.#call('check the keychain is unlocked', (k) => k.deletePassword(probeService, probe));
  }

  /**
   * One keytar call at a time per store: an enumeration (findCredentials) that overlaps a delete of
   * the same service can meet an item without a secret, and keytar crashes on that.
   */
  #call<T>(what: string, fn: (k: KeytarApi) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#callNow(what, fn));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #callNow<T>(what: string, fn: (k: KeytarApi) => Promise<T>): Promise<T> {
    this.#keytar ??= this.#load();
    let keytar: KeytarApi;
    try {
      keytar = await this.#keytar;
    } catch (err) {
      this.#keytar = null;
      throw err instanceof ConsoleError ? err : classifyKeychainError(err);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            locked(
              `no answer within ${Math.round(this.#timeoutMs / 1000)} s while trying to ${what}; it is probably waiting for an unlock prompt`,
            ),
          ),
        this.#timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([fn(keytar), timeout]);
    } catch (err) {
      throw classifyKeychainError(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// In memory, for pure-logic unit tests only

export type SecretStoreOperation = 'get' | 'set' | 'delete' | 'has' | 'list';

/** For unit tests of pure logic. Never used by a shell: secrets belong in the OS keychain. */
export class InMemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();
  /** Return an error to make the next matching call fail (simulates a keychain failure). */
  failWith: ((op: SecretStoreOperation, account: string) => Error | undefined) | undefined;

  constructor(initial: Record<string, string> = {}) {
    for (const [account, secret] of Object.entries(initial)) this.#values.set(account, secret);
  }

  #check(op: SecretStoreOperation, account: string): void {
    const err = this.failWith?.(op, account);
    if (err) throw err;
  }

  async get(account: string): Promise<string | null> {
    this.#check('get', account);
    return this.#values.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.#check('set', account);
    if (secret.length === 0) throw new ConsoleError('validation', 'An empty secret is not stored.');
    this.#values.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.#check('delete', account);
    return this.#values.delete(account);
  }

  async has(accounts: readonly string[]): Promise<Set<string>> {
    for (const account of accounts) this.#check('has', account);
    return new Set(accounts.filter((a) => this.#values.has(a)));
  }

  async list(prefix: string): Promise<string[]> {
    this.#check('list', prefix);
    return [...this.#values.keys()].filter((a) => a.startsWith(prefix)).sort();
  }

  /** Every account held (test inspection). */
  accounts(): string[] {
    return [...this.#values.keys()].sort();
  }
}
