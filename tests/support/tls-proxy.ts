// A TLS-terminating, authenticating reverse proxy in front of a plain-HTTP Elasticsearch, so tests
// can exercise CA files, expired certificates and credentials against a real cluster whose own
// security is disabled. The PKI (CAs and server certificates) is made per test run with node-forge.
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { forwardRequest } from './elasticsearch';

export interface TestPki {
  /** Temp dir holding every PEM file below. */
  dir: string;
  /** The CA the proxy's certificates are signed by (trust this one). */
  caFile: string;
  caPem: string;
  /** The CA's private key (to sign further certificates if a test needs them). */
  caKeyFile: string;
  /** An unrelated CA: trusting it instead of caFile must fail the handshake. */
  wrongCaFile: string;
  wrongCaPem: string;
  /** Server key shared by both server certificates. */
  serverKeyFile: string;
  /** Valid now, for 127.0.0.1, ::1 and localhost, signed by caFile. */
  serverCertFile: string;
  /** Same names and CA, but expired 30 days ago. */
  expiredServerCertFile: string;
  /** Removes dir. */
  remove(): void;
}

export type ProxyAuth = { type: 'basic'; username: string; password: string } | { type: 'apiKey'; key: string };

export interface TlsProxyOptions {
  /** Plain-HTTP Elasticsearch base URL, e.g. one of inject('esUrls'). */
  target: string;
  pki: TestPki;
  /** Which server certificate to present; default 'valid'. */
  cert?: 'valid' | 'expired';
  /**
   * Credentials the proxy demands. basic: `Authorization: Basic base64(username:password)`.
   * apiKey: `Authorization: ApiKey <key>` (key is the exact token, as ES expects the base64 "id:secret").
   * Omitted: no authentication.
   */
  auth?: ProxyAuth;
}

export interface TlsProxy {
  /** `https://127.0.0.1:<port>` (the certificate also covers localhost). */
  url: string;
  caFile: string;
  wrongCaFile: string;
  /** Every request the proxy received, in order, including rejected ones. */
  requests: Array<{ method: string; path: string; status: number }>;
  stop(): Promise<void>;
}

const DAY = 24 * 60 * 60 * 1000;

/** Makes a CA, a valid and an expired server certificate signed by it, and an unrelated CA. */
export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'tracardi-pki-'));
  const now = Date.now();
  const ca = makeCa('Tracardi Test CA', now);
  const wrongCa = makeCa('Unrelated Test CA', now);
  const serverKeys = rsaKeys();
  const valid = makeServerCert(serverKeys, ca, new Date(now - DAY), new Date(now + 30 * DAY));
  const expired = makeServerCert(serverKeys, ca, new Date(now - 60 * DAY), new Date(now - 30 * DAY));

  const caPem = forge.pki.certificateToPem(ca.cert);
  const wrongCaPem = forge.pki.certificateToPem(wrongCa.cert);
  const files = {
    caFile: write(dir, 'ca.pem', caPem),
    caKeyFile: write(dir, 'ca-key.pem', forge.pki.privateKeyToPem(ca.keys.privateKey)),
    wrongCaFile: write(dir, 'wrong-ca.pem', wrongCaPem),
    serverKeyFile: write(dir, 'server-key.pem', forge.pki.privateKeyToPem(serverKeys.privateKey)),
    serverCertFile: write(dir, 'server.pem', forge.pki.certificateToPem(valid)),
    expiredServerCertFile: write(dir, 'server-expired.pem', forge.pki.certificateToPem(expired)),
  };
  return {
    dir,
    caFile: files.caFile,
    caPem,
    caKeyFile: files.caKeyFile,
    wrongCaFile: files.wrongCaFile,
    wrongCaPem,
    serverKeyFile: files.serverKeyFile,
    serverCertFile: files.serverCertFile,
    expiredServerCertFile: files.expiredServerCertFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts the proxy on a free loopback port. Every upstream response header is passed through. */
export async function startTlsProxy(opts: TlsProxyOptions): Promise<TlsProxy> {
  const target = new URL(opts.target);
  if (target.protocol !== 'http:') throw new Error(`startTlsProxy: target must be plain http, got ${opts.target}`);
  const { pki } = opts;
  const agent = new http.Agent({ keepAlive: true });
  const requests: TlsProxy['requests'] = [];

  const server = https.createServer(
    {
      key: readFileSync(pki.serverKeyFile),
      cert: readFileSync(opts.cert === 'expired' ? pki.expiredServerCertFile : pki.serverCertFile),
    },
    (req, res) => {
      const entry = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
      requests.push(entry);
      const denied = opts.auth ? checkAuth(opts.auth, req.headers.authorization, entry.path) : undefined;
      if (denied) {
        entry.status = 401;
        req.resume();
        const body = JSON.stringify(denied);
        res.writeHead(401, {
          'WWW-Authenticate': ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'],
          'X-elastic-product': 'Elasticsearch',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      // The cluster behind has security disabled: the credentials stop here.
      forwardRequest(req, res, target, agent, {
        dropHeaders: ['authorization'],
        onStatus: (status) => (entry.status = status),
      });
    },
  );
  // A client that rejects our certificate aborts the handshake: that is the expected outcome in tests.
  server.on('tlsClientError', () => {});

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile: pki.caFile,
    wrongCaFile: pki.wrongCaFile,
    requests,
    stop: () =>
      (stopping ??= new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
        agent.destroy();
      })),
  };
}

// ---------------------------------------------------------------------------------------------

interface EsSecurityError {
  error: {
    root_cause: Array<{ type: string; reason: string; header: Record<string, string[]> }>;
    type: string;
    reason: string;
    header: Record<string, string[]>;
  };
  status: number;
}

/** Returns an Elasticsearch-shaped security error body when the credentials are wrong or missing. */
function checkAuth(auth: ProxyAuth, header: string | undefined, path: string): EsSecurityError | undefined {
  const [scheme = '', ...rest] = (header ?? '').trim().split(/\s+/);
  const token = rest.join(' ');
  let reason: string;
  if (!header) {
    reason = `missing authentication credentials for REST request [${path}]`;
  } else if (auth.type === 'basic' && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const user = sep >= 0 ? decoded.slice(0, sep) : decoded;
    if (sep >= 0 && safeEqual(user, auth.username) && safeEqual(decoded.slice(sep + 1), auth.password))
      return undefined;
    reason = `unable to authenticate user [${user}] for REST request [${path}]`;
  } else if (auth.type === 'apiKey' && scheme.toLowerCase() === 'apikey') {
    if (safeEqual(token, auth.key)) return undefined;
    reason = 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
  } else {
    reason = `unable to authenticate with provided credentials and anonymous access is not allowed for this request`;
  }
  const wwwAuth = {
    'WWW-Authenticate': ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'],
  };
  return {
    error: {
      root_cause: [{ type: 'security_exception', reason, header: wwwAuth }],
      type: 'security_exception',
      reason,
      header: wwwAuth,
    },
    status: 401,
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Ca {
  cert: forge.pki.Certificate;
  keys: forge.pki.rsa.KeyPair;
}

/** RSA keys generated natively (forge's pure-JS generation is slow), converted to forge objects. */
function rsaKeys(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const priv = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e) };
}

function serial(): string {
  return `01${randomBytes(15).toString('hex')}`; // leading 01: positive, non-zero
}

function makeCa(commonName: string, now: number): Ca {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - DAY);
  cert.validity.notAfter = new Date(now + 365 * DAY);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Tracardi Tenant Console tests' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, keys };
}

function makeServerCert(keys: forge.pki.rsa.KeyPair, ca: Ca, notBefore: Date, notAfter: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.keys.privateKey, forge.md.sha256.create());
  return cert;
}

function write(dir: string, name: string, pem: string): string {
  const file = join(dir, name);
  writeFileSync(file, pem, { mode: 0o600 });
  return file;
}
