// A real Elasticsearch with security ON for the tests of least privilege: x-pack-security with TLS on
// HTTP (a CA and a node certificate this module makes with node-forge), the `elastic` superuser's
// password set through the keystore's bootstrap.password, and helpers that create roles, users and API
// keys through the security API (stored in the security index, which needs the test plugin of
// secured-home.ts on this distribution). One such cluster serves a whole run (global-setup-secured.ts).
//
// Why node-forge, not bin/elasticsearch-certutil: the tests already make their PKI with it
// (tls-proxy.ts: a CA, a certificate for 127.0.0.1, ::1 and localhost, an unrelated CA), it runs
// in-process in milliseconds, while each certutil call starts a JVM (seconds on a loaded 2-core
// machine) and writes PKCS#12/zip files that would need unpacking again into PEM for Node's clients.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { startElasticsearch } from './elasticsearch';
import { forwardRequest, requestJson, type JsonReply } from './root-endpoint';
import { securedHome } from './secured-home';
import { createTestPki } from './tls-proxy';

/** Everything a test needs to reach the secured cluster; plain data (it travels through a file). */
export interface SecuredCluster {
  name: string;
  /** `https://127.0.0.1:<port>`: the node itself, its own TLS and security. */
  directUrl: string;
  /** `https://…`: the root-endpoint shim (adds `GET /`, asking the cluster whether the caller may). */
  url: string;
  /**
   * `http://127.0.0.1:<port>`: every request forwarded as `elastic` (superuser), for fixtures only
   * (the Tracardi simulator, plain-fetch helpers). Loopback only, and gone with the cluster.
   */
  adminUrl: string;
  /** The CA that signed the node's certificate: file, PEM, and SHA-256 as `AA:BB:…` (Elasticsearch's form). */
  caFile: string;
  caPem: string;
  caFingerprint: string;
  /** An unrelated CA: trusting it instead must fail the handshake. */
  wrongCaFile: string;
  wrongCaPem: string;
  /** The `elastic` superuser's password. */
  elasticPassword: string;
}

export interface RunningSecuredCluster extends SecuredCluster {
  stop(): Promise<void>;
}

/** Starts the cluster (about as long as a plain one: the keystore tool adds one short JVM run). */
export async function startSecuredElasticsearch(opts: { name?: string } = {}): Promise<RunningSecuredCluster> {
  const pki = await createTestPki();
  const elasticPassword = `elastic-${randomBytes(12).toString('hex')}`;
  const caPem = pki.caPem;
  let es;
  try {
    es = await startElasticsearch({
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      // The distribution plus a test plugin, without which the security index cannot be made (secured-home.ts).
      home: securedHome,
      security: {
        caPem,
        keyPem: readFileSync(pki.serverKeyFile, 'utf8'),
        // The CA after the node's certificate: clients pinning the CA by fingerprint find it in the chain.
        certPem: readFileSync(pki.serverCertFile, 'utf8') + caPem,
        elasticPassword,
      },
    });
  } catch (err) {
    pki.remove();
    throw err;
  }
  const admin = await startAdminProxy(es.directUrl, caPem, basicAuth('elastic', elasticPassword));
  const cluster: SecuredCluster = {
    name: es.name,
    directUrl: es.directUrl,
    url: es.url,
    adminUrl: admin.url,
    caFile: pki.caFile,
    caPem,
    caFingerprint: fingerprintOf(caPem),
    wrongCaFile: pki.wrongCaFile,
    wrongCaPem: pki.wrongCaPem,
    elasticPassword,
  };
  let stopping: Promise<void> | undefined;
  return {
    ...cluster,
    stop: () =>
      (stopping ??= (async () => {
        await admin.stop();
        await es.stop();
        pki.remove();
      })()),
  };
}

/**
 * The state file the tests read (`securedCluster()`): `{ ready: SecuredCluster }` or `{ error }`,
 * written whole or not at all (they poll it). It holds the `elastic` password: mode 0600.
 */
export function writeState(
  file: string,
  state: { ready: SecuredCluster; startedInMs: number } | { error: string },
): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** SHA-256 of a PEM certificate as Elasticsearch prints it (`AA:BB:…`). */
export function fingerprintOf(pem: string): string {
  const der = new X509Certificate(pem).raw;
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function startAdminProxy(
  directUrl: string,
  ca: string,
  authorization: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const target = new URL(directUrl);
  const agent = new https.Agent({ keepAlive: true, ca });
  const server = http.createServer((req, res) =>
    forwardRequest(req, res, target, agent, { setHeaders: { authorization } }),
  );
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Roles, users and API keys through the security API (as `elastic`)
// ---------------------------------------------------------------------------------------------

/** An Elasticsearch role descriptor, the part the console's roles use. */
export interface EsRole {
  cluster: string[];
  indices: Array<{ names: string[]; privileges: string[]; allow_restricted_indices?: boolean }>;
}

/** The registry's own hidden indices (issue 17). */
export const REGISTRY_PATTERN = '.tracardi-console-*';

/** True for an `indices` entry that names only the registry's indices (the pattern or some of them). */
export function isRegistryEntry(entry: { names: string[] }): boolean {
  return entry.names.every((n) => n.startsWith('.tracardi-console-'));
}

/**
 * A read-only role for the console's read-only mode: the documented role's reads (every entry that
 * is not the registry's own) and `read` on the registry's indices; no write anywhere.
 */
export function readOnlyRole(role: EsRole = documentedConsoleRole()): EsRole {
  const reads = role.indices.filter((e) => !isRegistryEntry(e));
  return { cluster: role.cluster, indices: [...reads, { names: [REGISTRY_PATTERN], privileges: ['read'] }] };
}

const SECURITY_DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'security.md');
const ROLE_MARKER = '<!-- console-es-role';

/** The console's role as docs/security.md gives it: the first json block after its marker comment. */
export function documentedConsoleRole(doc: string = readFileSync(SECURITY_DOC, 'utf8')): EsRole {
  const at = doc.indexOf(ROLE_MARKER);
  const block = at < 0 ? null : /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
  if (block === null) throw new Error(`docs/security.md has no json block after ${ROLE_MARKER}`);
  return JSON.parse(block[1]!) as EsRole;
}

/** One privilege of a role: a cluster privilege, or one index privilege of one `indices` entry. */
export type RolePrivilege = { cluster: string } | { entry: number; names: string[]; index: string };

/** Every privilege of `role`, one by one. */
export function privilegesOf(role: EsRole): RolePrivilege[] {
  return [
    ...role.cluster.map((cluster) => ({ cluster })),
    ...role.indices.flatMap((e, entry) => e.privileges.map((index) => ({ entry, names: e.names, index }))),
  ];
}

/** `role` without one privilege (an `indices` entry left with none is dropped). */
export function withoutPrivilege(role: EsRole, p: RolePrivilege): EsRole {
  if ('cluster' in p) return { ...role, cluster: role.cluster.filter((c) => c !== p.cluster) };
  const indices = role.indices
    .map((e, i) => (i === p.entry ? { ...e, privileges: e.privileges.filter((x) => x !== p.index) } : e))
    .filter((e) => e.privileges.length > 0);
  return { ...role, indices };
}

/** How a privilege is named in test titles and messages. */
export function describePrivilege(p: RolePrivilege): string {
  return 'cluster' in p ? `cluster ${p.cluster}` : `index ${p.index} on ${p.names.join(', ')}`;
}

/** A request to the cluster as `elastic`; any status comes back. */
export function asElastic(cluster: SecuredCluster, method: string, path: string, body?: unknown): Promise<JsonReply> {
  return requestJson(cluster.directUrl, path, {
    ca: cluster.caPem,
    authorization: basicAuth('elastic', cluster.elasticPassword),
    method,
    body,
    timeoutMs: 30_000,
  });
}

async function ok(cluster: SecuredCluster, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await asElastic(cluster, method, path, body);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}

/** Creates or replaces a role. */
export async function putRole(cluster: SecuredCluster, name: string, role: EsRole): Promise<void> {
  await ok(cluster, 'PUT', `/_security/role/${encodeURIComponent(name)}`, role);
}

/** Creates or replaces a native user holding exactly `roles`. */
export async function putUser(
  cluster: SecuredCluster,
  username: string,
  password: string,
  roles: string[],
): Promise<void> {
  await ok(cluster, 'PUT', `/_security/user/${encodeURIComponent(username)}`, { password, roles });
}

/**
 * An API key limited to `role` (created by `elastic`, so it holds exactly the role's privileges).
 * `encoded` is what clients send (`Authorization: ApiKey <encoded>`).
 */
export async function createApiKey(
  cluster: SecuredCluster,
  name: string,
  role: EsRole,
): Promise<{ id: string; encoded: string }> {
  const reply = (await ok(cluster, 'POST', '/_security/api_key', {
    name,
    role_descriptors: { [name]: role },
  })) as { id: string; encoded: string };
  return { id: reply.id, encoded: reply.encoded };
}

/** Removes users, roles and API keys a test made (missing ones are fine). */
export async function removeSecurityObjects(
  cluster: SecuredCluster,
  what: { users?: string[]; roles?: string[]; apiKeyIds?: string[] },
): Promise<void> {
  const done = async (path: string, body?: unknown) => {
    const r = await asElastic(cluster, 'DELETE', path, body);
    if (r.status !== 200 && r.status !== 404)
      throw new Error(`DELETE ${path}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  };
  for (const u of what.users ?? []) await done(`/_security/user/${encodeURIComponent(u)}`);
  for (const r of what.roles ?? []) await done(`/_security/role/${encodeURIComponent(r)}`);
  if ((what.apiKeyIds ?? []).length > 0) await done('/_security/api_key', { ids: what.apiKeyIds });
}
