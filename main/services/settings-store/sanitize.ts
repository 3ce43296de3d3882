/**
 * What a settings file written by an older console (or by hand) may hold that this one refuses,
 * made loadable without losing the instance: pure, run on every parse before the schema.
 *
 * - URLs with userinfo (`https://elastic:pw@es:9200`): the credentials are taken out of the data
 *   and returned (to be moved to the keychain by whoever holds one, see
 *   main/services/instances/url-credentials.ts); the URL keeps everything else. The store never
 *   writes them back: not to config.json, its last-good copy or any kept copy (`redactUserinfo`).
 * - Control and bidi-override characters in an instance's text fields: replaced by their visible
 *   escape (`\x1b`), so the instance loads and shows what was there without acting on a terminal.
 */
import { escapeForTerminal } from '../../../shared/text/text-safety';
import { isRecord } from './helpers';

/** Credentials found in one URL of one instance. Holds a secret: never log or persist it. */
export interface UrlCredential {
  instanceId: string;
  field: 'apiUrl' | 'tmsUrl' | 'es.nodes';
  /** The URL without its userinfo (safe to show). */
  url: string;
  username: string;
  password: string;
}

const USERINFO_IN_URL = /^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;
/** In raw text (JSON): userinfo of any URL, staying inside one JSON string. */
const USERINFO_IN_TEXT = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#"\s\\]*@/gi;

/** `value` without `user:password@`, else unchanged. */
export function stripUserinfo(value: string): string {
  return value.replace(USERINFO_IN_URL, '$1');
}

/** Raw file text with the userinfo of every URL removed (for copies of a file kept aside). */
export function redactUserinfo(raw: string): string {
  return raw.replace(USERINFO_IN_TEXT, '$1');
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function credentialOf(value: unknown): { url: string; username: string; password: string } | null {
  if (typeof value !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return null;
  }
  if (parsed.username === '' && parsed.password === '') return null;
  return { url: stripUserinfo(value), username: decode(parsed.username), password: decode(parsed.password) };
}

const TEXT_FIELDS = ['name', 'guiUrlPattern', 'referenceHost', 'apiUrl', 'tmsUrl'] as const;

/** Data with URL credentials taken out and control characters escaped; what was taken out. */
export function sanitizeSettingsData(data: Record<string, unknown>): {
  data: Record<string, unknown>;
  credentials: UrlCredential[];
  /** True when anything was changed (the file is then written back). */
  changed: boolean;
} {
  if (!Array.isArray(data.instances)) return { data, credentials: [], changed: false };
  const credentials: UrlCredential[] = [];
  let escaped = false;
  const neutralize = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const safe = escapeForTerminal(value);
    if (safe !== value) escaped = true;
    return safe;
  };
  const instances = data.instances.map((raw: unknown) => {
    if (!isRecord(raw)) return raw;
    const instance: Record<string, unknown> = { ...raw };
    const instanceId = typeof instance.id === 'string' ? instance.id : '?';
    for (const field of ['apiUrl', 'tmsUrl'] as const) {
      const found = credentialOf(instance[field]);
      if (found) {
        credentials.push({ instanceId, field, ...found });
        instance[field] = found.url;
      }
    }
    for (const field of TEXT_FIELDS) if (field in instance) instance[field] = neutralize(instance[field]);
    if (Array.isArray(instance.expectedAddresses))
      instance.expectedAddresses = instance.expectedAddresses.map(neutralize);
    if (isRecord(instance.es)) {
      const es: Record<string, unknown> = { ...instance.es };
      if (Array.isArray(es.nodes)) {
        es.nodes = es.nodes.map((node: unknown) => {
          const found = credentialOf(node);
          if (!found) return neutralize(node);
          credentials.push({ instanceId, field: 'es.nodes', ...found });
          return neutralize(found.url);
        });
      }
      if (isRecord(es.auth) && typeof es.auth.username === 'string')
        es.auth = { ...es.auth, username: neutralize(es.auth.username) };
      if (isRecord(es.tls) && typeof es.tls.caFile === 'string')
        es.tls = { ...es.tls, caFile: neutralize(es.tls.caFile) };
      instance.es = es;
    }
    return instance;
  });
  const changed = escaped || credentials.length > 0;
  return { data: changed ? { ...data, instances } : data, credentials, changed };
}
