/**
 * The translation of everything that can go wrong on the way to Elasticsearch into a ConsoleError
 * an operator can act on, and the checks of the cluster's product and version.
 */
import type { errors } from '@elastic/elasticsearch';
import { ConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { inspectServerCertificate, type PeerCertificate } from './certificates';
import type { EsClientDeps } from './deps';
import { esErrorName } from './library';
import type { RequestMeter } from './meter';

/** Display form of a node URL without any user info a URL may carry. */
export function nodeLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid URL)';
  }
}

export function who(instance: Instance): string {
  return `Instance "${instance.name}"`;
}

/** Details the classifier can use when a caller has them (e.g. the certificate of a failed handshake). */
export interface EsErrorDetails {
  node?: string;
  certificate?: PeerCertificate;
  /** The caller aborted the request because the instance's deadline passed. */
  deadlineExceeded?: boolean;
}

const TLS_UNKNOWN_CA =
  /self[- ]signed certificate|unable to get local issuer certificate|unable to verify the first certificate|unable to get issuer certificate|certificate chain|CA fingerprint does not match/i;
const TLS_EXPIRED = /certificate has expired|CERT_HAS_EXPIRED/i;
const TLS_NOT_YET_VALID = /certificate is not yet valid/i;
const TLS_HOSTNAME = /Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i;
const TLS_PROTOCOL =
  /wrong version number|packet length too long|unknown protocol|ssl3_get_record|tlsv1 alert|handshake failure|EPROTO|ssl routines|certificate/i;

/**
 * Turn anything the client throws into a ConsoleError that names the instance and says what to do.
 * Never includes credentials: only status codes, node addresses and ES error types are quoted.
 */
export function classifyEsError(err: unknown, instance: Instance, details: EsErrorDetails = {}): ConsoleError {
  if (err instanceof ConsoleError) return err;
  const id = { instanceId: instance.id, cause: err };
  const name = who(instance);
  const node =
    details.node ??
    failedNode(err) ??
    (instance.es.nodes.length === 1 ? nodeLabel(instance.es.nodes[0]!) : 'its Elasticsearch nodes');
  const message = err instanceof Error ? err.message : String(err);
  const esError = esErrorName(err);

  if (details.deadlineExceeded === true || esError === 'TimeoutError') {
    return new ConsoleError(
      'es-timeout',
      `${name}: Elasticsearch at ${node} did not answer within ${instance.es.timeoutMs} ms; check that the cluster is up and not overloaded, or raise the instance's timeout.`,
      id,
    );
  }
  if (esError === 'ProductNotSupportedError') {
    return new ConsoleError(
      'es-not-elasticsearch',
      `${name}: the server at ${node} answered but is not Elasticsearch (no x-elastic-product header); check the node URL and port.`,
      id,
    );
  }
  if (esError === 'ResponseError') {
    return classifyResponse(err as errors.ResponseError, instance, node);
  }
  if (esError === 'DeserializationError') {
    return new ConsoleError(
      'es-not-elasticsearch',
      `${name}: the server at ${node} sent a response that is not Elasticsearch JSON; check the node URL and port.`,
      id,
    );
  }
  if (esError === 'RequestAbortedError') {
    return new ConsoleError(
      'es-timeout',
      `${name}: the request to ${node} was aborted before Elasticsearch answered.`,
      id,
    );
  }
  if (err instanceof Error) {
    if (/ECONNREFUSED/.test(message)) {
      return new ConsoleError(
        'es-refused',
        `${name}: connection refused by ${node}; is Elasticsearch running there and is the port right?`,
        id,
      );
    }
    if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL/.test(message)) {
      const host = hostOf(node);
      const temporary = /EAI_AGAIN/.test(message);
      return new ConsoleError(
        'es-dns',
        `${name}: the host name ${host} ${temporary ? 'could not be resolved right now (DNS did not answer)' : 'does not resolve'}; check the node URL and this computer's DNS.`,
        id,
      );
    }
    if (/Connect Timeout|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT/i.test(message)) {
      return new ConsoleError(
        'es-timeout',
        `${name}: could not connect to ${node} within ${instance.es.timeoutMs} ms; check the address, firewall and VPN.`,
        id,
      );
    }
    if (TLS_EXPIRED.test(message)) {
      const when =
        details.certificate !== undefined ? ` on ${details.certificate.validTo.toISOString().slice(0, 10)}` : '';
      return new ConsoleError(
        'es-tls',
        `${name}: the server's certificate at ${node} expired${when}; renew the Elasticsearch HTTP certificate.`,
        id,
      );
    }
    if (TLS_NOT_YET_VALID.test(message)) {
      return new ConsoleError(
        'es-tls',
        `${name}: the server's certificate at ${node} is not valid yet; check the clocks of this computer and the server.`,
        id,
      );
    }
    if (TLS_HOSTNAME.test(message)) {
      const host = hostOf(node);
      const names = details.certificate?.subjectAltName;
      return new ConsoleError(
        'es-tls',
        `${name}: the server's certificate at ${node} is not issued for ${host}${names ? ` (it names ${names})` : ''}; use a host name the certificate names in the node URL.`,
        id,
      );
    }
    if (/CA fingerprint does not match/i.test(message)) {
      return new ConsoleError(
        'es-tls',
        `${name}: the server at ${node} presented a CA that does not match the configured fingerprint; check the instance's CA fingerprint.`,
        id,
      );
    }
    if (TLS_UNKNOWN_CA.test(message)) {
      return new ConsoleError(
        'es-tls',
        `${name}: the certificate of ${node} is signed by an unknown or self-signed CA; configure the instance's CA file or fingerprint.`,
        id,
      );
    }
    if (TLS_PROTOCOL.test(message)) {
      return new ConsoleError(
        'es-tls',
        `${name}: TLS handshake with ${node} failed; check http:// versus https:// in the node URL.`,
        id,
      );
    }
    if (/other side closed|ECONNRESET|socket hang up|UND_ERR_SOCKET/i.test(message)) {
      const hint = node.startsWith('http:') ? ' If the cluster uses TLS, the node URL must start with https://.' : '';
      return new ConsoleError('es-refused', `${name}: ${node} closed the connection without answering.${hint}`, id);
    }
    if (/EHOSTUNREACH|ENETUNREACH/.test(message)) {
      return new ConsoleError(
        'es-refused',
        `${name}: ${node} is unreachable from this computer (no route); check the network or VPN.`,
        id,
      );
    }
    if (esError !== undefined) {
      return new ConsoleError('es-error', `${name}: request to ${node} failed: ${firstLine(message)}`, id);
    }
  }
  return new ConsoleError('internal', `${name}: unexpected error talking to Elasticsearch: ${firstLine(message)}`, id);
}

function classifyResponse(err: errors.ResponseError, instance: Instance, node: string): ConsoleError {
  const id = { instanceId: instance.id, cause: err };
  const name = who(instance);
  const status = err.statusCode ?? 0;
  const headers = err.headers ?? {};
  if (status === 401) {
    const what =
      instance.es.auth.type === 'apiKey'
        ? 'API key'
        : instance.es.auth.type === 'basic'
          ? 'user name and password'
          : 'credentials (none are configured)';
    return new ConsoleError(
      'es-unauthorized',
      `${name}: Elasticsearch at ${node} rejected the login (401); check the ${what}.`,
      id,
    );
  }
  if (status === 403) {
    // Elasticsearch names the action it refused (`action [indices:admin/aliases/get] is unauthorized
    // for user [...]`): the one privilege the role lacks. The role is docs/security.md's, as tested.
    const action = /action \[([^\]\s]+)\] is unauthorized/.exec(esReason(err.body))?.[1];
    const credential = instance.es.auth.type === 'apiKey' ? 'API key' : 'user';
    return new ConsoleError(
      'es-forbidden',
      `${name}: Elasticsearch at ${node} refused the ${credential} a request (403${action !== undefined ? `: ${action}` : ''}); its role needs the cluster privilege "monitor", the index privilege "monitor" on all indices (*) and "view_index_metadata" on *.tracardi-*.`,
      id,
    );
  }
  const body: unknown = err.body;
  const isEs =
    headers['x-elastic-product'] === 'Elasticsearch' || (body !== null && typeof body === 'object' && 'error' in body);
  if (!isEs) {
    return new ConsoleError(
      'es-not-elasticsearch',
      `${name}: ${node} answered HTTP ${status} from something that is not Elasticsearch (a proxy or another service?); check the node URL and port.`,
      id,
    );
  }
  const reason = esReason(body);
  return new ConsoleError(
    'es-error',
    `${name}: Elasticsearch at ${node} answered HTTP ${status}${reason !== '' ? `: ${reason}` : ''}`,
    id,
  );
}

function esReason(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return firstLine(error).slice(0, 200);
  if (error !== null && typeof error === 'object') {
    const e = error as { type?: unknown; reason?: unknown };
    return firstLine(`${String(e.type ?? 'error')}: ${String(e.reason ?? '')}`).slice(0, 200);
  }
  return '';
}

function failedNode(err: unknown): string | undefined {
  // The capacity reader's errors name their node (reader.ts); the client's carry it in their meta.
  const own = (err as { node?: unknown } | null)?.node;
  if (err instanceof Error && typeof own === 'string') return own;
  const meta = (err as { meta?: { meta?: { connection?: { url?: URL } | null } } } | null)?.meta;
  const url = meta?.meta?.connection?.url;
  return url !== undefined ? nodeLabel(url.toString()) : undefined;
}

function hostOf(node: string): string {
  try {
    return new URL(node).hostname;
  } catch {
    return node;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/**
 * Like classifyEsError, but for an expired certificate or a host-name mismatch it reads the server's
 * certificate (no request, no credential sent) to name the expiry date or the names it covers.
 */
export async function diagnoseEsError(
  err: unknown,
  instance: Instance,
  deps: Pick<EsClientDeps, 'inspectCertificate'> = {},
): Promise<ConsoleError> {
  const first = classifyEsError(err, instance);
  const message = err instanceof Error ? err.message : '';
  const expired = TLS_EXPIRED.test(message);
  if (first.code !== 'es-tls' || !(expired || TLS_HOSTNAME.test(message))) return first;
  const failed = failedNode(err);
  const node = instance.es.nodes.find(
    (n) => n.startsWith('https:') && (failed === undefined || nodeLabel(n) === failed),
  );
  if (node === undefined) return first;
  try {
    const { chain } = await (deps.inspectCertificate ?? inspectServerCertificate)(node, instance.es.timeoutMs);
    const now = Date.now();
    const certificate = expired ? (chain.find((c) => c.validTo.getTime() < now) ?? chain[0]) : chain[0];
    return certificate === undefined ? first : classifyEsError(err, instance, { certificate, node: nodeLabel(node) });
  } catch {
    return first;
  }
}

/** Versions of Elasticsearch the console reads: 7.10 up to 9.x. */
export function isSupportedEsVersion(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return (major === 7 && minor >= 10) || major === 8 || major === 9;
}

/** Throw es-unsupported-version unless the cluster's version is one the console reads. */
export function assertSupportedEsVersion(version: string, instance: Instance): void {
  if (!isSupportedEsVersion(version)) {
    throw new ConsoleError(
      'es-unsupported-version',
      `${who(instance)}: Elasticsearch ${version} is not supported; the console reads 7.10 to 9.x.`,
      { instanceId: instance.id },
    );
  }
}

/**
 * For clients built with `productCheck: 'pre-7.14'`: successful responses without the product
 * header are Elasticsearch only if the cluster is 7.10 to 7.13 (later versions always send it).
 */
export function assertElasticsearchProduct(meter: RequestMeter, version: string, instance: Instance): void {
  if (meter.withoutProductHeader === 0) return;
  const m = /^7\.(\d+)\./.exec(version);
  if (m !== null && Number(m[1]) >= 10 && Number(m[1]) < 14) return;
  const node = instance.es.nodes.length === 1 ? nodeLabel(instance.es.nodes[0]!) : 'its nodes';
  throw new ConsoleError(
    'es-not-elasticsearch',
    `${who(instance)}: the server at ${node} answered but is not Elasticsearch (no x-elastic-product header); check the node URL and port.`,
    { instanceId: instance.id },
  );
}
