/** The settings store's interfaces: the store services use, its status, its backend and options. */
import type { Options as ConfOptions } from 'conf';
import type { UrlCredential } from './sanitize';
import type { SettingsFile, SettingsMigration } from './schema';

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
 * What services need from settings. `ConfSettingsStore` is the one implementation, used by every
 * shell (the Electron shell too), with the same cross-process lock.
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
  /**
   * Credentials found in URLs of the file (`https://user:pw@…`) since the last call. The file was
   * already written without them; the caller with a keychain moves them there (core.ts).
   */
  takeUrlCredentials(): UrlCredential[];
  /** Add a line to `status().problems` (what was done to the settings, for the operator). */
  report(line: string): void;
}

/** Anything with conf's `store` setter (conf itself, or a test's failing wrapper). */
export interface SettingsBackend {
  store: Record<string, unknown>;
}

/**
 * Builds the writer. Default: `new Conf(options)`; tests pass a wrapper whose writes fail. It gets no
 * schema, defaults or migrations from us, so it stays a plain atomic JSON writer and the store keeps
 * validation, migration, recovery and the lock.
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
