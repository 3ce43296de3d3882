/**
 * The contract's calls over the real handlers and a real core (settings file on disk, in-memory
 * keychain): no call argument names a file, the instance arguments are validated by the contract's
 * own schemas, and the hand-over sheet goes to the caller's shell as the shell requires.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, RENDERER_CALLS, type CallResponse } from '../../../shared/contract/contract';
import { createCore, type Core } from '../../../main/core';
import { MemoryRegistryBackend } from '../../../main/services/registry';
import { createHandlers, type ShellDeps } from '../../../main/handlers';
import { accountFor, InMemorySecretStore } from '../../../main/services/keychain';
import { dispatch } from '../../../main/transport/dispatch';
import { ConsoleError } from '../../../shared/errors/errors';
import { CA_PEM } from '../fixtures/ca-pem';

/** Every object key anywhere in a schema (objects, arrays, unions, optionals, defaults, records). */
function keysOf(schema: z.ZodType, seen = new Set<z.ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  const children: z.ZodType[] = [];
  const keys: string[] = [];
  if (schema instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(schema.shape)) {
      keys.push(key);
      children.push(child as z.ZodType);
    }
  }
  for (const field of ['innerType', 'element', 'valueType', 'keyType', 'in', 'out', 'left', 'right']) {
    if (def[field] instanceof z.ZodType) children.push(def[field] as z.ZodType);
  }
  if (Array.isArray(def.options)) children.push(...(def.options as z.ZodType[]));
  return [...keys, ...children.flatMap((c) => keysOf(c, seen))];
}

const instance = (over: Record<string, unknown> = {}) => ({
  id: 'inst1',
  name: 'Instance one',
  environment: 'staging',
  apiUrl: 'https://api.inst1.example.com',
  tenantDomainSuffix: 'inst1.example.com',
  tracardiVersion: '0.9.x',
  tmsUrl: 'https://tms.inst1.example.com',
  es: { nodes: ['https://es.inst1.example.com:9200'], auth: { type: 'none' } },
  ...over,
});

let dir: string;
let core: Core;
let secrets: InMemorySecretStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-contract-'));
  secrets = new InMemorySecretStore();
  // A unit test has no Elasticsearch: the team registry in memory (tests/support/memory-registry.ts).
  const registry = new MemoryRegistryBackend();
  core = await createCore({ dataDir: dir, secrets, env: {}, registryBackend: () => registry });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Every answer in these tests is checked against the call's result schema too.
async function call(name: string, args: unknown, deps: ShellDeps = {}): Promise<CallResponse> {
  return dispatch(createHandlers(core, deps), name, args, { checkResults: true });
}

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(repo, dir), { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() && /\.tsx?$/.test(e.name) ? [path.join(e.parentPath, e.name)] : []));
}

describe('one contract', () => {
  it('every call has an argument schema, a result schema and a handler; nothing else has a handler', () => {
    for (const name of RENDERER_CALLS) {
      expect(contract[name].args, name).toBeInstanceOf(z.ZodType);
      expect(contract[name].result, name).toBeInstanceOf(z.ZodType);
    }
    expect(Object.keys(createHandlers(core)).sort()).toEqual([...RENDERER_CALLS].sort());
  });

  it('no argument is left unchecked (no unknown or any anywhere in an argument schema)', () => {
    const loose = (schema: z.ZodType, seen = new Set<z.ZodType>()): boolean => {
      if (seen.has(schema)) return false;
      seen.add(schema);
      if (schema instanceof z.ZodUnknown || schema instanceof z.ZodAny) return true;
      const def = schema._zod.def as unknown as Record<string, unknown>;
      const children = [
        ...(schema instanceof z.ZodObject ? Object.values(schema.shape) : []),
        ...['innerType', 'element', 'valueType', 'in', 'out'].map((f) => def[f]),
        ...(Array.isArray(def.options) ? def.options : []),
      ].filter((c): c is z.ZodType => c instanceof z.ZodType);
      return children.some((c) => loose(c, seen));
    };
    expect(RENDERER_CALLS.filter((name) => loose(contract[name].args))).toEqual([]);
  });

  it('every call is one the renderer makes (the page is offered nothing it does not use)', () => {
    const renderer = sourceFiles('renderer')
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    expect(RENDERER_CALLS.filter((name) => !renderer.includes(`api['${name}']`))).toEqual([]);
  });

  it('the types the contract declares are declared nowhere else', () => {
    const names = [
      'AuditEntry',
      'ReconcileFinding',
      'InstanceView',
      'InstanceWarning',
      'TenantRef',
      'AppStatus',
      'VerifyJob',
    ];
    const declared = new Map<string, string[]>();
    for (const file of ['shared', 'main', 'renderer'].flatMap(sourceFiles)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const n of names)
        if (new RegExp(`(interface|type) ${n}\\b(<[^>]*>)? ?[={]`).test(text))
          declared.set(n, [...(declared.get(n) ?? []), path.relative(repo, file)]);
    }
    for (const n of names) expect(declared.get(n) ?? [], n).toHaveLength(1);
  });

  it('a result that does not match its schema is refused as internal when results are checked', async () => {
    const handlers = { ...createHandlers(core), 'tenants.list': async () => [{ tenant: 'x' }] };
    const checked = await dispatch(handlers as never, 'tenants.list', {}, { checkResults: true });
    expect(checked).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!checked.ok)
      expect(checked.error.message).toMatch(/answer to tenants.list does not match the contract: 0\.instanceId/);
    expect(await call('instances.list', {})).toEqual({ ok: true, value: [] });
  });
});

describe('no call argument names a file', () => {
  it('no key of any call’s argument schema is a path, file or folder', () => {
    const offenders = RENDERER_CALLS.flatMap((name) =>
      keysOf(contract[name].args)
        .filter((key) => /path|file|dir|folder/i.test(key))
        .map((key) => `${name}: ${key}`),
    );
    expect(RENDERER_CALLS.length).toBeGreaterThan(10);
    // The walk reaches nested fields (so a nested file path would be found too).
    expect(keysOf(contract['instances.add'].args)).toEqual(expect.arrayContaining(['caPem', 'verify', 'indexShards']));
    expect(offenders).toEqual([]);
  });

  it('instances.add refuses a CA file path and stores nothing; the CA as PEM text is kept', async () => {
    const refused = await call('instances.add', {
      instance: instance({ es: { nodes: ['https://es:9200'], tls: { caFile: '/etc/shadow' } } }),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (!refused.ok) expect(refused.error.message).toBe('Not accepted: the TLS settings: not a field here: caFile.');
    expect(core.settings.read().instances).toEqual([]);

    const notPem = await call('instances.add', {
      instance: instance({ es: { nodes: ['https://es:9200'], tls: { caPem: 'hello' } } }),
    });
    expect(notPem.ok === false && notPem.error.message).toMatch(/the CA bundle: a CA bundle is PEM text/);

    const added = await call('instances.add', {
      instance: instance({ es: { nodes: ['https://es:9200'], tls: { caPem: CA_PEM } } }),
    });
    expect(added.ok).toBe(true);
    expect(core.settings.read().instances[0]?.es.tls.caPem).toBe(CA_PEM);
  });

  it('a PEM block that is no certificate is refused by main', async () => {
    const broken = CA_PEM.replace('MIIBgzCC', 'AAAAgzCC');
    const out = await call('instances.add', {
      instance: instance({ es: { nodes: ['https://es:9200'], tls: { caPem: broken } } }),
    });
    expect(out.ok === false && out.error.message).toMatch(/certificate 1 of the CA bundle is not a readable X\.509/);
    expect(core.settings.read().instances).toEqual([]);
  });

  it('instances.update changes only what the patch names (no defaults fill a partial patch)', async () => {
    await core.instances.add(instance({ tenancy: 'single-tenant', footprint: { indexShards: 5 } }));
    const out = await call('instances.update', { id: 'inst1', patch: { name: 'Renamed' } });
    expect(out.ok).toBe(true);
    const saved = core.settings.read().instances[0]!;
    expect(saved).toMatchObject({ name: 'Renamed', tenancy: 'single-tenant', footprint: { indexShards: 5 } });
    const refused = await call('instances.update', { id: 'inst1', patch: { es: { tls: { caFile: '/x' } } } });
    expect(refused.ok).toBe(false);
    expect(core.settings.read().instances[0]!.es.tls.caFile).toBeUndefined();
  });
});

describe('tenants.exportHandoff', () => {
  const TOKEN = 'tok-0123456789abcdefghijklmnopqrstuvwxyz';
  beforeEach(async () => {
    await core.instances.add(instance());
    core.settings.update((draft) => {
      draft.tenants.push({
        instanceId: 'inst1',
        tenant: 'acme',
        apiDomain: 'acme.inst1.example.com',
        apiUrl: 'https://acme.inst1.example.com',
        guiDomain: 'acme-gui.inst1.example.com',
        guiUrl: 'https://acme-gui.inst1.example.com',
        email: 'a@example.com',
        createdAt: '2026-01-01T00:00:00.000Z',
        tokenExpiresAt: null,
        state: 'registered',
        warnings: [],
      });
    });
    await secrets.set(accountFor.token('inst1', 'acme'), TOKEN);
  });

  it('refuses a path argument', async () => {
    const out = await call('tenants.exportHandoff', { instanceId: 'inst1', tenant: 'acme', path: '/tmp/x.md' });
    expect(out).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(fs.existsSync('/tmp/x.md') && fs.readFileSync('/tmp/x.md', 'utf8').includes(TOKEN)).toBe(false);
  });

  it('browser shell: the sheet comes back for the page to download; nothing is written on the server', async () => {
    const out = await call('tenants.exportHandoff', { instanceId: 'inst1', tenant: 'acme' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value).toMatchObject({ saved: 'download', fileName: 'tracardi-handoff-inst1-acme.md' });
    expect((out.value as { content: string }).content).toContain(`\`${TOKEN}\``);
    // The registry's cache (no token in it) aside.
    expect(fs.readdirSync(dir).filter((f) => !/^config\.json|audit|^registry$/.test(f))).toEqual([]);
  });

  it('Electron: main writes where its own save dialog pointed, owner-only', async () => {
    const target = path.join(dir, 'chosen.md');
    const out = await call(
      'tenants.exportHandoff',
      { instanceId: 'inst1', tenant: 'acme' },
      {
        chooseExportPath: async () => target,
      },
    );
    expect(out).toEqual({ ok: true, value: { saved: 'file', path: target } });
    expect(fs.readFileSync(target, 'utf8')).toContain(TOKEN);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    const cancelled = await call(
      'tenants.exportHandoff',
      { instanceId: 'inst1', tenant: 'acme' },
      {
        chooseExportPath: async () => null,
      },
    );
    expect(cancelled.ok === false && cancelled.error.message).toMatch(/Export cancelled/);
  });
});

describe('the first screen never waits for the keychain', () => {
  it('instances.summaries answers from the settings while every keychain call fails; instances.list says why', async () => {
    expect(await call('instances.add', { instance: instance(), secrets: {} })).toMatchObject({ ok: true });
    const asked: string[] = [];
    secrets.failWith = (op) => {
      asked.push(op);
      return new ConsoleError('keychain-locked', 'The OS keychain is locked (test). Unlock it and try again.');
    };
    const summaries = await call('instances.summaries', {});
    expect(summaries).toMatchObject({ ok: true, value: [{ instance: { id: 'inst1' }, tlsVerifyOff: false }] });
    expect(asked).toEqual([]);
    // The secret presence is still asked of the keychain, and its problem is shown, not hidden.
    const views = await call('instances.list', {});
    expect(views).toMatchObject({ ok: true, value: [{ secrets: null, keychainProblem: { code: 'keychain-locked' } }] });
    expect(asked.length).toBeGreaterThan(0);
  });
});

describe('tenants.head', () => {
  it("answers the list's first rows in its order and how many there are; refuses a bad limit", async () => {
    await core.instances.add(instance());
    core.settings.update((draft) => {
      for (const tenant of ['delta', 'alpha', 'charlie', 'bravo'])
        draft.tenants.push({
          instanceId: 'inst1',
          tenant,
          apiDomain: `${tenant}.inst1.example.com`,
          apiUrl: `https://${tenant}.inst1.example.com`,
          guiDomain: `${tenant}-gui.inst1.example.com`,
          guiUrl: `https://${tenant}-gui.inst1.example.com`,
          email: 'a@example.com',
          createdAt: '2026-01-01T00:00:00.000Z',
          tokenExpiresAt: null,
          state: 'registered',
          warnings: [],
        });
    });
    const list = await call('tenants.list', {});
    const head = await call('tenants.head', { limit: 2 });
    expect(list.ok && head.ok).toBe(true);
    if (!list.ok || !head.ok) return;
    expect(head.value).toEqual({ rows: (list.value as unknown[]).slice(0, 2), total: 4 });
    expect((head.value as { rows: { tenant: string }[] }).rows.map((r) => r.tenant)).toEqual(['alpha', 'bravo']);
    for (const limit of [0, -1, 1.5, 1001, '10'])
      expect(await call('tenants.head', { limit })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
