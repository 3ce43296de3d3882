/**
 * Elasticsearch client for one instance, and the translation of everything that can go wrong on the
 * way to it into a ConsoleError an operator can act on.
 *
 * Requests and received bytes are metered per caller: pass `meteredRequest(meter)` as the request
 * options and the metering connection adds to that meter, so several snapshots may share one client.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { Client, SniffingTransport, UndiciConnection, errors, type ClientOptions } from '@elastic/elasticsearch';
import type {
  ConnectionRequestOptions,
  ConnectionRequestOptionsAsStream,
  ConnectionRequestParams,
  ConnectionRequestResponse,
  ConnectionRequestResponseAsStream,
  TransportOptions,
} from '@elastic/elasticsearch';
import { ConsoleError } from '../../shared/errors';
import type { Instance, SecretKind } from '../../shared/instance';

/** Secrets of one instance as `InstanceService.resolveSecrets` returns them. */
export type InstanceSecrets = Partial<Record<SecretKind, string>>;

/** What a group of requests cost: requests sent and response body bytes received (as on the wire). */
export interface RequestMeter {
  requests: number;
  bytesReceived: number;
  /** Successful responses without `x-elastic-product: Elasticsearch` (see `productCheck: 'pre-7.14'`). */
  withoutProductHeader: number;
}

export function createMeter(): RequestMeter {
  return { requests: 0, bytesReceived: 0, withoutProductHeader: 0 };
}

const METER = 'tenantConsoleMeter';

/** Request options that charge a request to `meter` and let `signal` abort it. */
export function meteredRequest(
  meter: RequestMeter,
  signal?: AbortSignal,
): { context: Record<string, unknown>; signal?: AbortSignal } {
  return signal === undefined ? { context: { [METER]: meter } } : { context: { [METER]: meter }, signal };
}

/** Undici connection that charges each request and its response body to the caller's meter. */
class MeteredConnection extends UndiciConnection {
  override request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions,
  ): Promise<ConnectionRequestResponse>;
  override request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponseAsStream>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
  ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
    const context: unknown = options.context;
    const meter =
      context !== null && typeof context === 'object' ? (context as Record<string, unknown>)[METER] : undefined;
    const m = isMeter(meter) ? meter : undefined;
    if (m !== undefined) m.requests += 1;
    if ('asStream' in options && options.asStream) return super.request(params, options);
    const response = await super.request(params, options as ConnectionRequestOptions);
    if (m !== undefined) {
      // Body as read off the socket: compressed bytes when the server compressed.
      m.bytesReceived += typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      if (ok && response.headers['x-elastic-product'] !== 'Elasticsearch') m.withoutProductHeader += 1;
    }
    return response;
  }
}

function isMeter(value: unknown): value is RequestMeter {
  return value !== null && typeof value === 'object' && typeof (value as RequestMeter).requests === 'number';
}

/**
 * The client's own product check refuses every successful response without `x-elastic-product`,
 * which Elasticsearch sends only from 7.14: 7.10 to 7.13 would look like "not Elasticsearch". With
 * this transport the check moves to the caller, which sees the version: the metering connection
 * counts such responses (RequestMeter.withoutProductHeader) and assertElasticsearchProduct decides.
 */
class Pre714Transport extends SniffingTransport {
  constructor(opts: TransportOptions) {
    super({ ...opts, productCheck: undefined });
  }
}

/** How the client reads files and server certificates; replaceable in tests. */
export interface EsClientDeps {
  readFile?: (path: string) => Promise<Buffer>;
  inspectCertificate?: typeof inspectServerCertificate;
  /**
   * 'strict' (default): the client refuses responses without `x-elastic-product`.
   * 'pre-7.14': accept them, meter them, and call assertElasticsearchProduct once the version is known.
   */
  productCheck?: 'strict' | 'pre-7.14';
}

/** Display form of a node URL without any user info a URL may carry. */
export function nodeLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid URL)';
  }
}

function who(instance: Instance): string {
  return `Instance "${instance.name}"`;
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

  if (es.auth.type === 'basic') {
    const password = secrets['es-password'];
    if (password === undefined) {
      throw new ConsoleError(
        'es-unauthorized',
        `${who(instance)}: no Elasticsearch password is stored for user "${es.auth.username}"; set it in the instance settings.`,
        { instanceId: instance.id },
      );
    }
    options.auth = { username: es.auth.username, password };
  } else if (es.auth.type === 'apiKey') {
    const apiKey = secrets['es-api-key'];
    if (apiKey === undefined) {
      throw new ConsoleError(
        'es-unauthorized',
        `${who(instance)}: no Elasticsearch API key is stored; set it in the instance settings.`,
        { instanceId: instance.id },
      );
    }
    options.auth = { apiKey };
  }

  // Connect timeout too (undici's own default is 10 s), so a black-holed address fails within timeoutMs.
  const tlsOptions: tls.ConnectionOptions = { timeout: es.timeoutMs };
  const usesTls = es.nodes.some((n) => n.startsWith('https:'));
  if (usesTls && es.tls.caFile !== undefined) {
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
    options.caFingerprint = es.tls.caFingerprint;
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
  options.tls = tlsOptions;
  return new Client(options);
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

/** One certificate of a server's chain, as read without trusting it. */
export interface PeerCertificate {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  /** lower-case hex, no colons */
  fingerprint256: string;
  /** `DNS:a.example, IP Address:10.0.0.1`, as OpenSSL prints it; empty when absent. */
  subjectAltName: string;
  pem: string;
}

/**
 * Read the certificate chain a TLS server presents, for diagnosis and fingerprint pinning only.
 * Sends no HTTP request and no credential; the socket is closed as soon as the handshake ends.
 */
export function inspectServerCertificate(
  nodeUrl: string,
  timeoutMs: number,
): Promise<{ chain: PeerCertificate[]; authorizationError?: string }> {
  const u = new URL(nodeUrl);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port === '' ? 443 : u.port);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      // Reading an untrusted certificate to describe it: nothing is sent over this socket.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    socket.once('secureConnect', () => {
      const chain: PeerCertificate[] = [];
      const seen = new Set<string>();
      let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert !== undefined && cert.raw !== undefined) {
        const x509 = new X509Certificate(cert.raw);
        const fp = createHash('sha256').update(cert.raw).digest('hex');
        if (seen.has(fp)) break;
        seen.add(fp);
        chain.push({
          subject: x509.subject,
          issuer: x509.issuer,
          validFrom: new Date(x509.validFrom),
          validTo: new Date(x509.validTo),
          fingerprint256: fp,
          subjectAltName: x509.subjectAltName ?? '',
          pem: x509.toString(),
        });
        cert = cert.issuerCertificate;
      }
      const authorizationError = socket.authorizationError === null ? undefined : String(socket.authorizationError);
      socket.destroy();
      resolve(authorizationError === undefined ? { chain } : { chain, authorizationError });
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new errors.TimeoutError('Request timed out'));
    });
    socket.once('error', (err) => reject(new errors.ConnectionError(err.message)));
  });
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

  if (details.deadlineExceeded === true || err instanceof errors.TimeoutError) {
    return new ConsoleError(
      'es-timeout',
      `${name}: Elasticsearch at ${node} did not answer within ${instance.es.timeoutMs} ms; check that the cluster is up and not overloaded, or raise the instance's timeout.`,
      id,
    );
  }
  if (err instanceof errors.ProductNotSupportedError) {
    return new ConsoleError(
      'es-not-elasticsearch',
      `${name}: the server at ${node} answered but is not Elasticsearch (no x-elastic-product header); check the node URL and port.`,
      id,
    );
  }
  if (err instanceof errors.ResponseError) {
    return classifyResponse(err, instance, node);
  }
  if (err instanceof errors.DeserializationError) {
    return new ConsoleError(
      'es-not-elasticsearch',
      `${name}: the server at ${node} sent a response that is not Elasticsearch JSON; check the node URL and port.`,
      id,
    );
  }
  if (err instanceof errors.RequestAbortedError) {
    return new ConsoleError(
      'es-timeout',
      `${name}: the request to ${node} was aborted before Elasticsearch answered.`,
      id,
    );
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError || err instanceof Error) {
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
    if (err instanceof errors.ElasticsearchClientError) {
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
    return new ConsoleError(
      'es-forbidden',
      `${name}: the Elasticsearch user may not read cluster state (403); it needs the cluster privilege "monitor" and the index privileges "monitor" and "view_index_metadata" on all indices (*).`,
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
