/**
 * A console of a team test: its own data folder, its own REAL keychain (a service name of its own),
 * its own operator, and one instance on a shared TMS and Elasticsearch (the instance's id is local
 * to the console; the registry is the instance's). Run inside a keychain session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../main/core';
import { KeytarSecretStore } from '../../main/services/keychain';

export interface TeamConsole {
  name: string;
  /** The instance's id in this console. */
  id: string;
  core: Core;
  dataDir: string;
  service: string;
  keychain: KeytarSecretStore;
}

export interface TeamConsoleOptions {
  /** The test file's word, in folder, service, instance and e-mail names ("team", "restart"). */
  file: string;
  /** The operator's name. */
  name: string;
  /** The test run's random part (keychain services stay apart between runs). */
  run: string;
  suffix: string;
  tmsUrl: string;
  apiKey: string;
  esUrl: string;
}

/** Open a console with its operator set and the instance added (its TMS key in its own keychain). */
export async function openTeamConsole(o: TeamConsoleOptions): Promise<TeamConsole> {
  const who = o.name.toLowerCase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${o.file}-${who}-`));
  const service = `tracardi-tenant-console-${o.file}-${who}-${o.run}`;
  const core = await createCore({
    dataDir,
    env: { ...process.env, TENANT_CONSOLE_KEYCHAIN_SERVICE: service },
    shell: 'test',
  });
  core.operator.set({ name: o.name, email: `${who}@${o.file}.test` });
  const id = `${o.file}-${who}`;
  await core.instances.add(
    {
      id,
      name: `${o.file[0]!.toUpperCase()}${o.file.slice(1)} instance (${o.name})`,
      environment: 'test',
      apiUrl: 'http://127.0.0.1:9', // never asked by these tests
      tenantDomainSuffix: o.suffix,
      tracardiVersion: '0.9.x',
      tmsUrl: o.tmsUrl,
      es: { nodes: [o.esUrl] },
    },
    { 'tms-api-key': o.apiKey },
  );
  return { name: o.name, id, core, dataDir, service, keychain: new KeytarSecretStore(service) };
}

/** Close the consoles: their registries, every keychain entry they made, their data folders. */
export async function closeTeamConsoles(consoles: readonly TeamConsole[]): Promise<void> {
  for (const c of consoles) {
    c.core.registry.close();
    for (const a of await c.keychain.list('')) await c.keychain.delete(a);
    fs.rmSync(c.dataDir, { recursive: true, force: true });
  }
}
