/**
 * The calls the Settings, Changes, Audit and Indices screens add, over the real handlers and a real
 * core (settings file on disk, in-memory keychain), every answer checked against its result schema:
 * the operator is set and reset, the keychain's status says available or why not (never a secret),
 * the notification choice is stored next to the schedule, acknowledgements and audit filters are
 * checked, and the index browser refuses a pattern Elasticsearch would read as more than one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallResponse } from '../../../shared/contract/contract';
import { createCore, type Core } from '../../../main/core';
import { createHandlers } from '../../../main/handlers';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { dispatch } from '../../../main/transport/dispatch';
import { ConsoleError } from '../../../shared/errors/errors';

let dir: string;
let core: Core;
let secrets: InMemorySecretStore;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-settings-calls-'));
  secrets = new InMemorySecretStore({ 'instance/inst1/tms-api-key': 'tms-key-value-never-shown' });
  core = await createCore({ dataDir: dir, secrets, env: { TENANT_CONSOLE_KEYCHAIN_SERVICE: 'tc-test-service' } });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function call(name: string, args: unknown): Promise<CallResponse> {
  return dispatch(createHandlers(core), name, args, { checkResults: true });
}

describe('operator.set', () => {
  it('sets the name and e-mail in the settings file, resets to the default with null, refuses a bad e-mail', async () => {
    expect(await call('operator.set', { name: 'Ann Smith', email: 'ann@example.com' })).toMatchObject({
      ok: true,
      value: { name: 'Ann Smith', email: 'ann@example.com', isDefault: false },
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).operator).toEqual({
      name: 'Ann Smith',
      email: 'ann@example.com',
    });
    expect(await call('app.status', {})).toMatchObject({ ok: true, value: { operator: { name: 'Ann Smith' } } });
    const bad = await call('operator.set', { name: 'Ann', email: 'not an address' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(core.operator.view().name).toBe('Ann Smith');
    const reset = await call('operator.set', { name: null, email: null });
    expect(reset).toMatchObject({ ok: true, value: { isDefault: true, email: null } });
  });
});

describe('app.keychain', () => {
  it('available, with the service name; never a value', async () => {
    const answer = await call('app.keychain', {});
    expect(answer).toEqual({ ok: true, value: { service: 'tc-test-service', available: true } });
    expect(JSON.stringify(answer)).not.toContain('tms-key-value-never-shown');
  });

  it('not available: says why (the console then stores no secret)', async () => {
    secrets.failWith = () => new ConsoleError('keychain-locked', 'The OS keychain is locked (test). Unlock it.');
    expect(await call('app.keychain', {})).toEqual({
      ok: true,
      value: {
        service: 'tc-test-service',
        available: false,
        problem: { code: 'keychain-locked', message: 'The OS keychain is locked (test). Unlock it.' },
      },
    });
  });

  it('a failure that is not the keychain is an error, not "unavailable"', async () => {
    secrets.failWith = () => new Error('boom');
    expect(await call('app.keychain', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('watch: notification choice and acknowledgements', () => {
  it('the choice is stored next to the schedule and reported with it', async () => {
    expect(await call('watch.configure', { notifications: 'problems' })).toMatchObject({
      ok: true,
      value: { notifications: 'problems', intervalMinutes: 15, paused: false },
    });
    expect(core.settings.read().watch).toEqual({ intervalMinutes: 15, paused: false, notifications: 'problems' });
    expect(await call('watch.configure', { notifications: 'sometimes' })).toMatchObject({ ok: false });
  });

  it('acknowledge needs ids or an id to go up to; nothing is acknowledged ahead of the feed', async () => {
    expect(await call('watch.acknowledge', {})).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call('watch.acknowledge', { ids: [] })).toMatchObject({ ok: false });
    expect(await call('watch.acknowledge', { ids: [0] })).toMatchObject({ ok: false });
    expect(await call('watch.acknowledge', { through: 5 })).toEqual({ ok: true, value: { through: 0, ids: [] } });
    expect(await call('watch.acknowledged', {})).toEqual({ ok: true, value: { through: 0, ids: [] } });
  });
});

describe('audit.list filters', () => {
  it('by outcome and time, newest first, the limit counted after the outcome', async () => {
    await core.audit.record({ action: 'create', outcome: 'ok', tenant: 'a' });
    await core.audit.record({ action: 'create', outcome: 'failed', tenant: 'b' });
    await core.audit.record({ action: 'delete', outcome: 'refused', tenant: 'c' });
    await core.audit.record({ action: 'create', outcome: 'failed', tenant: 'd' });
    const failed = await call('audit.list', { outcome: 'failed', limit: 1 });
    expect(failed).toMatchObject({ ok: true, value: [{ tenant: 'd', outcome: 'failed' }] });
    if (failed.ok) expect(failed.value).toHaveLength(1);
    const later = await call('audit.list', { since: new Date(Date.now() + 60_000).toISOString() });
    expect(later).toEqual({ ok: true, value: [] });
    expect(await call('audit.list', { since: 'yesterday' })).toMatchObject({ ok: false });
    expect(await call('audit.list', { outcome: 'maybe' })).toMatchObject({ ok: false });
  });
});

describe('instances.indices and instances.test', () => {
  it('one tenant or one pattern; a pattern Elasticsearch would read as several, or as an exclusion, is refused', async () => {
    const refused = [
      { id: 'inst1' },
      { id: 'inst1', tenant: 'shop', pattern: '*' },
      { id: 'inst1', pattern: 'a,b' },
      { id: 'inst1', pattern: '-09x.*' },
      { id: 'inst1', pattern: '../_cluster/settings' },
      { id: 'inst1', tenant: 'Shop!' },
      { id: 'inst1', tenant: 'shop', limit: 1_000_000 },
    ];
    for (const args of refused)
      expect(await call('instances.indices', args), JSON.stringify(args)).toMatchObject({
        ok: false,
        error: { code: 'validation' },
      });
    // Valid arguments reach the service: an unknown instance is not-found.
    expect(await call('instances.indices', { id: 'inst1', tenant: 'shop' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('testing a saved instance that does not exist says so', async () => {
    expect(await call('instances.test', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
