/**
 * The settings file: `<dataDir>/config.json`, one file for every shell.
 *
 * Every shell (Electron, the browser shell, tenantctl) writes it through this one store: conf's
 * atomic writes (temp file, then rename) under a cross-process lock (`config.json.lock`, see
 * file-lock.ts), so concurrent read-modify-writes from several processes never lose a change.
 * Validation, versioning and corruption handling are ours, done on the raw bytes before conf ever
 * sees them:
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
export {
  SETTINGS_FILE_NAME,
  SETTINGS_MIGRATIONS,
  SETTINGS_SCHEMA_VERSION,
  THEMES,
  preferencesSchema,
  settingsFileSchema,
  watchSettingsSchema,
  type Preferences,
  type WatchSettings,
  type SettingsFile,
  type SettingsMigration,
} from './schema';
export type * from './types';
export { ConfSettingsStore, openSettingsStore } from './store';
export { withFileLock } from './file-lock';
export { redactUserinfo, sanitizeSettingsData, stripUserinfo, type UrlCredential } from './sanitize';
