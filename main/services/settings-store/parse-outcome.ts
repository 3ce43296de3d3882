/** What parsing the settings file gives: the settings, or why not. */
import type { SettingsFile } from './schema';
import type { UrlCredential } from './sanitize';

export type ParseOutcome =
  | {
      ok: true;
      data: SettingsFile;
      fromVersion: number;
      /** Secrets found in URLs and taken out of `data` (see sanitize.ts). */
      credentials: UrlCredential[];
      /** The file on disk differs from `data` by more than the version: write it back. */
      sanitized: boolean;
    }
  | { ok: false; kind: 'corrupt' | 'newer' | 'migration-failed'; reason: string; fromVersion?: number };
