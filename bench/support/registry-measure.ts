/**
 * bench/registry.ts's timed sections that compare two builds: `tenants list`, how the cost grows
 * with the record, and the Tenants screen. Each case runs once unmeasured, then in rounds; in each
 * round the two builds take turns going first, so neither always follows the other.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { median } from './cluster';
import { copyFolder, listedRows, runCli, runNode, type Fleet } from './registry-fleet';
import { coldLoad, startShell, stopShell, type Load } from './ui-load';

export interface Builds {
  /** The checkout with the team registry (this one). */
  registry: string;
  /** The checkout before it (records in config.json). */
  file: string;
  env: NodeJS.ProcessEnv;
  runs: number;
}

interface Case {
  label: string;
  run: () => Promise<number>;
}

const fmt = (n: number) => `${n.toFixed(0)} ms`;
const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
const pad = (s: string, n: number) => s.padEnd(n);

/** Every case once unmeasured, then `runs` rounds, the groups' order alternating; samples by label. */
async function rounds(groups: Case[][], runs: number): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (const group of groups) for (const c of group) await c.run();
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? groups : [...groups].reverse();
    for (const group of order)
      for (const c of group) {
        const ms = await c.run();
        samples.set(c.label, [...(samples.get(c.label) ?? []), ms]);
      }
  }
  return samples;
}

/** A CLI case whose output is checked: a run that printed the wrong thing is no figure. */
function cliCase(
  label: string,
  checkout: string,
  folder: () => { dir: string; done?: () => void },
  args: string[],
  env: NodeJS.ProcessEnv,
  check: (stdout: string) => string | null,
): Case {
  let warned = false;
  return {
    label,
    run: async () => {
      const { dir, done } = folder();
      const r = await runCli(checkout, dir, args, env);
      done?.();
      const problem = check(r.stdout);
      if (problem) throw new Error(`${label}: ${problem}`);
      if (r.stderr.trim() && !warned) {
        warned = true;
        console.log(`    (${label} wrote on stderr: ${r.stderr.trim().split('\n')[0]!.slice(0, 160)})`);
      }
      return r.ms;
    },
  };
}

const rowsCheck = (expected: number, json: boolean) => (out: string) => {
  const n = listedRows(out, json);
  return n === expected ? null : `listed ${n} tenants, expected ${expected}`;
};

/** A fresh copy of a template for each run (cold), or one folder kept across runs (warm). */
function folders(template: string, prefix: string) {
  const warm = copyFolder(template, `${prefix}-warm-`);
  return {
    cold: () => {
      const dir = copyFolder(template, `${prefix}-cold-`);
      return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
    },
    warm: () => ({ dir: warm }),
    warmDir: warm,
  };
}

/** `tenants list`: each build, cold and warm, on each fleet. Returns the printed lines. */
export async function listSection(b: Builds, fleets: Fleet[]): Promise<string[]> {
  const lines = [`tenantctl tenants list (median of ${b.runs}; ${load()} at start)`];
  for (const fleet of fleets) {
    const reg = folders(fleet.registryTemplate, `rb-${fleet.label}-reg`);
    const file = folders(fleet.fileTemplate, `rb-${fleet.label}-file`);
    const check = rowsCheck(fleet.total, false);
    const args = ['tenants', 'list'];
    const s = await rounds(
      [
        [
          cliCase('reg cold', b.registry, reg.cold, args, b.env, check),
          cliCase('reg warm', b.registry, reg.warm, args, b.env, check),
        ],
        [
          cliCase('file cold', b.file, file.cold, args, b.env, check),
          cliCase('file warm', b.file, file.warm, args, b.env, check),
        ],
      ],
      b.runs,
    );
    const m = (k: string) => median(s.get(k)!);
    lines.push(
      `  ${fleet.label}: registry cold ${fmt(m('reg cold'))}, warm ${fmt(m('reg warm'))} | config.json (${(fleet.configBytes / 2 ** 20).toFixed(1)} MiB) cold ${fmt(m('file cold'))}, warm ${fmt(m('file warm'))} | registry/config.json: cold ${(m('reg cold') / m('file cold')).toFixed(2)}x, warm ${(m('reg warm') / m('file warm')).toFixed(2)}x   (all: reg warm ${s
        .get('reg warm')!
        .map((v) => v.toFixed(0))
        .join(' ')}; file warm ${s
        .get('file warm')!
        .map((v) => v.toFixed(0))
        .join(' ')})`,
    );
    console.log(lines[lines.length - 1]);
  }
  return lines;
}

/**
 * `instances list`, `tenants show` and `tenants list --json` with few and with many tenants, each
 * build (the registry build warm: its cache from a `tenants list` before); the target is on the
 * registry build's instances list and tenants show: many within `limit` x few.
 */
export async function growthSection(b: Builds, few: Fleet, many: Fleet, limit: number): Promise<string[]> {
  const commands: {
    name: string;
    args: (f: Fleet) => string[];
    check: (f: Fleet) => (out: string) => string | null;
    target: boolean;
  }[] = [
    {
      name: 'instances list',
      args: () => ['instances', 'list'],
      check: (f) => (out) =>
        out.trim().split('\n').length === f.instances.length + 1 ? null : 'not every instance listed',
      target: true,
    },
    {
      name: 'tenants show',
      args: (f) => ['tenants', 'show', f.instances[0]!.id, f.instances[0]!.records.at(-1)!.tenant],
      check: (f) => (out) => (out.includes(f.instances[0]!.records.at(-1)!.tenant) ? null : 'the tenant was not shown'),
      target: true,
    },
    {
      name: 'tenants list --json',
      args: () => ['tenants', 'list', '--json'],
      check: (f) => rowsCheck(f.total, true),
      target: false,
    },
  ];
  const reg = new Map<Fleet, string>();
  for (const f of [few, many]) {
    reg.set(f, copyFolder(f.registryTemplate, `rb-${f.label}-growth-reg-`));
    await runCli(b.registry, reg.get(f)!, ['tenants', 'list'], b.env); // the cache filled
  }
  const regCases: Case[] = [{ label: 'node', run: async () => runNode(b.env) }];
  const fileCases: Case[] = [];
  for (const c of commands)
    for (const f of [few, many]) {
      regCases.push(
        cliCase(`reg ${c.name} ${f.label}`, b.registry, () => ({ dir: reg.get(f)! }), c.args(f), b.env, c.check(f)),
      );
      fileCases.push(
        cliCase(`file ${c.name} ${f.label}`, b.file, () => ({ dir: f.fileTemplate }), c.args(f), b.env, c.check(f)),
      );
    }
  const lines = [
    `How the cost grows: ${few.total.toLocaleString('en-US')} against ${many.total.toLocaleString('en-US')} tenants on ${many.instances.length} instances (median of ${b.runs}; ${load()} at start; config.json ${(few.configBytes / 2 ** 20).toFixed(1)} and ${(many.configBytes / 2 ** 20).toFixed(1)} MiB)`,
  ];
  const s = await rounds([regCases, fileCases], b.runs);
  const m = (k: string) => median(s.get(k)!);
  lines.push(`  node -e 0 ${fmt(m('node'))}`);
  let missed = 0;
  for (const c of commands) {
    const r1 = m(`reg ${c.name} ${few.label}`);
    const r2 = m(`reg ${c.name} ${many.label}`);
    const f1 = m(`file ${c.name} ${few.label}`);
    const f2 = m(`file ${c.name} ${many.label}`);
    const ratio = r2 / r1;
    const verdict = c.target ? `target <= ${limit}x: ${ratio <= limit ? 'met' : 'MISSED'}` : '(no target)';
    if (c.target && ratio > limit) missed++;
    lines.push(
      `  ${pad(c.name, 20)} registry ${fmt(r1)} -> ${fmt(r2)} = ${ratio.toFixed(2)}x  ${pad(verdict, 22)} | config.json ${fmt(f1)} -> ${fmt(f2)} = ${(f2 / f1).toFixed(2)}x`,
    );
  }
  lines.push(`  verdict: ${missed === 0 ? 'both targets met' : `${missed} target(s) missed`}`);
  for (const l of lines) console.log(l);
  return lines;
}

/**
 * The Tenants screen until its rows are drawn, each load in a fresh browser context and a fresh
 * `tenantctl serve`: the registry build cold (a fresh data folder) and warm (the cache of the loads
 * before), the file build on a fresh copy and on one folder kept.
 */
export async function screenSection(b: Builds, browser: Browser, fleets: Fleet[]): Promise<string[]> {
  const lines = [
    `Tenants screen, first rows drawn (ms from navigation start; median of ${b.runs}, each a fresh browser context and a fresh tenantctl serve; ${load()} at start)`,
  ];
  let n = 0;
  for (const fleet of fleets) {
    const reg = folders(fleet.registryTemplate, `rb-${fleet.label}-ui-reg`);
    const file = folders(fleet.fileTemplate, `rb-${fleet.label}-ui-file`);
    const loads = new Map<string, Load[]>();
    const total = fleet.total.toLocaleString('en-US');
    const screen = (label: string, checkout: string, folder: () => { dir: string; done?: () => void }): Case => ({
      label,
      run: async () => {
        const { dir, done } = folder();
        const shell = await startShell(dir, checkout, b.env);
        try {
          const l = await coldLoad(browser, shell.url, n++);
          if (l.shown !== `Showing ${total} of ${total} tenants`)
            throw new Error(`${fleet.label} ${label}: the list said "${l.shown}", expected ${total} tenants`);
          loads.set(label, [...(loads.get(label) ?? []), l]);
          return l.firstRender;
        } finally {
          await stopShell(shell.child);
          done?.();
        }
      },
    });
    await rounds(
      [
        [screen('reg cold', b.registry, reg.cold), screen('reg warm', b.registry, reg.warm)],
        [screen('file cold', b.file, file.cold), screen('file warm', b.file, file.warm)],
      ],
      b.runs,
    );
    // The unmeasured first pass is dropped.
    const m = (k: string, f: (l: Load) => number) => median(loads.get(k)!.slice(1).map(f));
    const first = (k: string) => m(k, (l) => l.firstRender);
    const whole = (k: string) => m(k, (l) => l.completeRender);
    lines.push(
      `  ${fleet.label}: registry cold ${fmt(first('reg cold'))}, warm ${fmt(first('reg warm'))} | config.json cold ${fmt(first('file cold'))}, warm ${fmt(first('file warm'))} | registry/config.json: cold ${(first('reg cold') / first('file cold')).toFixed(2)}x, warm ${(first('reg warm') / first('file warm')).toFixed(2)}x`,
      `    whole list drawn: registry cold ${fmt(whole('reg cold'))}, warm ${fmt(whole('reg warm'))} | config.json cold ${fmt(whole('file cold'))}, warm ${fmt(whole('file warm'))}`,
    );
    console.log(lines.slice(-2).join('\n'));
  }
  return lines;
}
