// Proves the test infrastructure is real: two separate Elasticsearch clusters, a TLS proxy whose CA,
// expiry and credential checks behave like a secured cluster, and a working OS keychain.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestPki, startTlsProxy, type TestPki, type TlsProxy } from '../support/tls-proxy';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

async function getJson(url: string, init: { headers?: Record<string, string> } = {}): Promise<Reply> {
  const res = await fetch(url, { headers: init.headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() };
}

function httpsGet(url: string, opts: { ca: string; headers?: Record<string, string> }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: readFileSync(opts.ca), headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('Elasticsearch clusters from globalSetup', () => {
  const urls = inject('esUrls');

  it('provides two clusters', () => {
    expect(urls).toHaveLength(2);
    expect(urls[0]).not.toBe(urls[1]);
  });

  it('are two different clusters, both healthy', async () => {
    const roots = await Promise.all(urls.map((u) => getJson(u)));
    const uuids = roots.map((r) => (r.body as { cluster_uuid: string }).cluster_uuid);
    for (const r of roots) {
      expect(r.status).toBe(200);
      expect(r.headers['x-elastic-product']).toBe('Elasticsearch');
      expect((r.body as { version: { number: string } }).version.number).toMatch(/^8\.19\./);
    }
    expect(uuids[0]).toMatch(/^[\w-]{10,}$/);
    expect(uuids[0]).not.toBe(uuids[1]);

    // GET / reflects the real cluster behind it (see the root-endpoint shim in support/elasticsearch.ts).
    for (const [i, u] of urls.entries()) {
      const state = await getJson(`${u}/_cluster/state/metadata?filter_path=metadata.cluster_uuid`);
      expect((state.body as { metadata: { cluster_uuid: string } }).metadata.cluster_uuid).toBe(uuids[i]);
      const head = await fetch(u, { method: 'HEAD' });
      expect(head.status).toBe(200);
    }

    for (const u of urls) {
      const health = await getJson(`${u}/_cluster/health`);
      expect(health.status).toBe(200);
      expect(['green', 'yellow']).toContain((health.body as { status: string }).status);
    }
  });
});

describe('TLS proxy in front of a cluster', () => {
  const [esUrl] = inject('esUrls');
  let pki: TestPki;
  let valid: TlsProxy;
  let expired: TlsProxy;
  let apiKey: TlsProxy;
  let clusterUuid: string;

  beforeAll(async () => {
    pki = await createTestPki();
    const auth = { type: 'basic', username: 'elastic', password: 'right-password' } as const;
    [valid, expired, apiKey] = await Promise.all([
      startTlsProxy({ target: esUrl, pki, cert: 'valid', auth }),
      startTlsProxy({ target: esUrl, pki, cert: 'expired', auth }),
      startTlsProxy({ target: esUrl, pki, cert: 'valid', auth: { type: 'apiKey', key: 'aWQ6c2VjcmV0' } }),
    ]);
    clusterUuid = ((await getJson(esUrl)).body as { cluster_uuid: string }).cluster_uuid;
  });

  afterAll(async () => {
    await Promise.all([valid?.stop(), expired?.stop(), apiKey?.stop()]);
    pki?.remove();
  });

  it('reaches Elasticsearch with the right CA and credentials, passing headers through', async () => {
    const r = await httpsGet(valid.url, { ca: valid.caFile, headers: basic('elastic', 'right-password') });
    expect(r.status).toBe(200);
    expect((r.body as { cluster_uuid: string }).cluster_uuid).toBe(clusterUuid);
    expect(r.headers['x-elastic-product']).toBe('Elasticsearch');

    const localhost = await httpsGet(valid.url.replace('127.0.0.1', 'localhost'), {
      ca: valid.caFile,
      headers: basic('elastic', 'right-password'),
    });
    expect(localhost.status).toBe(200);
  });

  it('accepts the API key', async () => {
    const r = await httpsGet(`${apiKey.url}/_cluster/health`, {
      ca: apiKey.caFile,
      headers: { authorization: 'ApiKey aWQ6c2VjcmV0' },
    });
    expect(r.status).toBe(200);
    const denied = await httpsGet(apiKey.url, { ca: apiKey.caFile, headers: { authorization: 'ApiKey bm9wZTpub3Bl' } });
    expect(denied.status).toBe(401);
  });

  it('fails the TLS handshake with the wrong CA', async () => {
    const err = await httpsGet(valid.url, { ca: valid.wrongCaFile, headers: basic('elastic', 'right-password') }).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('fails with an expiry error on the expired certificate', async () => {
    const err = await httpsGet(expired.url, { ca: expired.caFile, headers: basic('elastic', 'right-password') }).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).toBe('CERT_HAS_EXPIRED');
  });

  it('answers 401 like Elasticsearch security for a wrong password or no credentials', async () => {
    const wrong = await httpsGet(valid.url, { ca: valid.caFile, headers: basic('elastic', 'wrong-password') });
    expect(wrong.status).toBe(401);
    expect(String(wrong.headers['www-authenticate'])).toMatch(/Basic realm="security"/);
    expect(wrong.body).toMatchObject({
      error: { type: 'security_exception', reason: expect.stringContaining('unable to authenticate user [elastic]') },
      status: 401,
    });

    const none = await httpsGet(valid.url, { ca: valid.caFile });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      error: { reason: expect.stringContaining('missing authentication credentials') },
    });
    expect(valid.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
  });
});

describe('OS keychain', () => {
  it('stores, reads and deletes a secret through keytar (run inside scripts/with-keychain.sh)', async () => {
    const keytar = (await import('keytar')).default;
    const service = `tracardi-tenant-console-infra-test-${process.pid}`;
    await keytar.setPassword(service, 'probe', 's3cret');
    expect(await keytar.getPassword(service, 'probe')).toBe('s3cret');
    expect(await keytar.deletePassword(service, 'probe')).toBe(true);
    expect(await keytar.getPassword(service, 'probe')).toBeNull();
  });
});
