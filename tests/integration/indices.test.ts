/**
 * The index browser's service (main/services/indices) against a REAL Elasticsearch: a tenant's
 * indices (open and closed), aliases and templates, a neighbour whose name starts the same way left
 * out, the row limit with the total, a pattern, and an instance whose Elasticsearch does not answer.
 *   npx vitest run tests/integration/indices.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { InMemorySecretStore } from '../../main/services/keychain';
import { Es } from '../simulator/es';

const run = [...randomBytes(5)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
const T = `idx${run}`;
const NEIGHBOUR = `${T}x`;
const EVENT = `09x.${T}.tracardi-event-2026-q1`;
const PROFILE = `09x.${T}.tracardi-profile-2026-q1`;
const SESSION = `prod-09x.${T}.tracardi-session-2026-q1`;
const OTHER = `09x.${NEIGHBOUR}.tracardi-event-2026-q1`;
const ALIAS = `09x.${T}.tracardi-event`;
const TEMPLATE = `template.09x.${T}.tracardi-event`;

let dataDir: string;
let es: Es;
let core: Core;

beforeAll(async () => {
  const url = inject('esUrls')[0]!.replace(/\/+$/, '');
  es = new Es(url);
  const settings = { settings: { number_of_shards: 1, number_of_replicas: 0 } };
  for (const name of [EVENT, PROFILE, SESSION, OTHER]) await es.ok('PUT', `/${name}`, settings);
  for (let i = 0; i < 3; i++) await es.ok('POST', `/${EVENT}/_doc?refresh=true`, { n: i });
  await es.ok('POST', `/${PROFILE}/_close`);
  await es.ok('POST', '/_aliases', { actions: [{ add: { index: EVENT, alias: ALIAS } }] });
  await es.ok('PUT', `/_index_template/${TEMPLATE}`, { index_patterns: [`${ALIAS}-*`], priority: 500 });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-indices-'));
  core = await createCore({ dataDir, secrets: new InMemorySecretStore(), env: {}, shell: 'test' });
  const base = {
    environment: 'test',
    apiUrl: 'https://api.idx.example.test',
    tenantDomainSuffix: 'idx.example.test',
    tracardiVersion: '0.9.x',
    tmsUrl: 'https://tms.idx.example.test',
  };
  await core.instances.add({ ...base, id: 'idx', name: 'Indices', es: { nodes: [url] } } as never, {});
  // A port nothing listens on: the browser says the instance's Elasticsearch did not answer.
  await core.instances.add(
    { ...base, id: 'down', name: 'Down', es: { nodes: ['http://127.0.0.1:9'], timeoutMs: 2000 } } as never,
    {},
  );
}, 120_000);

afterAll(async () => {
  await es?.request('DELETE', `/_index_template/${TEMPLATE}`);
  for (const name of [EVENT, PROFILE, SESSION, OTHER]) await es?.request('DELETE', `/${name}`);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('index browser', () => {
  it("a tenant's indices (closed included), aliases and templates, in three requests; not its neighbour's", async () => {
    const listing = await core.indices.list('idx', { tenant: T });
    expect(listing.pattern).toBe(`*.${T}.tracardi-*`);
    expect(listing.indices.map((i) => i.name)).toEqual([EVENT, PROFILE, SESSION]);
    const event = listing.indices[0]!;
    expect(event).toMatchObject({ health: 'green', status: 'open', docs: 3, primaries: 1, replicas: 0 });
    expect(event.sizeBytes).toBeGreaterThan(0);
    expect(listing.indices[1]).toMatchObject({ name: PROFILE, status: 'close', docs: null });
    expect(listing.aliases).toEqual([{ alias: ALIAS, index: EVENT }]);
    expect(listing.templates).toEqual([TEMPLATE]);
    expect(listing).toMatchObject({ total: 3, truncated: false, esRequests: 3 });
  });

  it('bounded: at most the limit, with how many matched', async () => {
    const listing = await core.indices.list('idx', { tenant: T, limit: 2 });
    expect(listing.indices.map((i) => i.name)).toEqual([EVENT, PROFILE]);
    expect(listing).toMatchObject({ total: 3, truncated: true });
  });

  it('a pattern; one that matches nothing is an empty listing, not an error', async () => {
    const listing = await core.indices.list('idx', { pattern: `*.${T}.tracardi-event-*` });
    expect(listing.indices.map((i) => i.name)).toEqual([EVENT]);
    const none = await core.indices.list('idx', { pattern: `09x.${T}.nothing-*` });
    expect(none).toMatchObject({ indices: [], total: 0, aliases: [], templates: [] });
  });

  it("an instance whose Elasticsearch does not answer: the operator's error, naming the instance", async () => {
    const err = await core.indices.list('down', { tenant: T }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toMatch(/^es-/);
    expect(err?.message).toContain('Down');
  });
});
