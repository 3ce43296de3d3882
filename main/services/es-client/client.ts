/**
 * Building the Elasticsearch client for one instance: nodes, no retries or sniffing, credentials
 * from the keychain, TLS trust (CA file, pinned CA fingerprint, or verification off), timeout.
 */
import { readFile } from 'node:fs/promises';
import type * as tls from 'node:tls';
import type { Client, ClientOptions } from '@elastic/elasticsearch';
import { ConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import type { InstanceSecrets } from '../instances/types';
import { inspectServerCertificate, type PeerCertificate } from './certificates';
import type { EsClientDeps } from './deps';
import { classifyEsError, nodeLabel, who } from './errors';
import { loadEsLibrary } from './library';
import { meteringClasses } from './meter';

/** Secrets of one instance as `InstanceService.resolveSecrets` returns them. */

/** How the client reads files and server certificates; replaceable in tests. */

/**
 * What reaching an instance's Elasticsearch needs, whatever speaks HTTP to it (the client below or
 * the capacity snapshot's reader): credentials from the keychain and the TLS trust (CA file or PEM,
 * pinned CA fingerprint, or verification off). Async because the CA file is read from disk and a
 * fingerprint-only trust fetches the pinned CA; the failures are console errors naming the instance.
 */
export async function connectionSettings(
  instance: Instance,
  secrets: InstanceSecrets,
  deps: Pick<EsClientDeps, 'readFile' | 'inspectCertificate'> = {},
): Promise<EsConnectionSettings> {
  const es = instance.es;
  const out: EsConnectionSettings = { tls: {} };
  if (es.auth.type === 'basic') {
    const password = secrets['es-password'];
    if (password === undefined) {
      throw new ConsoleError(
        'es-unauthorized',
        `${who(instance)}: no Elasticsearch password is stored for user "${es.auth.username}"; set it in the instance settings.`,
        { instanceId: instance.id },
      );
    }
    out.auth = { username: es.auth.username, password };
  } else if (es.auth.type === 'apiKey') {
    const apiKey = secrets['es-api-key'];
    if (apiKey === undefined) {
      throw new ConsoleError(
        'es-unauthorized',
        `${who(instance)}: no Elasticsearch API key is stored; set it in the instance settings.`,
        { instanceId: instance.id },
      );
    }
    out.auth = { apiKey };
  }

  const tlsOptions = out.tls;
  const usesTls = es.nodes.some((n) => n.startsWith('https:'));
  if (usesTls && es.tls.caPem !== undefined) {
    tlsOptions.ca = es.tls.caPem;
  } else if (usesTls && es.tls.caFile !== undefined) {
    const read = deps.readFile ?? ((p: string) => readFile(p));
    try {
      tlsOptions.ca = await read(es.tls.caFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConsoleError(
        'es-tls',
        `${who(instance)}: cannot read the CA file ${es.tls.caFile} (${code}); fix the path in the instance settings.`,
        { instanceId: instance.id, cause: err },
      );
    }
  }
  if (usesTls && es.tls.caFingerprint !== undefined) {
    out.caFingerprint = es.tls.caFingerprint;
    if (tlsOptions.ca === undefined && es.tls.verify) {
      // A fingerprint alone: trust exactly the presented CA certificate with that SHA-256, then let
      // OpenSSL verify chain, expiry and host name against it as it would against a CA file.
      tlsOptions.ca = await pinnedCaPem(instance, deps.inspectCertificate ?? inspectServerCertificate);
    }
  }
  if (usesTls && !es.tls.verify) {
    // The operator switched certificate verification off for this instance (shown in UI and CLI).
    tlsOptions.rejectUnauthorized = false;
  }
  return out;
}

/** Credentials and TLS trust of one instance (connectionSettings). */
export interface EsConnectionSettings {
  auth?: { username: string; password: string } | { apiKey: string };
  /** CA (file, PEM or the pinned certificate) and `rejectUnauthorized: false` when verification is off. */
  tls: tls.ConnectionOptions;
  /** SHA-256 of the CA the server's chain must end in (hex, colons optional). */
  caFingerprint?: string;
}

/**
 * Build a client for the instance: its nodes, credentials from the keychain, TLS trust, timeout.
 * Async because the CA file is read from disk and a fingerprint-only trust fetches the pinned CA.
 */
export async function createEsClient(
  instance: Instance,
  secrets: InstanceSecrets,
  deps: EsClientDeps = {},
): Promise<Client> {
  const es = instance.es;
  const lib = await loadEsLibrary();
  const { MeteredConnection, Pre714Transport } = meteringClasses(lib);
  const options: ClientOptions = {
    nodes: es.nodes,
    Connection: MeteredConnection,
    requestTimeout: es.timeoutMs,
    // No retries: a snapshot must stay bounded by one timeout, and the operator's next refresh is the
    // retry. A retry against a dead or slow single node would only double the wait.
    maxRetries: 0,
    // The configured node URLs are the ones the operator can reach (often a proxy or load balancer);
    // sniffed publish addresses usually are not.
    sniffOnStart: false,
    sniffOnConnectionFault: false,
    sniffInterval: false,
    // Plain JSON rather than the 8.x client's "compatible-with=8" media type, which 7.x servers reject.
    headers: { accept: 'application/json' },
    enableMetaHeader: false,
  };
  if (deps.productCheck === 'pre-7.14') options.Transport = Pre714Transport;
  const settings = await connectionSettings(instance, secrets, deps);
  if (settings.auth !== undefined) options.auth = settings.auth;
  if (settings.caFingerprint !== undefined) options.caFingerprint = settings.caFingerprint;
  // Connect timeout too (undici's own default is 10 s), so a black-holed address fails within timeoutMs.
  options.tls = { ...settings.tls, timeout: es.timeoutMs };
  return new lib.Client(options);
}

/** The PEM of the certificate in the server's chain whose SHA-256 matches the instance's pin. */
async function pinnedCaPem(instance: Instance, inspect: typeof inspectServerCertificate): Promise<string> {
  const pin = normaliseFingerprint(instance.es.tls.caFingerprint ?? '');
  const node = instance.es.nodes.find((n) => n.startsWith('https:')) ?? instance.es.nodes[0]!;
  let chain: PeerCertificate[];
  try {
    chain = (await inspect(node, instance.es.timeoutMs)).chain;
  } catch (err) {
    throw classifyEsError(err, instance);
  }
  const match = chain.find((c) => c.fingerprint256 === pin);
  if (match === undefined) {
    throw new ConsoleError(
      'es-tls',
      `${who(instance)}: no certificate presented by ${nodeLabel(node)} matches the configured CA fingerprint; check the fingerprint (SHA-256 of the cluster's CA certificate).`,
      { instanceId: instance.id },
    );
  }
  return match.pem;
}

function normaliseFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toLowerCase();
}
