import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors/errors';
import type { InstanceInput } from '../../../shared/instances/instance';
import {
  ConfSettingsStore,
  SETTINGS_SCHEMA_VERSION,
  type SettingsBackendFactory,
  type SettingsMigration,
} from '../../../main/services/settings-store';

const instance = (id: string, over: Partial<InstanceInput> = {}): InstanceInput => ({
  id,
  name: `Instance ${id}`,
  environment: 'staging',
  apiUrl: `https://api.${id}.example.com`,
  tenantDomainSuffix: `${id}.example.com`,
  tracardiVersion: '0.9.x',
  tmsUrl: `https://tms.${id}.example.com`,
  es: { nodes: [`https://es.${id}.example.com:9200`] },
  ...over,
});

let dir: string;
let configPath: string;
const fixedNow = () => new Date('2026-01-02T03:04:05.678Z');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-store-'));
  configPath = path.join(dir, 'config.json');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(extra: Partial<ConstructorParameters<typeof ConfSettingsStore>[0]> = {}): ConfSettingsStore {
  return new ConfSettingsStore({ dataDir: dir, now: fixedNow, ...extra });
}

function files(): string[] {
  return fs.readdirSync(dir).sort();
}

function expectConsoleError(fn: () => unknown, code: string): ConsoleError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConsoleError);
    expect((err as ConsoleError).code).toBe(code);
    return err as ConsoleError;
  }
  throw new Error(`expected a ConsoleError ${code}`);
}

describe('fresh data dir', () => {
  it('starts empty and writable, and writes <dataDir>/config.json on the first update', () => {
    const store = open();
    expect(store.path).toBe(configPath);
    expect(store.read()).toMatchObject({
      schemaVersion: SETTINGS_SCHEMA_VERSION,
      instances: [],
      tenants: [],
      journal: [],
    });
    expect(store.read().preferences).toEqual({ clipboardClearSeconds: 30, theme: 'system' });
    expect(store.status()).toMatchObject({ readOnly: false, problems: [] });
    expect(fs.existsSync(configPath)).toBe(false);

    store.update((d) => {
      d.instances.push(instance('one') as never);
    });
    const onDisk = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    expect(onDisk.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
    expect(onDisk.instances[0].id).toBe('one');
    // Defaults from the instance schema are written out.
    expect(onDisk.instances[0].es.tls.verify).toBe(true);
    expect(fs.existsSync(`${configPath}.last-good`)).toBe(true);
  });

  it('writes the same file conf reads with the same cwd', () => {
    open().update((d) => {
      d.instances.push(instance('one') as never);
      d.preferences.theme = 'dark';
    });
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' });
    expect(conf.path).toBe(configPath);
    expect(conf.get('preferences')).toEqual({ clipboardClearSeconds: 30, theme: 'dark' });
    // conf's serialisation: tab-indented JSON.
    expect(fs.readFileSync(configPath, 'utf8')).toBe(JSON.stringify(conf.store, undefined, '\t'));
  });
});

describe('migrations', () => {
  it('migrates an unversioned (v0) file, keeping its bytes in config.json.bak-v0 and unknown keys', () => {
    const v0 = JSON.stringify(
      { instances: [instance('old')], preferences: { theme: 'dark' }, extra: { kept: true } },
      null,
      2,
    );
    fs.writeFileSync(configPath, v0);

    const store = open();
    expect(store.status()).toMatchObject({ readOnly: false, migratedFrom: 0, problems: [] });
    expect(fs.readFileSync(`${configPath}.bak-v0`, 'utf8')).toBe(v0);
    const data = store.read();
    expect(data.schemaVersion).toBe(1);
    expect(data.instances.map((i) => i.id)).toEqual(['old']);
    expect(data.preferences).toEqual({ clipboardClearSeconds: 30, theme: 'dark' });
    expect((data as Record<string, unknown>).extra).toEqual({ kept: true });
    // Written back at the new version.
    expect(JSON.parse(fs.readFileSync(configPath, 'utf8')).schemaVersion).toBe(1);
    // Loading again does not migrate again.
    expect(open().status().migratedFrom).toBeUndefined();
  });

  it('runs a chain of migrations in order from the file version, backing up the original first', () => {
    const migrations: SettingsMigration[] = [
      { from: 0, migrate: () => ({ schemaVersion: 1 }) },
      { from: 2, migrate: (d) => ({ ...d, schemaVersion: 3, journal: [...(d.journal as unknown[]), 'step-2'] }) },
      {
        from: 1,
        migrate: (d) => ({ ...d, schemaVersion: 2, journal: ['step-1'], preferences: { theme: d.colourScheme } }),
      },
    ];
    const v1 = JSON.stringify({ schemaVersion: 1, instances: [], tenants: [], journal: [], colourScheme: 'light' });
    fs.writeFileSync(configPath, v1);

    const store = open({ migrations, schemaVersion: 3 });
    expect(store.status()).toMatchObject({ readOnly: false, migratedFrom: 1 });
    expect(store.read().journal).toEqual(['step-1', 'step-2']);
    expect(store.read().preferences.theme).toBe('light');
    expect(fs.readFileSync(`${configPath}.bak-v1`, 'utf8')).toBe(v1);
    expect(fs.existsSync(`${configPath}.bak-v0`)).toBe(false);
  });

  it('opens read-only and leaves the file alone when a migration throws', () => {
    const original = JSON.stringify({ schemaVersion: 1, instances: [] });
    fs.writeFileSync(configPath, original);
    const store = open({
      schemaVersion: 2,
      migrations: [
        {
          from: 1,
          migrate: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    expect(store.status().readOnly).toBe(true);
    expect(store.status().problems.join(' ')).toMatch(/migration from schema version 1 failed: boom/);
    expect(fs.readFileSync(configPath, 'utf8')).toBe(original);
    expectConsoleError(() => store.update(() => {}), 'settings-read-only');
  });

  it('opens a file from a newer console read-only, shows what it can and never rewrites it', () => {
    const newer = JSON.stringify({
      schemaVersion: SETTINGS_SCHEMA_VERSION + 1,
      instances: [instance('n')],
      futureThing: 1,
    });
    fs.writeFileSync(configPath, newer);
    const store = open();
    expect(store.status().readOnly).toBe(true);
    expect(store.status().problems[0]).toMatch(/newer console/);
    expect(store.read().instances.map((i) => i.id)).toEqual(['n']);
    const err = expectConsoleError(() => store.update(() => {}), 'settings-read-only');
    expect(err.message).toContain(configPath);
    expect(fs.readFileSync(configPath, 'utf8')).toBe(newer);
  });
});

describe('corruption', () => {
  it('keeps a corrupt file and recovers from config.json.last-good', () => {
    open().update((d) => {
      d.instances.push(instance('good') as never);
    });
    const garbage = '{"schemaVersion": 1, "instances": [ {"id": "half-writ';
    fs.writeFileSync(configPath, garbage);

    const store = open();
    const status = store.status();
    expect(status.readOnly).toBe(false);
    expect(status.recoveredFrom).toBe(`${configPath}.last-good`);
    expect(status.problems).toHaveLength(1);
    expect(status.problems[0]).toMatch(/is corrupt \(not valid JSON/);
    expect(status.problems[0]).toContain('recovered from');

    const keptCopy = `${configPath}.corrupt-2026-01-02T03-04-05-678Z`;
    expect(files()).toContain(path.basename(keptCopy));
    expect(fs.readFileSync(keptCopy, 'utf8')).toBe(garbage);
    expect(status.keptFiles).toContain(keptCopy);
    // The recovered settings are in use and back on disk.
    expect(store.read().instances.map((i) => i.id)).toEqual(['good']);
    expect(JSON.parse(fs.readFileSync(configPath, 'utf8')).instances[0].id).toBe('good');
    store.update((d) => {
      d.preferences.theme = 'light';
    });
  });

  it('with no backup: keeps the corrupt file in place and a copy, opens read-only and empty, refuses writes naming the file', () => {
    const garbage = 'not json at all \u0000';
    fs.writeFileSync(configPath, garbage);

    const store = open();
    const status = store.status();
    expect(status.readOnly).toBe(true);
    expect(status.recoveredFrom).toBeUndefined();
    expect(status.problems[0]).toMatch(/no usable backup/);
    expect(store.read().instances).toEqual([]);
    // Never wiped: the original stays, a copy is kept beside it.
    expect(fs.readFileSync(configPath, 'utf8')).toBe(garbage);
    expect(fs.readFileSync(`${configPath}.corrupt-2026-01-02T03-04-05-678Z`, 'utf8')).toBe(garbage);

    const err = expectConsoleError(
      () =>
        store.update((d) => {
          d.instances.push(instance('x') as never);
        }),
      'settings-read-only',
    );
    expect(err.message).toContain(configPath);
    expect(fs.readFileSync(configPath, 'utf8')).toBe(garbage);
    expectConsoleError(() => store.assertWritable(), 'settings-read-only');
  });

  it('treats schema-invalid JSON as corrupt (kept, reported with the field)', () => {
    const invalid = JSON.stringify({ schemaVersion: 1, instances: [instance('bad', { apiUrl: 'ftp://nope' })] });
    fs.writeFileSync(configPath, invalid);
    const store = open();
    expect(store.status().readOnly).toBe(true);
    expect(store.status().problems[0]).toMatch(
      /does not match the settings schema: instances\.0\.apiUrl: must be an http/,
    );
    expect(fs.readFileSync(`${configPath}.corrupt-2026-01-02T03-04-05-678Z`, 'utf8')).toBe(invalid);
    expect(fs.readFileSync(configPath, 'utf8')).toBe(invalid);
  });

  it('treats duplicate instance ids as invalid', () => {
    fs.writeFileSync(configPath, JSON.stringify({ schemaVersion: 1, instances: [instance('a'), instance('a')] }));
    expect(open().status().problems[0]).toMatch(/duplicate instance id "a"/);
  });

  it('does not reuse a corrupt last-good: read-only when both are bad', () => {
    fs.writeFileSync(configPath, '{');
    fs.writeFileSync(`${configPath}.last-good`, '{also bad');
    const store = open();
    expect(store.status().readOnly).toBe(true);
    expect(fs.readFileSync(`${configPath}.last-good`, 'utf8')).toBe('{also bad');
  });

  it('refuses to overwrite a file that turned bad on disk after loading', () => {
    const store = open();
    store.update((d) => {
      d.instances.push(instance('a') as never);
    });
    fs.writeFileSync(configPath, '{broken');
    expectConsoleError(
      () =>
        store.update((d) => {
          d.preferences.theme = 'dark';
        }),
      'settings-corrupt',
    );
    expect(fs.readFileSync(configPath, 'utf8')).toBe('{broken');
  });
});

describe('update', () => {
  it('validates the result and writes nothing when it is invalid', () => {
    const store = open();
    store.update((d) => {
      d.instances.push(instance('a') as never);
    });
    const before = fs.readFileSync(configPath, 'utf8');
    const err = expectConsoleError(
      () =>
        store.update((d) => {
          d.preferences.clipboardClearSeconds = -5;
        }),
      'validation',
    );
    expect(err.message).toMatch(/preferences\.clipboardClearSeconds/);
    expect(fs.readFileSync(configPath, 'utf8')).toBe(before);
    expect(store.read().preferences.clipboardClearSeconds).toBe(30);
  });

  it('reads the file afresh, so two stores on one data dir do not undo each other', () => {
    const a = open();
    const b = open();
    a.update((d) => {
      d.instances.push(instance('from-a') as never);
    });
    b.update((d) => {
      d.instances.push(instance('from-b') as never);
    });
    expect(
      open()
        .read()
        .instances.map((i) => i.id),
    ).toEqual(['from-a', 'from-b']);
  });

  it('reports a failed write as settings-write-failed and keeps the previous view', () => {
    let fail = false;
    const backend: SettingsBackendFactory = (options) => {
      const conf = new Conf<Record<string, unknown>>(options);
      return {
        get store() {
          return conf.store;
        },
        set store(value) {
          if (fail) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          conf.store = value;
        },
      };
    };
    const store = open({ backend });
    store.update((d) => {
      d.instances.push(instance('a') as never);
    });
    fail = true;
    const err = expectConsoleError(
      () =>
        store.update((d) => {
          d.instances.push(instance('b') as never);
        }),
      'settings-write-failed',
    );
    expect(err.message).toMatch(/ENOSPC/);
    expect(store.read().instances.map((i) => i.id)).toEqual(['a']);
    expect(JSON.parse(fs.readFileSync(`${configPath}.last-good`, 'utf8')).instances).toHaveLength(1);
  });
});
