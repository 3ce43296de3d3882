// The Tracardi + TMS simulator against a real Elasticsearch: the artefacts it creates must be the
// contract's (section 4 table), and its HTTP behaviour the contract's (sections 1 to 3).
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CONTRACT_SHARD_DEFAULTS,
  SIM_MYSQL_USER_INDEX,
  TEST_SHARD_DEFAULTS,
  deleteTenantArtefacts,
  expectedArtefacts,
  profileFor,
  startTms,
  startTracardi,
  tenantFromHost,
  MYSQL_DOWN_DETAIL,
  type TmsSimulator,
  type TracardiSimulator,
} from '../simulator';

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

function esUrl(): string {
  let urls: string[] | undefined;
  try {
    urls = inject('esUrls');
  } catch {
    urls = undefined; // not run under the integration project's globalSetup
  }
  const url = urls?.[0] ?? process.env.SIM_ES_URL;
  if (!url) throw new Error('no Elasticsearch: run under the integration project or set SIM_ES_URL');
  return url.replace(/\/+$/, '');
}

/** fetch() cannot set Host: node:http can, and Tracardi derives the tenant from it. */
function call(
  base: string,
  method: string,
  path: string,
  opts: { host?: string; body?: unknown; token?: string } = {},
): Promise<Reply> {
  const url = new URL(path, base);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function es(method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${esUrl()}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Every index / alias / template name of a tenant that exists, whatever the version. */
async function footprint(tenant: string) {
  const cat = async (what: string) =>
    (await es('GET', `/_cat/${what}/*.${tenant}.tracardi-*,${tenant}.tracardi-*,*-${tenant}.tracardi-*?format=json`))
      .body as Record<string, string>[];
  const indices = await cat('indices');
  const aliases = (await cat('aliases')).map((a) => a.alias as string);
  const templates = (
    (await es('GET', `/_index_template/*template.*.${tenant}.tracardi-*`)).body.index_templates as { name: string }[]
  ).map((t) => t.name);
  return {
    indices: indices.map((i) => i.index as string).sort(),
    primaryShards: indices.reduce((sum, i) => sum + Number(i.pri), 0),
    aliases: [...new Set(aliases)].sort(),
    templates: templates.sort(),
  };
}

const letters = () => Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
const API_KEY = 'sim-test-api-key';
const ADMIN = {
  username: 'admin@example.com',
  password: 'correct horse battery',
  needs_admin: true,
  update_mapping: false,
};
const usedTenants = new Set<string>();
/** A fresh tenant name; cleaned up after the file. */
const newTenant = (prefix = 'sim') => {
  const t = `${prefix}${letters()}`;
  usedTenants.add(t);
  return t;
};

let tms: TmsSimulator;
let accessToken: string;

beforeAll(async () => {
  tms = await startTms({ apiKey: API_KEY });
  accessToken = (await call(tms.url, 'GET', `/api-key/${API_KEY}`)).body.access_token;
});

afterAll(async () => {
  await tms?.stop();
  // allSettled: one failed cleanup must not cut the others short.
  const results = await Promise.allSettled([...usedTenants].map((t) => deleteTenantArtefacts(esUrl(), t)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
});

async function register(name: string, token: string): Promise<void> {
  const reply = await call(tms.url, 'POST', '/tenant', {
    token: accessToken,
    body: {
      id: `id-${name}`,
      created: new Date().toISOString(),
      name,
      install_token: token,
      email: 'owner@example.com',
      expire: null,
    },
  });
  expect(reply.status).toBe(200);
}

describe('tenant from Host (contract section 1)', () => {
  it('follows the documented rule and the letters-only variant', () => {
    const derive = (host: string, rule?: 'letters-only') => tenantFromHost(host, 'ffe49', rule);
    expect(derive('company-x.tracardi.com')).toEqual({ ok: true, tenant: 'companyx' });
    expect(derive('shop24.tracardi.com:8686')).toEqual({ ok: true, tenant: 'shop24' });
    expect(derive('Shop.x.com')).toEqual({ ok: true, tenant: 'shop' });
    expect(derive('Shop.x.com', 'letters-only')).toEqual({ ok: true, tenant: 'hop' });
    expect(derive('shop24.tracardi.com', 'letters-only')).toEqual({ ok: true, tenant: 'shop' });
    expect(derive('xn--bcher-kva.x.com')).toEqual({ ok: true, tenant: 'xnbcherkva' });
    expect(derive('localhost:8686')).toEqual({ ok: true, tenant: 'ffe49' });
    expect(derive('127.0.0.1')).toEqual({ ok: true, tenant: 'ffe49' });
    expect(derive('x.com')).toMatchObject({ ok: false, reason: expect.stringContaining('must have 3 parts') });
    expect(derive('a-b.x.com').ok).toBe(false);
    expect(derive('10.0.0.5').ok).toBe(false);
  });

  it('default tenants are md5(db_version)[:5]', () => {
    expect(profileFor('0.8.x').defaultTenant).toBe('ffe49');
    expect(profileFor('0.9.x').defaultTenant).toBe('8504a');
  });

  it('the footprint table matches the contract at default shards', () => {
    const sum = (v: '0.8.x' | '0.9.x') => {
      const a = expectedArtefacts(profileFor(v), 'abc', CONTRACT_SHARD_DEFAULTS);
      return {
        types: a.length,
        templates: a.filter((x) => x.template).length,
        shards: a.reduce((s, x) => s + x.shards, 0),
      };
    };
    expect(sum('0.8.x')).toEqual({ types: 76, templates: 20, shards: 104 });
    expect(sum('0.9.x')).toEqual({ types: 12, templates: 12, shards: 32 });
  });
});

describe('TMS simulator', () => {
  it('exchanges the API key for random tokens and refuses a wrong key', async () => {
    const a = await call(tms.url, 'GET', `/api-key/${API_KEY}`);
    const b = await call(tms.url, 'GET', `/api-key/${API_KEY}`);
    expect(a.status).toBe(200);
    expect(a.body.access_token).toMatch(/^[0-9a-f]{48}$/);
    expect(a.body.access_token).not.toBe(b.body.access_token);
    expect((await call(tms.url, 'GET', '/api-key/wrong')).status).toBe(401);
  });

  it('refuses calls without or with a bad bearer', async () => {
    expect((await call(tms.url, 'GET', '/tenant/abc')).status).toBe(401);
    expect((await call(tms.url, 'GET', '/tenant/abc', { token: 'nope' })).status).toBe(401);
    expect(
      (await call(tms.url, 'POST', '/tenant', { token: 'nope', body: { name: 'x', install_token: 'y' } })).status,
    ).toBe(401);
  });

  it('stores, reads, lists and deletes tenants', async () => {
    const name = `tms${letters()}`;
    const created = await call(tms.url, 'POST', '/tenant', {
      token: accessToken,
      body: { name, install_key: 'tok-1', email: 'a@b.co' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name, install_token: 'tok-1', email: 'a@b.co' });
    const dup = await call(tms.url, 'POST', '/tenant', { token: accessToken, body: { name, install_token: 'tok-2' } });
    expect(dup).toEqual({ status: 409, body: { detail: `Tenant [${name}] already exists.` } });
    expect((await call(tms.url, 'POST', '/tenant', { token: accessToken, body: { name: 'nokey' } })).status).toBe(422);
    expect((await call(tms.url, 'GET', `/tenant/${name}`, { token: accessToken })).body.install_token).toBe('tok-1');
    expect(
      (await call(tms.url, 'GET', '/tenants', { token: accessToken })).body.map((t: { name: string }) => t.name),
    ).toContain(name);
    expect((await call(tms.url, 'DELETE', `/tenant/${name}`, { token: accessToken })).status).toBe(200);
    expect((await call(tms.url, 'GET', `/tenant/${name}`, { token: accessToken })).status).toBe(404);
    expect((await call(tms.url, 'DELETE', `/tenant/${name}`, { token: accessToken })).status).toBe(404);
    expect(tms.tenants().has(name)).toBe(false);
  });

  it('answers 405 to DELETE when built without it, and can name the token install_key', async () => {
    const old = await startTms({ apiKey: 'k', supportsDelete: false, tokenField: 'install_key' });
    try {
      const token = (await call(old.url, 'GET', '/api-key/k')).body.access_token;
      await call(old.url, 'POST', '/tenant', { token, body: { name: 'oldtms', install_token: 't' } });
      expect((await call(old.url, 'GET', '/tenant/oldtms', { token })).body).toMatchObject({ install_key: 't' });
      expect((await call(old.url, 'DELETE', '/tenant/oldtms', { token })).status).toBe(405);
      expect(old.tenants().has('oldtms')).toBe(true);
    } finally {
      await old.stop();
    }
  });

  it('injects faults: status n times, failing POSTs, delay, down, hang', async () => {
    const sim = await startTms({ apiKey: 'k' });
    try {
      const token = (await call(sim.url, 'GET', '/api-key/k')).body.access_token;
      sim.setFault({ kind: 'status', status: 503, times: 2 });
      expect((await call(sim.url, 'GET', '/tenants', { token })).status).toBe(503);
      expect((await call(sim.url, 'GET', '/tenants', { token })).status).toBe(503);
      expect((await call(sim.url, 'GET', '/tenants', { token })).status).toBe(200);

      sim.failNextPosts(1);
      expect(
        (await call(sim.url, 'POST', '/tenant', { token, body: { name: 'flaky', install_token: 't' } })).status,
      ).toBe(500);
      expect(sim.tenants().has('flaky')).toBe(false);
      expect(
        (await call(sim.url, 'POST', '/tenant', { token, body: { name: 'flaky', install_token: 't' } })).status,
      ).toBe(200);

      sim.setFault({ kind: 'delay', ms: 300 });
      const started = Date.now();
      expect((await call(sim.url, 'GET', '/tenant/flaky', { token })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);

      sim.setFault({ kind: 'down' });
      await expect(call(sim.url, 'GET', '/tenants', { token })).rejects.toThrow();
      sim.setFault({ kind: 'hang' });
      await expect(fetch(`${sim.url}/tenants`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      sim.setFault(null);
      expect((await call(sim.url, 'GET', '/tenants', { token })).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });
});

// Seen on the real 0.9.0-rc5 (tracardi-api and tracardi branch 0.9.0-dev, MariaDB 10.11): GET /install
// checks the MySQL database before anything else (tracardi/domain/installation_status.py).
describe("Tracardi 0.9 simulator: the instance's MySQL database", () => {
  it('before the first install every field is false with no warning, for any tenant; the install creates it', async () => {
    const tracardi = await startTracardi({
      version: '0.9.x',
      esUrl: esUrl(),
      tmsUrl: tms.url,
      tmsApiKey: API_KEY,
      database: 'absent',
    });
    try {
      const known = newTenant();
      const unknown = newTenant();
      await register(known, 'db-token');
      const fresh = { schema_ok: false, admin_ok: false, form_ok: false, warning: null };
      for (const tenant of [known, unknown]) {
        expect(await call(tracardi.url, 'GET', '/install', { host: `${tenant}.x.com` })).toEqual({
          status: 200,
          body: fresh,
        });
        const details = await call(tracardi.url, 'GET', '/info/version/details', { host: `${tenant}.x.com` });
        expect(details.body.installed).toEqual({ schema: false, users: false, form: false });
      }
      // No TMS question before the database exists: the answer is the same for a tenant it does not know.
      const asked = (t: string) => tms.calls.filter((c) => c.method === 'GET' && c.path === `/tenant/${t}`);
      expect([...asked(known), ...asked(unknown)]).toEqual([]);

      // A refused install creates nothing; the first accepted one creates the database for every tenant.
      const refused = await call(tracardi.url, 'POST', '/install', {
        host: `${known}.x.com`,
        body: { ...ADMIN, token: 'wrong' },
      });
      expect(refused.status).toBe(403);
      expect(tracardi.database()).toBe('absent');
      const ok = await call(tracardi.url, 'POST', '/install', {
        host: `${known}.x.com`,
        body: { ...ADMIN, token: 'db-token' },
      });
      expect(ok.status).toBe(200);
      expect(tracardi.database()).toBe('created');
      expect((await call(tracardi.url, 'GET', '/install', { host: `${known}.x.com` })).body).toMatchObject({
        schema_ok: true,
        admin_ok: true,
      });
      expect((await call(tracardi.url, 'GET', '/install', { host: `${unknown}.x.com` })).body).toMatchObject({
        form_ok: false,
        warning: [expect.stringContaining(unknown)],
      });
    } finally {
      await tracardi.stop();
    }
  });

  it('with MySQL down: 500 with the driver message on /install and the details, /info/version still answers', async () => {
    const tracardi = await startTracardi({ version: '0.9.x', esUrl: esUrl(), multiTenant: false });
    try {
      tracardi.setDatabase('down');
      for (const path of ['/install', '/info/version/details'])
        expect(await call(tracardi.url, 'GET', path)).toEqual({ status: 500, body: { detail: MYSQL_DOWN_DETAIL } });
      expect(await call(tracardi.url, 'GET', '/info/version')).toEqual({ status: 200, body: '0.9.0-rc5' });
      // The token is checked before the database is asked.
      const wrong = await call(tracardi.url, 'POST', '/install', { body: { ...ADMIN, token: 'nope' } });
      expect(wrong.status).toBe(403);
      const right = await call(tracardi.url, 'POST', '/install', { body: { ...ADMIN, token: 'tracardi' } });
      expect(right).toEqual({ status: 500, body: { detail: MYSQL_DOWN_DETAIL } });
      tracardi.setDatabase('created');
      expect((await call(tracardi.url, 'GET', '/install')).status).toBe(200);
    } finally {
      await tracardi.stop();
    }
  });

  it('0.8.2 keeps no MySQL database', async () => {
    await expect(
      startTracardi({ version: '0.8.x', esUrl: esUrl(), multiTenant: false, database: 'absent' }),
    ).rejects.toThrow(/no MySQL database/);
  });
});

describe('Tracardi 0.9 simulator, multi-tenant, real Elasticsearch', () => {
  let tracardi: TracardiSimulator;

  beforeAll(async () => {
    tracardi = await startTracardi({ version: '0.9.x', esUrl: esUrl(), tmsUrl: tms.url, tmsApiKey: API_KEY });
  });
  afterAll(() => tracardi?.stop());

  it('installs a registered tenant: token check, real indices, status, idempotent re-run, repair', async () => {
    const tenant = newTenant();
    const host = `${tenant.slice(0, 3)}-${tenant.slice(3)}.tracardi.test`; // a dash, dropped by the rule
    await register(tenant, 'right-token');

    const before = await call(tracardi.url, 'GET', '/install', { host });
    expect(before).toEqual({ status: 200, body: { schema_ok: false, admin_ok: false, form_ok: true, warning: null } });

    const wrong = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'wrong' } });
    expect(wrong).toEqual({ status: 403, body: { detail: 'Installation forbidden. Invalid installation token.' } });
    expect((await footprint(tenant)).indices).toEqual([]);

    const started = Date.now();
    const ok = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'right-token' } });
    console.log(`[simulator] 0.9 install: ${Date.now() - started} ms`);
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(2);
    const today = new Date();
    const month = `${today.getUTCFullYear()}-${today.getUTCMonth() + 1}`;
    const quarter = `${today.getUTCFullYear()}-q${Math.ceil((today.getUTCMonth() + 1) / 3)}`;
    // 0.9 defaults (tracardi/config.py): log and field-update-log by month, the others by quarter
    const suffix: Record<string, string> = {
      entity: quarter,
      event: quarter,
      'field-update-log': month,
      log: month,
      profile: quarter,
      session: quarter,
    };
    const types = Object.keys(suffix);
    const expectedIndices = ['', 'prod-']
      .flatMap((p) => Object.entries(suffix).map(([t, s]) => `${p}09x.${tenant}.tracardi-${t}-${s}`))
      .sort();
    const [staging, production] = ok.body;
    expect(staging.admin).toBe(true);
    expect(production.admin).toBe(true);
    expect([...staging.created.indices, ...production.created.indices].sort()).toEqual(expectedIndices);

    const fp = await footprint(tenant);
    expect(fp.indices).toEqual(expectedIndices);
    expect(fp.aliases).toEqual(
      ['', 'prod-'].flatMap((p) => types.map((t) => `${p}09x.${tenant}.tracardi-${t}`)).sort(),
    );
    expect(fp.templates).toEqual(
      ['', 'prod-'].flatMap((p) => types.map((t) => `${p}template.09x.${tenant}.tracardi-${t}`)).sort(),
    );
    expect(fp.primaryShards).toBe(12 * TEST_SHARD_DEFAULTS.indexShards);

    expect((await call(tracardi.url, 'GET', '/install', { host })).body).toEqual({
      schema_ok: true,
      admin_ok: true,
      form_ok: true,
      warning: null,
    });

    // The admin lives in the stand-in for 0.9's MySQL, hashed.
    const users = await es('POST', `/${SIM_MYSQL_USER_INDEX}/_search`, { query: { term: { tenant } } });
    const docs = users.body.hits.hits.map((h: { _source: Record<string, unknown> }) => h._source);
    expect(docs).toHaveLength(2);
    for (const d of docs) {
      expect(d.password).toMatch(/^scrypt\$/);
      expect(JSON.stringify(d)).not.toContain(ADMIN.password);
    }

    const again = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'right-token' } });
    expect(again.status).toBe(200);
    for (const ctx of again.body)
      expect(ctx).toEqual({ created: { templates: [], indices: [], aliases: [] }, admin: true });

    const victim = `prod-09x.${tenant}.tracardi-event-${quarter}`;
    expect((await es('DELETE', `/${victim}`)).status).toBe(200);
    expect((await call(tracardi.url, 'GET', '/install', { host })).body).toMatchObject({
      schema_ok: false,
      admin_ok: true,
    });

    const repair = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'right-token' } });
    expect(repair.body[1].created).toEqual({
      templates: [],
      indices: [victim],
      aliases: [`prod-09x.${tenant}.tracardi-event`],
    });
    expect((await call(tracardi.url, 'GET', '/install', { host })).body.schema_ok).toBe(true);
  });

  it('refuses a tenant the TMS does not know', async () => {
    const tenant = newTenant();
    const host = `${tenant}.tracardi.test`;
    expect((await call(tracardi.url, 'GET', '/install', { host })).body).toEqual({
      schema_ok: false,
      admin_ok: false,
      form_ok: false,
      warning: [`Tenant [${tenant}] is not registered in the tenant management service.`],
    });
    const post = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'anything' } });
    expect(post).toEqual({ status: 403, body: { detail: `Tenant [${tenant}] not allowed.` } });
  });

  it('derives the tenant from Host and refuses hosts without one', async () => {
    const details = await call(tracardi.url, 'GET', '/info/version/details', { host: 'Company-X.x.com:8686' });
    expect(details.body).toMatchObject({
      version: '0.9.0-rc5',
      db_version: '09x',
      'multi-tenant': true,
      tenant: 'companyx',
      // `name` stays the instance's global name (TENANT_NAME unset: md5('09x')[:5]); only `tenant` follows Host.
      name: '8504a',
      mysql_version: 1,
      instance: tracardi.instanceId,
    });
    expect(tracardi.calls.at(-1)).toMatchObject({ path: '/info/version/details', tenant: 'companyx' });
    expect((await call(tracardi.url, 'GET', '/info/version/details', { host: 'localhost' })).body.tenant).toBe('8504a');
    expect((await call(tracardi.url, 'GET', '/info/version', { host: 'abc.x.com' })).body).toBe('0.9.0-rc5');
    const short = await call(tracardi.url, 'GET', '/install', { host: 'x.com' });
    expect(short).toEqual({ status: 400, body: { detail: 'Hostname x.com must have 3 parts.' } });
    expect((await call(tracardi.url, 'GET', '/install', { host: 'ab.x.com' })).status).toBe(400);
    expect((await call(tracardi.url, 'GET', '/install', { host: '2024.x.com' })).status).toBe(400);
    expect((await call(tracardi.url, 'GET', '/install', { host: `${'a'.repeat(41)}.x.com` })).status).toBe(500);
  });

  it('validates the install body: 422 missing fields, 403 bad e-mail or short password', async () => {
    const tenant = newTenant();
    const host = `${tenant}.tracardi.test`;
    await register(tenant, 't0k');
    const missing = await call(tracardi.url, 'POST', '/install', { host, body: { username: 'a@b.co' } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: { loc: string[] }) => d.loc[1]).sort()).toEqual([
      'needs_admin',
      'password',
      'token',
    ]);
    expect(
      (await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 't0k', username: 'not-mail' } }))
        .status,
    ).toBe(403);
    expect(
      (await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 't0k', password: 'short' } }))
        .status,
    ).toBe(403);
    expect((await footprint(tenant)).indices).toEqual([]);
  });

  it('answers 5xx when the TMS is down or a fault says so', async () => {
    const host = `${newTenant()}.tracardi.test`;
    tracardi.setFault({ kind: 'status', status: 500, route: 'GET /install', times: 1 });
    expect((await call(tracardi.url, 'GET', '/install', { host })).status).toBe(500);
    expect((await call(tracardi.url, 'GET', '/install', { host })).status).toBe(200);
    tms.setFault({ kind: 'down' });
    try {
      expect((await call(tracardi.url, 'GET', '/install', { host })).status).toBe(500);
      const details = await call(tracardi.url, 'GET', '/info/version/details', { host });
      expect(details.body.installed.form).toBeNull();
    } finally {
      tms.setFault(null);
    }
  });
});

describe('Tracardi 0.8 simulator, real Elasticsearch', () => {
  it(
    'installs the full 0.8.2 footprint: 76 indices, 76 aliases, 20 templates, admin in both contexts',
    { timeout: 300_000 },
    async () => {
      const tracardi = await startTracardi({
        version: '0.8.x',
        esUrl: esUrl(),
        tmsUrl: tms.url,
        tmsApiKey: API_KEY,
        indexShards: 2,
      });
      try {
        const tenant = newTenant();
        const host = `${tenant}.tracardi.test`;
        await register(tenant, 'tok08');
        const started = Date.now();
        const reply = await call(tracardi.url, 'POST', '/install', { host, body: { ...ADMIN, token: 'tok08' } });
        console.log(`[simulator] 0.8 install: ${Date.now() - started} ms`);
        expect(reply.status).toBe(200);

        const fp = await footprint(tenant);
        expect(fp.indices).toHaveLength(76);
        expect(fp.aliases).toHaveLength(76);
        expect(fp.templates).toHaveLength(20);
        // 14 big partitioned indices at indexShards=2, 62 others at 1 (104 at the contract's 3).
        expect(fp.primaryShards).toBe(14 * 2 + 62);
        expect(fp.indices).toContain(`static-0820.${tenant}.tracardi-bridge`);
        expect(fp.indices).toContain(`prod-0820.${tenant}.tracardi-event_to_profile`);
        expect(fp.aliases).toContain(`static-${tenant}.tracardi-flow-action-plugins`);
        expect(fp.aliases).toContain(`prod-${tenant}.tracardi-user`);
        // The entity template must not have caught the entity-list index.
        const entityList = await es('GET', `/0820.${tenant}.tracardi-entity-list/_alias`);
        expect(Object.keys(entityList.body[`0820.${tenant}.tracardi-entity-list`].aliases)).toEqual([
          `${tenant}.tracardi-entity-list`,
        ]);

        for (const prefix of ['', 'prod-']) {
          const users = await es('POST', `/${prefix}${tenant}.tracardi-user/_search`, {});
          expect(users.body.hits.hits).toHaveLength(1);
          expect(users.body.hits.hits[0]._source).toMatchObject({
            email: ADMIN.username,
            roles: expect.arrayContaining(['admin']),
          });
          expect(users.body.hits.hits[0]._source.password).not.toContain(ADMIN.password);
        }
        expect((await call(tracardi.url, 'GET', '/install', { host })).body).toEqual({
          schema_ok: true,
          admin_ok: true,
          form_ok: true,
          warning: null,
        });

        // Without the production user index, the tenant is neither schema- nor admin-complete.
        await es('DELETE', `/prod-0820.${tenant}.tracardi-user`);
        expect((await call(tracardi.url, 'GET', '/install', { host })).body).toMatchObject({
          schema_ok: false,
          admin_ok: false,
        });

        const details = await call(tracardi.url, 'GET', '/info/version/details', { host });
        // 0.8.2 names the instance (TENANT_NAME, else md5(db_version)[:5]), never the Host's tenant.
        expect(details.body).toEqual({
          version: '0.8.2',
          name: 'ffe49',
          upgrades: [],
          production: false,
          config: {},
          db_version: '0820',
          instance: tracardi.instanceId,
          installed: { schema: false, users: false, form: true },
          owner: 'Tracardi',
          expires: 'Never',
          licenses: ['MIT + Common Clause'],
        });
      } finally {
        await tracardi.stop();
      }
    },
  );

  it('single-tenant 0.9: default name, empty INSTALLATION_TOKEN disables the check, tenant = name', async () => {
    const tracardi = await startTracardi({
      version: '0.9.x',
      esUrl: esUrl(),
      multiTenant: false,
      installationToken: '',
    });
    try {
      const details = await call(tracardi.url, 'GET', '/info/version/details', { host: 'acme.instance1.example.com' });
      expect(details.body).toMatchObject({
        name: '8504a',
        tenant: '8504a',
        'multi-tenant': false,
        version: '0.9.0-rc5',
      });
      // An empty token disables the check: any token passes it and the next check (the e-mail) refuses,
      // so nothing is created in the shared cluster.
      const anyToken = await call(tracardi.url, 'POST', '/install', {
        body: { ...ADMIN, username: 'not-an-email', token: 'whatever' },
      });
      expect(anyToken).toEqual({ status: 403, body: { detail: 'Invalid e-mail address for the admin account.' } });
      expect(tracardi.calls.at(-1)).toMatchObject({ tenant: '8504a' });
    } finally {
      await tracardi.stop();
    }
  });

  it('single-tenant: global token, default tenant whatever the Host, form_ok true', async () => {
    const tenant = newTenant('st');
    const tracardi = await startTracardi({
      version: '0.8.x',
      esUrl: esUrl(),
      multiTenant: false,
      tenantName: tenant,
      installationToken: 'global',
    });
    try {
      const status = await call(tracardi.url, 'GET', '/install', { host: 'x.com' });
      expect(status.body).toEqual({ schema_ok: false, admin_ok: false, form_ok: true, warning: null });
      // The Host names nothing: details answer for TENANT_NAME whatever Host arrives, without 0.9's fields.
      for (const host of ['x.com', `other.instance9.example.com`, undefined]) {
        const details = await call(tracardi.url, 'GET', '/info/version/details', host ? { host } : {});
        expect(details.body).toMatchObject({ version: '0.8.2', name: tenant, db_version: '0820' });
        expect(details.body).not.toHaveProperty('tenant');
        expect(details.body).not.toHaveProperty('multi-tenant');
      }
      const wrong = await call(tracardi.url, 'POST', '/install', {
        host: 'anything',
        body: { ...ADMIN, token: 'tracardi' },
      });
      expect(wrong).toEqual({ status: 403, body: { detail: 'Installation forbidden. Invalid installation token.' } });
      expect(tracardi.calls.at(-1)).toMatchObject({ status: 403, tenant });
    } finally {
      await tracardi.stop();
    }
  });
});
