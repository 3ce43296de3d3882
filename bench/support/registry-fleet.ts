/**
 * bench/registry.ts's fleets: the same tenant records kept two ways, side by side. For the build with
 * the team registry, the records are seeded into each instance's scope of the registry (the way the
 * console writes them) and the data folder holds only the instances; for the build before it, the
 * data folder's config.json holds instances and records. Also the timed CLI runs on those folders.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSettingsStore } from '../../main/services/settings-store';
import type { TenantRecord } from '../../shared/tenants/tenant';
import { removeRegistryScope, seedRegistry } from '../../tests/support/registry-seed';
import { benchInstance, benchRecord } from './bench-tenants';

export interface FleetInstance {
  id: string;
  /** Its tenant domain suffix: its scope in the registry. */
  suffix: string;
  records: TenantRecord[];
}

export interface Fleet {
  label: string;
  instances: FleetInstance[];
  total: number;
  /** Data folder of the registry build: instances only, no cache (copy it for a cold run). */
  registryTemplate: string;
  /** Data folder of the build before: config.json with instances and every record. */
  fileTemplate: string;
  /** config.json of the build before, in bytes. */
  configBytes: number;
}

const dirs: string[] = [];

/** A temp folder removed by `removeFolders`. */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Remove every folder this bench made. */
export function removeFolders(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of a template data folder (a cold run: nothing cached). */
export function copyFolder(template: string, prefix: string): string {
  const dir = tempFolder(prefix);
  cpSync(template, dir, { recursive: true });
  return dir;
}

/**
 * `counts.length` instances with `counts[i]` tenants each, under scopes `<label>-<i>.rb<run>.bench.test`
 * (unique to the run: the registry indices are shared with whoever else uses the cluster).
 */
export function planFleet(label: string, run: string, counts: readonly number[], esUrl: string): Fleet {
  const instances: FleetInstance[] = counts.map((_, i) => ({
    id: `bench-${i + 1}`,
    suffix: `${label}-${i + 1}.rb${run}.bench.test`,
    records: [],
  }));
  let n = 0;
  for (const [i, count] of counts.entries()) {
    const inst = instances[i]!;
    for (let k = 0; k < count; k++) inst.records.push(benchRecord(n++, inst.id, inst.suffix));
  }
  return fleetOf(label, instances, esUrl);
}

/** The same instances with their records, as another fleet (a subset of scopes already seeded). */
export function subFleet(label: string, from: Fleet, take: number, esUrl: string): Fleet {
  return fleetOf(label, from.instances.slice(0, take), esUrl);
}

/** The two data folders of a fleet: the registry build's (instances only) and the file build's. */
function fleetOf(label: string, instances: FleetInstance[], esUrl: string): Fleet {
  const write = (dir: string, withRecords: boolean) =>
    openSettingsStore(dir).update((draft) => {
      draft.instances = instances.map((inst, i) => benchInstance(i, inst.id, inst.suffix, esUrl));
      draft.tenants = withRecords ? instances.flatMap((inst) => inst.records) : [];
    });
  const registryTemplate = tempFolder(`rb-${label}-registry-`);
  const fileTemplate = tempFolder(`rb-${label}-file-`);
  write(registryTemplate, false);
  write(fileTemplate, true);
  return {
    label,
    instances,
    total: instances.reduce((n, i) => n + i.records.length, 0),
    registryTemplate,
    fileTemplate,
    configBytes: statSync(join(fileTemplate, 'config.json')).size,
  };
}

/** Seed every instance's records into its scope of the registry. */
export async function seedFleet(esUrl: string, fleet: Fleet): Promise<void> {
  for (const inst of fleet.instances) await seedRegistry(esUrl, inst.suffix, inst.records);
}

/** Take every scope of the fleets out of the registry again (errors reported, not thrown). */
export async function removeFleets(esUrl: string, fleets: readonly Fleet[]): Promise<string[]> {
  const problems: string[] = [];
  for (const fleet of fleets)
    for (const inst of fleet.instances)
      await removeRegistryScope(esUrl, inst.suffix).catch((err: unknown) => problems.push(`${inst.suffix}: ${err}`));
  return problems;
}

export interface CliRun {
  ms: number;
  stdout: string;
  stderr: string;
}

/**
 * Wall time of one `tenantctl` run of a checkout on a data folder, to its exit; throws when it fails.
 * Spawned, not run synchronously: a counting proxy in this process must answer while it runs.
 */
export function runCli(checkout: string, dataDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const cli = join(checkout, 'bin', 'tenantctl.mjs');
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, '--data-dir', dataDir, ...args], { env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - start;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0)
        reject(new Error(`tenantctl ${args.join(' ')} (${checkout}) exited ${code}: ${stderr.slice(0, 600)}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

/** Wall time of `node -e 0`: the floor. */
export function runNode(env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { env });
  return performance.now() - start;
}

/** Rows a `tenants list` printed (table: lines after the header; --json: the array's length). */
export function listedRows(out: string, json: boolean): number {
  if (json) return (JSON.parse(out) as unknown[]).length;
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 1 && lines[0] === 'No tenants.' ? 0 : Math.max(0, lines.length - 1);
}
