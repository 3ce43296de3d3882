/**
 * The settings file: `<dataDir>/config.json`, one file for every shell.
 *
 * Written through `conf` (the library electron-store is built on, same JSON format, atomic writes),
 * so the Electron shell can hand in an electron-store instance as the backend and read and write the
 * very same file (see `SettingsBackendFactory`). Validation, versioning and corruption handling are
 * ours, done on the raw bytes before conf ever sees them:
 *
 * - Versioned with `schemaVersion` and an explicit list of migrations `{ from, migrate }`. Before a
 *   file is migrated its bytes are copied to `config.json.bak-v<from>`. conf's own `migrations`
 *   option is not used: it keys migrations on the app's semver, keeps its state inside the file
 *   (`__internal__`), runs in the constructor (which throws on a corrupt file before we can keep a
 *   copy), and writes after every step without a file backup.
 * - A file that is not JSON or does not match the schema is never wiped: it is copied to
 *   `config.json.corrupt-<timestamp>`, then the store recovers from `config.json.last-good`
 *   (refreshed after every successful load and write) or, with no usable backup, opens read-only
 *   on an empty view. Every write is refused in read-only mode, naming the file.
 * - A file written by a newer console (higher schemaVersion) is opened read-only and left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf, { type Options as ConfOptions } from 'conf';
import { z } from 'zod';
import { ConsoleError } from '../../shared/errors';
import { instanceSchema } from '../../shared/instance';

export const SETTINGS_SCHEMA_VERSION = 1;
export const SETTINGS_FILE_NAME = 'config.json';

export const THEMES = ['system', 'light', 'dark'] as const;

export const preferencesSchema = z.object({
  /** Seconds before a copied token is cleared from the clipboard (0: never). */
  clipboardClearSeconds: z.number().int().min(0).max(3600).default(30),
  theme: z.enum(THEMES).default('system'),
});
export type Preferences = z.infer<typeof preferencesSchema>;

/**
 * The whole file. Unknown top-level keys are kept (looseObject) so nothing another writer put there
 * (electron-store's `__internal__`, say) is dropped on the next write.
 */
export const settingsFileSchema = z
  .looseObject({
    schemaVersion: z.number().int().min(0),
    instances: z.array(instanceSchema).default([]),
    /** Tenant records: shape owned by the tenants service (shared/tenant.ts); kept as is here. */
    tenants: z.array(z.unknown()).default([]),
    preferences: preferencesSchema.default({ clipboardClearSeconds: 30, theme: 'system' }),
    /** Journal of multi-step operations: shape owned by its service; kept as is here. */
    journal: z.array(z.unknown()).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.instances.forEach((instance, i) => {
      if (seen.has(instance.id))
        ctx.addIssue({
          code: 'custom',
          path: ['instances', i, 'id'],
          message: `duplicate instance id "${instance.id}"`,
        });
      seen.add(instance.id);
    });
  });
export type SettingsFile = z.infer<typeof settingsFileSchema>;

/** One step: turns a file at version `from` into one at `from + 1` (pure, no I/O). */
export interface SettingsMigration {
  from: number;
  migrate(data: Record<string, unknown>): Record<string, unknown>;
}

/** The console's migrations, in order. Add one (and bump SETTINGS_SCHEMA_VERSION) per change. */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  {
    // v0: a file without schemaVersion (written before versioning, or an empty electron-store file).
    from: 0,
    migrate: (data) => ({
      ...data,
      schemaVersion: 1,
      instances: Array.isArray(data.instances) ? data.instances : [],
      tenants: Array.isArray(data.tenants) ? data.tenants : [],
      preferences: {
        clipboardClearSeconds: 30,
        theme: 'system',
        ...(isRecord(data.preferences) ? data.preferences : {}),
      },
      journal: Array.isArray(data.journal) ? data.journal : [],
    }),
  },
];

export interface SettingsStatus {
  /** The settings file. */
  path: string;
  /** True when writes are refused (corrupt with no backup, unreadable, or from a newer version). */
  readOnly: boolean;
  /** The backup the settings were recovered from this time, if any. */
  recoveredFrom?: string;
  /** Schema version the file was migrated from this time, if it was. */
  migratedFrom?: number;
  /** Files written aside this time: migration backups, copies of a corrupt file. */
  keptFiles: string[];
  /** One line each, for the operator: what went wrong and what was done about it. */
  problems: string[];
}

/**
 * What services need from settings. `ConfSettingsStore` is the one implementation; an Electron shell
 * uses it too, passing electron-store as the backend (same class family, same file).
 */
export interface SettingsStore {
  readonly path: string;
  /**
   * The settings as on disk now (re-read when the file changed since it was last loaded or
   * written). May be a shared, deep-frozen object: never mutate it; change settings with `update`.
   */
  read(): SettingsFile;
  /**
   * Read the file afresh, apply `fn` to a copy, validate the result and write it atomically.
   * `fn` may mutate the draft or return a new object. Throws settings-read-only, validation,
   * settings-corrupt (file changed on disk into something invalid; not overwritten) or
   * settings-write-failed. Returns what was written.
   */
  update(fn: (draft: SettingsFile) => SettingsFile | void): SettingsFile;
  /** Throws settings-read-only when writes are refused. */
  assertWritable(): void;
  status(): SettingsStatus;
}

/** Anything with conf's `store` setter (conf itself, or electron-store which extends it). */
export interface SettingsBackend {
  store: Record<string, unknown>;
}

/**
 * Builds the writer. Default: `new Conf(options)`. In the Electron main process pass
 * `(options) => new ElectronStore(options)` (e.g. `createCore({ settingsBackend })`): electron-store
 * 10 extends Conf, keeps an absolute `cwd` as given (the data dir) and its default `name` is
 * 'config', so it writes this same config.json. It gets no schema, defaults or migrations from us,
 * so it stays a plain atomic JSON writer and this class keeps validation, migration and recovery.
 */
export type SettingsBackendFactory = (options: Partial<ConfOptions<Record<string, unknown>>>) => SettingsBackend;

export interface SettingsStoreOptions {
  dataDir: string;
  backend?: SettingsBackendFactory;
  /** For tests of the migration machinery; default SETTINGS_MIGRATIONS / SETTINGS_SCHEMA_VERSION. */
  migrations?: readonly SettingsMigration[];
  schemaVersion?: number;
  /** Clock for the names of kept files. */
  now?: () => Date;
}

type ParseOutcome =
  | { ok: true; data: SettingsFile; fromVersion: number }
  | { ok: false; kind: 'corrupt' | 'newer' | 'migration-failed'; reason: string; fromVersion?: number };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeZod(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

function timestampForFileName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Versioned, validated settings file over conf. */
export class ConfSettingsStore implements SettingsStore {
  readonly path: string;
  readonly #dataDir: string;
  readonly #lastGoodPath: string;
  readonly #migrations: readonly SettingsMigration[];
  readonly #version: number;
  readonly #now: () => Date;
  readonly #backendFactory: SettingsBackendFactory;
  #backend: SettingsBackend | null = null;
  #data: SettingsFile;
  #status: SettingsStatus;
  /** Identity of the file `#data` was last loaded from or written to (see `#fileStamp`). */
  #stamp: string | null = null;

  constructor(options: SettingsStoreOptions) {
    this.#dataDir = path.resolve(options.dataDir);
    this.path = path.join(this.#dataDir, SETTINGS_FILE_NAME);
    this.#lastGoodPath = `${this.path}.last-good`;
    this.#migrations = options.migrations ?? SETTINGS_MIGRATIONS;
    this.#version = options.schemaVersion ?? SETTINGS_SCHEMA_VERSION;
    this.#now = options.now ?? (() => new Date());
    this.#backendFactory = options.backend ?? ((opts) => new Conf(opts));
    this.#data = this.#empty();
    this.#status = { path: this.path, readOnly: false, keptFiles: [], problems: [] };
    this.#load();
    this.#stamp = this.#fileStamp();
  }

  /**
   * Cheap on repeated calls: the last parsed settings, deep-frozen and shared, until the file's
   * identity (inode, size, mtime) changes; then it is read and validated again, so another
   * process's write is seen. A file changed into something this store cannot take as is (corrupt,
   * another version) leaves the last good view in place; `update` refuses to write over it.
   */
  read(): SettingsFile {
    if (!this.#status.readOnly) {
      const stamp = this.#fileStamp();
      if (stamp !== this.#stamp) {
        this.#stamp = stamp;
        const fresh = this.#readIfCurrentVersion();
        if (fresh) this.#data = fresh;
      }
    }
    if (!Object.isFrozen(this.#data)) deepFreeze(this.#data);
    return this.#data;
  }

  status(): SettingsStatus {
    return structuredClone(this.#status);
  }

  assertWritable(): void {
    if (this.#status.readOnly) {
      throw new ConsoleError(
        'settings-read-only',
        `Settings are read-only: ${this.path} could not be loaded safely (${this.#status.problems[0] ?? 'see status'}). Fix or restore that file, then start again.`,
      );
    }
  }

  update(fn: (draft: SettingsFile) => SettingsFile | void): SettingsFile {
    this.assertWritable();
    const current = this.#readCurrentFromDisk();
    const draft = structuredClone(current);
    const returned = fn(draft);
    const parsed = settingsFileSchema.safeParse(returned ?? draft);
    if (!parsed.success) {
      throw new ConsoleError('validation', `Settings not saved: ${describeZod(parsed.error)}`);
    }
    const next = { ...parsed.data, schemaVersion: this.#version };
    this.#write(next);
    this.#stamp = this.#fileStamp();
    this.#data = next;
    this.#refreshLastGood(next);
    return structuredClone(next);
  }

  /** inode, size and mtime of the file, or 'missing' / 'unreadable'. Atomic writes change the inode. */
  #fileStamp(): string {
    try {
      const st = fs.statSync(this.path, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
    }
  }

  /** The file's settings when it is readable, valid and at this version (no migration, no writes). */
  #readIfCurrentVersion(): SettingsFile | null {
    let raw: string;
    try {
      raw = fs.readFileSync(this.path, 'utf8');
    } catch {
      return null;
    }
    const outcome = this.#parse(raw);
    return outcome.ok && outcome.fromVersion === this.#version ? outcome.data : null;
  }

  // -------------------------------------------------------------------------------------------

  #empty(): SettingsFile {
    return settingsFileSchema.parse({ schemaVersion: this.#version });
  }

  /** Pure: bytes → validated settings at the current version, or why not. */
  #parse(raw: string): ParseOutcome {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      return { ok: false, kind: 'corrupt', reason: `not valid JSON: ${oneLine(err)}` };
    }
    if (!isRecord(json)) return { ok: false, kind: 'corrupt', reason: 'not a JSON object' };
    const declared = json.schemaVersion;
    if (declared !== undefined && (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0)) {
      return { ok: false, kind: 'corrupt', reason: 'schemaVersion is not a whole number' };
    }
    const fromVersion = declared ?? 0;
    if (fromVersion > this.#version) {
      return {
        ok: false,
        kind: 'newer',
        fromVersion,
        reason: `written by a newer console (schema version ${fromVersion}, this one reads up to ${this.#version})`,
      };
    }
    let data: Record<string, unknown> = json;
    for (let v = fromVersion; v < this.#version; v++) {
      const step = this.#migrations.find((m) => m.from === v);
      if (!step)
        return { ok: false, kind: 'migration-failed', fromVersion, reason: `no migration from schema version ${v}` };
      try {
        data = step.migrate(structuredClone(data));
      } catch (err) {
        return {
          ok: false,
          kind: 'migration-failed',
          fromVersion,
          reason: `migration from schema version ${v} failed: ${oneLine(err)}`,
        };
      }
    }
    const parsed = settingsFileSchema.safeParse({ ...data, schemaVersion: this.#version });
    if (!parsed.success)
      return {
        ok: false,
        kind: 'corrupt',
        fromVersion,
        reason: `does not match the settings schema: ${describeZod(parsed.error)}`,
      };
    return { ok: true, data: parsed.data, fromVersion };
  }

  #load(): void {
    // Tenant e-mails and hosts live here: keep the folder private (no effect if it already exists).
    fs.mkdirSync(this.#dataDir, { recursive: true, mode: 0o700 });
    let raw: string;
    try {
      raw = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // first start: empty, written on first update
      this.#goReadOnly(`${this.path} cannot be read (${oneLine(err)})`);
      return;
    }

    const outcome = this.#parse(raw);
    if (outcome.ok) {
      if (outcome.fromVersion < this.#version) this.#migrate(raw, outcome.data, outcome.fromVersion);
      else this.#data = outcome.data;
      if (!this.#status.readOnly) this.#refreshLastGood(this.#data);
      return;
    }

    if (outcome.kind === 'newer') {
      // Not ours to touch. Show what this version can read of it, read-only.
      const lenient = settingsFileSchema.safeParse(JSON.parse(raw));
      if (lenient.success) this.#data = lenient.data;
      this.#goReadOnly(`${this.path} was ${outcome.reason}; opened read-only`);
      return;
    }
    if (outcome.kind === 'migration-failed') {
      const backup = this.#keepCopy(raw, `bak-v${outcome.fromVersion ?? 0}`);
      this.#goReadOnly(
        `${this.path} could not be upgraded: ${outcome.reason}; file left untouched${backup ? `, copy at ${backup}` : ''}`,
      );
      return;
    }

    // Corrupt: keep the bad bytes, then recover from the last good copy or go read-only.
    const kept = this.#keepCopy(raw, `corrupt-${timestampForFileName(this.#now())}`);
    const keptNote = kept ? `kept a copy at ${kept}` : 'could not keep a copy';
    const recovered = this.#readLastGood();
    if (recovered) {
      this.#status.problems.push(
        `${this.path} is corrupt (${outcome.reason}); ${keptNote}; recovered from ${this.#lastGoodPath}.`,
      );
      this.#data = recovered;
      this.#status.recoveredFrom = this.#lastGoodPath;
      try {
        this.#write(recovered);
      } catch (err) {
        this.#goReadOnly(`could not write the recovered settings (${oneLine(err)})`);
      }
      return;
    }
    this.#data = this.#empty();
    this.#goReadOnly(
      `${this.path} is corrupt (${outcome.reason}); ${keptNote}; no usable backup (${path.basename(this.#lastGoodPath)}), so settings are read-only and empty`,
    );
  }

  #migrate(raw: string, data: SettingsFile, fromVersion: number): void {
    const backup = this.#keepCopy(raw, `bak-v${fromVersion}`);
    if (!backup) {
      // Never migrate without a way back.
      this.#data = data;
      this.#goReadOnly(
        `${this.path} needs an upgrade from schema version ${fromVersion} but no backup could be written; opened read-only`,
      );
      return;
    }
    this.#data = data;
    this.#status.migratedFrom = fromVersion;
    try {
      this.#write(data);
    } catch (err) {
      this.#goReadOnly(`could not write the upgraded settings (${oneLine(err)})`);
    }
  }

  #readLastGood(): SettingsFile | null {
    let raw: string;
    try {
      raw = fs.readFileSync(this.#lastGoodPath, 'utf8');
    } catch {
      return null;
    }
    const outcome = this.#parse(raw);
    return outcome.ok ? outcome.data : null;
  }

  /** Re-read the file for an update, so two shells on one data dir do not undo each other. */
  #readCurrentFromDisk(): SettingsFile {
    let raw: string;
    try {
      raw = fs.readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.#data;
      throw new ConsoleError('settings-corrupt', `Cannot read ${this.path} (${oneLine(err)}); nothing was saved.`);
    }
    const outcome = this.#parse(raw);
    if (!outcome.ok) {
      throw new ConsoleError(
        'settings-corrupt',
        `${this.path} changed on disk and is ${outcome.reason}; nothing was saved and the file was left as is. Restart to recover.`,
      );
    }
    return outcome.data;
  }

  #goReadOnly(problem: string): void {
    this.#status.readOnly = true;
    this.#status.problems.push(problem.endsWith('.') ? problem : `${problem}.`);
  }

  /** Copy the bytes to `config.json.<suffix>` without overwriting an earlier copy. */
  #keepCopy(raw: string, suffix: string): string | null {
    let target = `${this.path}.${suffix}`;
    if (fs.existsSync(target)) target = `${target}-${timestampForFileName(this.#now())}`;
    try {
      fs.writeFileSync(target, raw, { flag: 'wx', mode: 0o600 });
      this.#status.keptFiles.push(target);
      return target;
    } catch {
      return null;
    }
  }

  #refreshLastGood(data: SettingsFile): void {
    const text = JSON.stringify(data, undefined, '\t');
    const tmp = `${this.#lastGoodPath}.tmp-${process.pid}`;
    try {
      if (fs.existsSync(this.#lastGoodPath) && fs.readFileSync(this.#lastGoodPath, 'utf8') === text) return;
      fs.writeFileSync(tmp, text, { mode: 0o600 });
      fs.renameSync(tmp, this.#lastGoodPath);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      this.#status.problems.push(`could not refresh ${this.#lastGoodPath} (${oneLine(err)}).`);
    }
  }

  #write(data: SettingsFile): void {
    try {
      // Built on first write, after #load has validated the file or kept a copy of a bad one. The
      // backend's constructor reads the file; clearInvalidConfig only lets it get past a corrupt
      // file we are about to replace (it clears in memory and writes nothing: no defaults given).
      this.#backend ??= this.#backendFactory({
        cwd: this.#dataDir,
        configName: 'config',
        fileExtension: 'json',
        clearInvalidConfig: true,
        configFileMode: 0o600,
      });
      this.#backend.store = data as Record<string, unknown>;
    } catch (err) {
      throw new ConsoleError('settings-write-failed', `Could not write ${this.path} (${oneLine(err)}).`, {
        cause: err,
      });
    }
  }
}

/** Open `<dataDir>/config.json` (loads, migrates or recovers now; see `status()`). */
export function openSettingsStore(dataDir: string, options: Omit<SettingsStoreOptions, 'dataDir'> = {}): SettingsStore {
  return new ConfSettingsStore({ ...options, dataDir });
}
