/**
 * Reading the certificate chain a TLS server presents, without trusting it or sending anything:
 * used to pin a CA by fingerprint and to name expiry dates and host names in error messages.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { loadEsLibrary } from './library';

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
export async function inspectServerCertificate(
  nodeUrl: string,
  timeoutMs: number,
): Promise<{ chain: PeerCertificate[]; authorizationError?: string }> {
  // Its failures are the client's own errors, so that classifyEsError words them like a request's.
  const { errors } = await loadEsLibrary();
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
