/**
 * Moving credentials found in the URLs of an older settings file (`https://elastic:pw@es:9200`)
 * where they belong. The settings store has already written the file without them (it never keeps
 * them on disk); this step needs the keychain, so it runs where the core is built (core.ts).
 *
 * - Elasticsearch node: the Elasticsearch client sends a node URL's userinfo as basic auth, over any
 *   `auth` the instance configured, so those credentials were the ones in use. They become the
 *   instance's basic auth: the user in the settings, the password in the keychain (`es-password`).
 *   An instance configured with an API key keeps its key and the URL's credentials are dropped.
 *   Without a keychain the instance still gets basic auth with the user, and is shown as missing its
 *   Elasticsearch password (see `secretWarnings`) until the operator enters it again.
 * - Tracardi API and TMS URLs: dropped. The contract authenticates neither with URL credentials
 *   (the TMS with its API key exchanged for a bearer token, Tracardi's /install with the tenant's
 *   installation token); the TMS client's fetch refuses a URL with credentials and the Tracardi client
 *   sends only the URL's host, port and path, so they were never sent.
 *
 * Every move is audited (action `migrate-secret`) without the secret; the operator is told to
 * rotate the password, since it sat in plain text in config.json.
 */
import { toConsoleError } from '../../../shared/errors/errors';
import { accountFor, type SecretStore } from '../keychain';
import type { AuditLog } from '../audit-log';
import type { SettingsStore, UrlCredential } from '../settings-store';

export interface UrlCredentialDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  audit: Pick<AuditLog, 'record'>;
}

const FIELD_NAME: Record<UrlCredential['field'], string> = {
  apiUrl: 'Tracardi API URL',
  tmsUrl: 'TMS URL',
  'es.nodes': 'Elasticsearch node URL',
};

/** Move or drop every credential the settings store found; returns one line per instance for the operator. */
export async function adoptUrlCredentials(deps: UrlCredentialDeps, found: UrlCredential[]): Promise<string[]> {
  const lines: string[] = [];
  const byInstance = new Map<string, UrlCredential[]>();
  for (const c of found) byInstance.set(c.instanceId, [...(byInstance.get(c.instanceId) ?? []), c]);
  for (const [instanceId, credentials] of byInstance) {
    const line = await adoptForInstance(deps, instanceId, credentials).catch(
      (err: unknown) =>
        `Credentials were removed from the URLs of instance "${instanceId}" in config.json but could not be handled (${toConsoleError(err).code}): enter its secrets again and rotate them.`,
    );
    lines.push(line);
  }
  return lines;
}

async function adoptForInstance(
  deps: UrlCredentialDeps,
  instanceId: string,
  credentials: UrlCredential[],
): Promise<string> {
  const { settings, secrets, audit } = deps;
  const instance = settings.read().instances.find((i) => i.id === instanceId);
  const dropped = credentials.filter((c) => c.field !== 'es.nodes');
  const es = credentials.find((c) => c.field === 'es.nodes' && c.username !== '');
  const notes: string[] = [];
  for (const c of dropped) notes.push(`dropped the credentials of the ${FIELD_NAME[c.field]} ${c.url} (never sent)`);
  // An instance has one Elasticsearch user: the first node's credentials are kept, any others dropped.
  for (const c of credentials.filter((c) => c.field === 'es.nodes' && c !== es)) {
    notes.push(`dropped the credentials of the ${FIELD_NAME[c.field]} ${c.url} (one user per instance)`);
  }

  let outcome: 'ok' | 'failed' = 'ok';
  if (es && instance && instance.es.auth.type === 'apiKey') {
    notes.push(`dropped the user and password of the Elasticsearch node ${es.url} (the instance uses an API key)`);
  } else if (es && instance) {
    let stored = false;
    let why = '';
    if (es.password !== '') {
      try {
        await secrets.set(accountFor.instanceSecret(instanceId, 'es-password'), es.password);
        stored = true;
      } catch (err) {
        why = toConsoleError(err).code;
      }
    }
    settings.update((draft) => {
      const target = draft.instances.find((i) => i.id === instanceId);
      if (target) target.es.auth = { type: 'basic', username: es.username };
    });
    if (stored) {
      notes.push(
        `moved the Elasticsearch user "${es.username}" to the settings and its password to the OS keychain (from ${es.url})`,
      );
    } else {
      outcome = 'failed';
      notes.push(
        `set Elasticsearch user "${es.username}" (from ${es.url}); the password could not go to the keychain (${why || 'none in the URL'}) and was dropped: enter it again in the Elasticsearch password field`,
      );
    }
  }
  await audit.record({ action: 'migrate-secret', instanceId, outcome, detail: notes.join('; ') });
  return `Instance "${instanceId}": config.json held credentials in URLs; ${notes.join('; ')}. Rotate them: they were stored in plain text.`;
}
