// Every way reaching an instance's Elasticsearch can fail, against a real cluster behind the TLS proxy
// (real TLS handshakes, real credentials checks) and small servers that are not Elasticsearch. Each
// failure must come back as the right ConsoleError code, naming the instance, never the secret.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacityOutcome } from '../../shared/capacity/capacity';
import { ConsoleError } from '../../shared/errors/errors';
import { instanceSchema, type Instance, type InstanceInput } from '../../shared/instances/instance';
import { CapacityService } from '../../main/services/capacity';
import type { InstanceSecrets } from '../../main/services/es-client';
import { forwardRequest } from '../support/elasticsearch';
import { createTestPki, startTlsProxy, type TestPki, type TlsProxy } from '../support/tls-proxy';

const PASSWORD = 'S3cret-Pa55word-never-shown';
const API_KEY = Buffer.from('key-id:Api-K3y-never-shown').toString('base64');
const NAME = 'Errors Test Instance';

function instance(es: Partial<InstanceInput['es']>, extra: Partial<InstanceInput> = {}): Instance {
  return instanceSchema.parse({
    id: 'err-test',
    name: NAME,
    environment: 'test',
    apiUrl: 'https://api.err.example.com',
    tenantDomainSuffix: 'err.example.com',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.err.example.com',
    es: { timeoutMs: 5000, ...es },
    ...extra,
  });
}

/** A snapshot through the real service, with the instance and its secrets held in memory. */
async function snapshot(inst: Instance, secrets: InstanceSecrets = {}): Promise<CapacityOutcome> {
  const service = new CapacityService({
    instances: {
      get: async () => ({ instance: inst, tlsVerifyOff: !inst.es.tls.verify, warnings: [] }),
      list: async () => [{ instance: inst, tlsVerifyOff: !inst.es.tls.verify, warnings: [] }],
      resolveSecrets: async () => secrets,
    },
  });
  try {
    return await service.snapshot(inst.id);
  } finally {
    await service.close();
  }
}

function expectError(outcome: CapacityOutcome, code: string, wording: RegExp): string {
  if (outcome.ok) throw new Error(`expected ${code}, got a snapshot`);
  expect(outcome.error.code).toBe(code);
  expect(outcome.error.message).toMatch(wording);
  expect(outcome.error.message).toContain(NAME);
  expect(outcome.error.instanceId).toBe('err-test');
  const json = JSON.stringify(outcome);
  expect(json).not.toContain(PASSWORD);
  expect(json).not.toContain(API_KEY);
  expect(json.toLowerCase()).not.toContain('authorization');
  return outcome.error.message;
}

let pki: TestPki;
let esUrl: string;
const proxies: TlsProxy[] = [];
const servers: Array<http.Server | https.Server> = [];
/** Upstream connections of the forwarding servers. */
const agent = new http.Agent({ keepAlive: true });

async function listen<T extends http.Server | https.Server>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return (server.address() as AddressInfo).port;
}

async function proxy(opts: Omit<Parameters<typeof startTlsProxy>[0], 'target' | 'pki'>): Promise<TlsProxy> {
  const p = await startTlsProxy({ target: esUrl, pki, ...opts });
  proxies.push(p);
  return p;
}

/** A server certificate signed by the test CA for exactly these DNS names / IPs. */
function issueCert(names: { dns?: string[]; ips?: string[] }): { key: string; cert: string } {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const caKey = forge.pki.privateKeyFromPem(readFileSync(pki.caKeyFile, 'utf8'));
  const ca = forge.pki.certificateFromPem(pki.caPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a' + Date.now().toString(16);
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: names.dns?.[0] ?? 'test' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...(names.dns ?? []).map((value) => ({ type: 2, value })),
        ...(names.ips ?? []).map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

/** HTTPS server presenting `certPem` (a chain when it holds several) and forwarding to the real cluster. */
async function forwardingTlsServer(key: string, certPem: string): Promise<string> {
  const target = new URL(esUrl);
  const server = https.createServer({ key, cert: certPem }, (req, res) => forwardRequest(req, res, target, agent));
  server.on('tlsClientError', () => {});
  return `https://127.0.0.1:${await listen(server)}`;
}

beforeAll(async () => {
  esUrl = inject('esUrls')[0]!;
  pki = await createTestPki();
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  agent.destroy();
  pki?.remove();
});

describe('through the TLS proxy (real handshakes, real cluster behind)', () => {
  it('works with the right CA file and the right password; later snapshots reuse the settings defaults', async () => {
    const p = await proxy({ auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const inst = instance({
      nodes: [p.url],
      auth: { type: 'basic', username: 'ops' },
      tls: { caFile: p.caFile, verify: true },
    });
    const summary = { instance: inst, tlsVerifyOff: false, warnings: [] };
    const service = new CapacityService({
      instances: {
        get: async () => summary,
        list: async () => [summary],
        resolveSecrets: async () => ({ 'es-password': PASSWORD }),
      },
    });
    try {
      const first = await service.snapshot(inst.id);
      expect(first.ok, JSON.stringify(first)).toBe(true);
      if (first.ok) {
        expect(first.snapshot.cost.requests).toBe(6);
        expect(first.snapshot.cluster.status).toMatch(/green|yellow/);
      }
      // A steady refresh: the per-index sizes and the cluster facts are read on their own cadence, so three requests.
      const second = await service.snapshot(inst.id);
      expect(second.ok && second.snapshot.cost.requests).toBe(3);
    } finally {
      await service.close();
    }
    // Every request went through with the credentials accepted: six for the first snapshot, three for
    // the steady one (sizes and cluster facts on their own cadence), and only the first asked for the settings defaults.
    expect(p.requests.length).toBe(9);
    expect(p.requests.every((r) => r.status === 200)).toBe(true);
    const settings = p.requests.filter((r) => r.path.startsWith('/_cluster/settings'));
    expect(settings.map((r) => r.path.includes('include_defaults=true'))).toEqual([true, false]);
  });

  it('the CA as PEM text (caPem, what the UI sends) is trusted like the CA file; a wrong one is es-tls', async () => {
    const p = await proxy({ auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const withPem = (caPem: string) =>
      instance({ nodes: [p.url], auth: { type: 'basic', username: 'ops' }, tls: { caPem, verify: true } });
    const good = await snapshot(withPem(pki.caPem), { 'es-password': PASSWORD });
    expect(good.ok, JSON.stringify(good)).toBe(true);
    const sent = p.requests.length;
    expectError(
      await snapshot(withPem(pki.wrongCaPem), { 'es-password': PASSWORD }),
      'es-tls',
      /CA file or fingerprint/,
    );
    expect(p.requests.length).toBe(sent);
  });

  it('a wrong CA file is es-tls asking for the CA file or fingerprint, and no request is sent', async () => {
    const p = await proxy({ auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const out = await snapshot(
      instance({
        nodes: [p.url],
        auth: { type: 'basic', username: 'ops' },
        tls: { caFile: p.wrongCaFile, verify: true },
      }),
      { 'es-password': PASSWORD },
    );
    expectError(out, 'es-tls', /unknown or self-signed CA.*CA file or fingerprint/);
    expect(p.requests).toEqual([]); // the password never left over an untrusted connection
  });

  it('no CA at all (system trust only) is the same es-tls', async () => {
    const p = await proxy({});
    expectError(await snapshot(instance({ nodes: [p.url] })), 'es-tls', /CA file or fingerprint/);
  });

  it('an expired certificate is es-tls naming the expiry date', async () => {
    const p = await proxy({ cert: 'expired', auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const out = await snapshot(
      instance({ nodes: [p.url], auth: { type: 'basic', username: 'ops' }, tls: { caFile: p.caFile, verify: true } }),
      { 'es-password': PASSWORD },
    );
    const expiredOn = new Date(new X509Certificate(readFileSync(pki.expiredServerCertFile)).validTo)
      .toISOString()
      .slice(0, 10);
    expectError(out, 'es-tls', new RegExp(`certificate .*expired on ${expiredOn}`));
    expect(p.requests).toEqual([]);
  });

  it('a wrong password is es-unauthorized pointing at the user name and password', async () => {
    const p = await proxy({ auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const out = await snapshot(
      instance({ nodes: [p.url], auth: { type: 'basic', username: 'ops' }, tls: { caFile: p.caFile, verify: true } }),
      { 'es-password': `${PASSWORD}-wrong` },
    );
    const message = expectError(out, 'es-unauthorized', /check the user name and password/);
    expect(message).not.toContain(`${PASSWORD}-wrong`);
  });

  it('a missing password is es-unauthorized before any request', async () => {
    const p = await proxy({ auth: { type: 'basic', username: 'ops', password: PASSWORD } });
    const out = await snapshot(
      instance({ nodes: [p.url], auth: { type: 'basic', username: 'ops' }, tls: { caFile: p.caFile, verify: true } }),
    );
    expectError(out, 'es-unauthorized', /no Elasticsearch password is stored/);
    expect(p.requests).toEqual([]);
  });

  it('API-key auth works, and a wrong key is es-unauthorized pointing at the API key', async () => {
    const p = await proxy({ auth: { type: 'apiKey', key: API_KEY } });
    const base = { nodes: [p.url], auth: { type: 'apiKey' as const }, tls: { caFile: p.caFile, verify: true } };
    const good = await snapshot(instance(base), { 'es-api-key': API_KEY });
    expect(good.ok, JSON.stringify(good)).toBe(true);
    const bad = await snapshot(instance(base), { 'es-api-key': Buffer.from('key-id:wrong').toString('base64') });
    expectError(bad, 'es-unauthorized', /check the API key/);
  });

  it('verification off (the operator chose it for this instance) connects despite an unknown CA', async () => {
    const p = await proxy({});
    const out = await snapshot(instance({ nodes: [p.url], tls: { caFile: p.wrongCaFile, verify: false } }));
    expect(out.ok, JSON.stringify(out)).toBe(true);
  });
});

describe('certificates the proxy does not cover', () => {
  it('a host name the certificate does not name is es-tls about the host name', async () => {
    const { key, cert } = issueCert({ dns: ['es.other.example.test'] });
    const url = await forwardingTlsServer(key, cert);
    const out = await snapshot(instance({ nodes: [url], tls: { caFile: pki.caFile, verify: true } }));
    expectError(out, 'es-tls', /not issued for 127\.0\.0\.1 \(it names DNS:es\.other\.example\.test\)/);
  });

  it('a CA fingerprint alone trusts that CA (chain and host name still verified); a wrong one is es-tls', async () => {
    const { key, cert } = issueCert({ dns: ['localhost'], ips: ['127.0.0.1'] });
    const url = await forwardingTlsServer(key, cert + pki.caPem); // the server sends its CA, as Elasticsearch does
    const fingerprint = new X509Certificate(pki.caPem).fingerprint256;
    const good = await snapshot(instance({ nodes: [url], tls: { caFingerprint: fingerprint, verify: true } }));
    expect(good.ok, JSON.stringify(good)).toBe(true);

    // The pin replaces the CA file, not the host-name check.
    const other = issueCert({ dns: ['es.other.example.test'] });
    const misnamed = await forwardingTlsServer(other.key, other.cert + pki.caPem);
    expectError(
      await snapshot(instance({ nodes: [misnamed], tls: { caFingerprint: fingerprint, verify: true } })),
      'es-tls',
      /not issued for 127\.0\.0\.1/,
    );

    const wrong = new X509Certificate(pki.wrongCaPem).fingerprint256;
    expectError(
      await snapshot(instance({ nodes: [url], tls: { caFingerprint: wrong, verify: true } })),
      'es-tls',
      /fingerprint/,
    );
  });
});

describe('network failures', () => {
  it('a closed port is es-refused', async () => {
    const server = http.createServer();
    const port = await listen(server);
    server.close(); // nothing listens there any more
    expectError(await snapshot(instance({ nodes: [`http://127.0.0.1:${port}`] })), 'es-refused', /connection refused/);
  });

  it('an unresolvable host is es-dns', async () => {
    expectError(
      await snapshot(instance({ nodes: ['http://nonexistent.invalid:9200'] })),
      'es-dns',
      /nonexistent\.invalid/,
    );
  });
});

describe('servers that are not (a supported) Elasticsearch', () => {
  async function fake(handler: http.RequestListener): Promise<string> {
    return `http://127.0.0.1:${await listen(http.createServer(handler))}`;
  }

  it('JSON without the x-elastic-product header is es-not-elasticsearch', async () => {
    const url = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"green","cluster_name":"looks-like-es"}');
    });
    expectError(await snapshot(instance({ nodes: [url] })), 'es-not-elasticsearch', /not Elasticsearch/);
  });

  it('an HTML error page (a proxy or another service) is es-not-elasticsearch', async () => {
    const url = await fake((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    expectError(await snapshot(instance({ nodes: [url] })), 'es-not-elasticsearch', /HTTP 502 .*not Elasticsearch/);
  });

  it('a 403 from Elasticsearch is es-forbidden naming the privileges', async () => {
    const url = await fake((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(
        '{"error":{"type":"security_exception","reason":"action [cluster:monitor/health] is unauthorized for user [ops]"},"status":403}',
      );
    });
    expectError(await snapshot(instance({ nodes: [url] })), 'es-forbidden', /monitor.*view_index_metadata/);
  });

  /** Answers the six snapshot requests as Elasticsearch `version` would; the product header optional. */
  function fakeEs(version: string, productHeader: boolean): http.RequestListener {
    const replies: Array<[string, unknown]> = [
      [
        '/_cluster/health',
        {
          cluster_name: 'old',
          status: 'green',
          indices: { '0820.acme.tracardi-user': { number_of_shards: 1, number_of_replicas: 0 } },
        },
      ],
      ['/_cluster/state', { cluster_name: 'old', cluster_uuid: 'uuid-old' }],
      ['/_nodes/_all/_none', { nodes: { n1: { version } } }],
      [
        '/_nodes/stats',
        {
          nodes: {
            n1: {
              name: 'n1',
              roles: ['data', 'master'],
              fs: { total: { total_in_bytes: 1e11, available_in_bytes: 5e10 } },
              jvm: { mem: { heap_used_in_bytes: 1e8, heap_max_in_bytes: 1e9 } },
            },
          },
        },
      ],
      ['/_cluster/settings', { persistent: {}, transient: {}, defaults: { cluster: { max_shards_per_node: '1000' } } }],
      [
        '/_stats',
        {
          indices: {
            '0820.acme.tracardi-user': { primaries: { docs: { count: 3 } }, total: { store: { size_in_bytes: 4096 } } },
          },
        },
      ],
    ];
    return (req, res) => {
      const reply = replies.find(([prefix]) => req.url?.startsWith(prefix));
      res.writeHead(reply ? 200 : 404, {
        'content-type': 'application/json',
        ...(productHeader ? { 'x-elastic-product': 'Elasticsearch' } : {}),
      });
      res.end(JSON.stringify(reply ? reply[1] : { error: 'no handler' }));
    };
  }

  it('Elasticsearch 7.10 to 7.13, which sends no product header, is read (here 7.12.1)', async () => {
    const out = await snapshot(
      instance({ nodes: [await fake(fakeEs('7.12.1', false))] }, { tracardiVersion: '0.8.x' }),
    );
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (out.ok) {
      expect(out.snapshot.cluster.version).toBe('7.12.1');
      expect(out.snapshot.tenants).toEqual([
        expect.objectContaining({ tenant: 'acme', indices: 1, docs: 3, storeBytes: 4096 }),
      ]);
    }
  });

  it('a server claiming 8.x without the product header is es-not-elasticsearch', async () => {
    const out = await snapshot(instance({ nodes: [await fake(fakeEs('8.15.0', false))] }));
    expectError(out, 'es-not-elasticsearch', /not Elasticsearch/);
    // The same answers with the header are fine: the header is what decides.
    expect((await snapshot(instance({ nodes: [await fake(fakeEs('8.15.0', true))] }))).ok).toBe(true);
  });

  it('an Elasticsearch older than 7.10 is es-unsupported-version', async () => {
    const url = await fake((req, res) => {
      res.setHeader('x-elastic-product', 'Elasticsearch');
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/_nodes/_all/_none')) {
        res.end('{"nodes":{"n1":{"version":"7.9.3"}}}');
      } else {
        res.statusCode = 400;
        res.end('{"error":{"type":"illegal_argument_exception","reason":"unrecognized parameter"},"status":400}');
      }
    });
    expectError(await snapshot(instance({ nodes: [url] })), 'es-unsupported-version', /7\.9\.3 is not supported/);
  });
});

it('ConsoleError JSON never carries the cause (which may hold request details)', () => {
  const e = new ConsoleError('es-error', 'x', { instanceId: 'i', cause: { headers: { authorization: 'Basic abc' } } });
  expect(JSON.stringify(e)).not.toContain('abc');
});
