/**
 * ConfSettingsStore, the one SettingsStore: loads, migrates, recovers, reads and writes
 * `<dataDir>/config.json` over conf (how and why: see index.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { ConsoleError, describeIssues, oneLine } from '../../../shared/errors/errors';
import { withFileLock } from './file-lock';
import { deepFreeze, isRecord, timestampForFileName } from './helpers';
import type { ParseOutcome } from './parse-outcome';
import { redactUserinfo, sanitizeSettingsData, type UrlCredential } from './sanitize';
import {
  SETTINGS_FILE_NAME,
  SETTINGS_MIGRATIONS,
  SETTINGS_SCHEMA_VERSION,
  settingsFileSchema,
  type SettingsFile,
  type SettingsMigration,
} from './schema';
import type {
  SettingsBackend,
  SettingsBackendFactory,
  SettingsStatus,
  SettingsStore,
  SettingsStoreOptions,
} from './types';

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
  /** Credentials taken out of URLs in the file, waiting for `takeUrlCredentials` (memory only). */
  #urlCredentials: UrlCredential[] = [];

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
    // Read, change and write under the cross-process lock: another shell's write in between would
    // otherwise be overwritten with this process's older view.
    return withFileLock(this.path, () => this.#updateLocked(fn));
  }

  #updateLocked(fn: (draft: SettingsFile) => SettingsFile | void): SettingsFile {
    const current = this.#readCurrentFromDisk();
    const draft = structuredClone(current);
    const returned = fn(draft);
    const parsed = settingsFileSchema.safeParse(returned ?? draft);
    if (!parsed.success) {
      throw new ConsoleError('validation', `Settings not saved: ${describeIssues(parsed.error)}`);
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
    if (!outcome.ok || outcome.fromVersion !== this.#version) return null;
    // Another writer put a secret in a URL (or a control character in a name): never leave it there.
    if (outcome.sanitized) this.#writeSanitized(outcome.data, outcome.credentials);
    return outcome.data;
  }

  /**
   * Credentials found in URLs of the settings file since the last call (and removed from it). The
   * caller that holds a keychain moves them there (core.ts); they exist nowhere else.
   */
  takeUrlCredentials(): UrlCredential[] {
    const taken = this.#urlCredentials;
    this.#urlCredentials = [];
    return taken;
  }

  /** A line for the operator about what was done to the settings (shown with the load problems). */
  report(line: string): void {
    this.#status.problems.push(line.endsWith('.') ? line : `${line}.`);
  }

  /** Write sanitized data over the file and its last-good copy; keep the credentials for the caller. */
  #writeSanitized(data: SettingsFile, credentials: UrlCredential[]): void {
    this.#urlCredentials.push(...credentials);
    try {
      this.#write(data);
      this.#stamp = this.#fileStamp();
      this.#refreshLastGood(data);
    } catch (err) {
      this.#goReadOnly(`could not write the settings without the credentials found in URLs (${oneLine(err)})`);
    }
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
    const clean = sanitizeSettingsData(data);
    const parsed = settingsFileSchema.safeParse({ ...clean.data, schemaVersion: this.#version });
    if (!parsed.success)
      return {
        ok: false,
        kind: 'corrupt',
        fromVersion,
        reason: `does not match the settings schema: ${describeIssues(parsed.error)}`,
      };
    return { ok: true, data: parsed.data, fromVersion, credentials: clean.credentials, sanitized: clean.changed };
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
      if (outcome.fromVersion < this.#version) {
        this.#urlCredentials.push(...outcome.credentials);
        this.#migrate(raw, outcome.data, outcome.fromVersion);
      } else {
        this.#data = outcome.data;
        if (outcome.sanitized) this.#writeSanitized(outcome.data, outcome.credentials);
      }
      if (!this.#status.readOnly) this.#refreshLastGood(this.#data);
      return;
    }

    if (outcome.kind === 'newer') {
      // Not ours to touch. Show what this version can read of it (secrets in URLs left out), read-only.
      const json: unknown = JSON.parse(raw);
      const lenient = settingsFileSchema.safeParse(isRecord(json) ? sanitizeSettingsData(json).data : json);
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
      this.#urlCredentials.push(...recovered.credentials);
      this.#status.problems.push(
        `${this.path} is corrupt (${outcome.reason}); ${keptNote}; recovered from ${this.#lastGoodPath}.`,
      );
      this.#data = recovered.data;
      this.#status.recoveredFrom = this.#lastGoodPath;
      try {
        this.#write(recovered.data);
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

  #readLastGood(): { data: SettingsFile; credentials: UrlCredential[] } | null {
    let raw: string;
    try {
      raw = fs.readFileSync(this.#lastGoodPath, 'utf8');
    } catch {
      return null;
    }
    const outcome = this.#parse(raw);
    return outcome.ok ? { data: outcome.data, credentials: outcome.credentials } : null;
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
    // The update writes the sanitized data; the credentials wait for the keychain holder.
    this.#urlCredentials.push(...outcome.credentials);
    return outcome.data;
  }

  #goReadOnly(problem: string): void {
    this.#status.readOnly = true;
    this.#status.problems.push(problem.endsWith('.') ? problem : `${problem}.`);
  }

  /**
   * Copy the bytes to `config.json.<suffix>` without overwriting an earlier copy. Userinfo in URLs
   * is left out: a copy kept for recovery must not keep a password the settings no longer hold.
   */
  #keepCopy(raw: string, suffix: string): string | null {
    let target = `${this.path}.${suffix}`;
    if (fs.existsSync(target)) target = `${target}-${timestampForFileName(this.#now())}`;
    try {
      fs.writeFileSync(target, redactUserinfo(raw), { flag: 'wx', mode: 0o600 });
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
