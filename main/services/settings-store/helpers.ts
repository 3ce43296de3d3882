/** Small pure helpers of the settings store: the parse outcome type, freezing, messages, file names. */
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

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function timestampForFileName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
