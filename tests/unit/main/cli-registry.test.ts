// tenantctl loads only the command group a run names (main/cli/registry.ts). These tests hold the
// registry to the modules: each group's module registers exactly its one top-level command, with the
// summary the top-level help shows; and the group a command line names is the one loaded.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../main/cli/context';
import { COMMANDS, groupToLoad } from '../../../main/cli/registry';
import { runCli } from '../../../main/cli/index';

const ctx: CliContext = {
  env: {},
  streams: { stdout: { write: () => true }, stderr: { write: () => true } },
  readSecrets: async () => [],
  core: () => Promise.reject(new Error('no core in this test')),
};

function capture(): { out: string[]; streams: CliContext['streams'] } {
  const out: string[] = [];
  return {
    out,
    streams: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } },
  };
}

describe('tenantctl command registry', () => {
  it.each(COMMANDS.map((g) => [g.name, g] as const))(
    'group %s registers exactly itself, described by its summary',
    async (_name, group) => {
      const program = new Command('tenantctl');
      (await group.load())(program, ctx);
      expect(program.commands.map((c) => c.name())).toEqual([group.name]);
      expect(program.commands[0]!.description()).toBe(group.summary);
    },
  );

  it('has one entry per name', () => {
    expect(new Set(COMMANDS.map((g) => g.name)).size).toBe(COMMANDS.length);
  });

  it('loads the group the command line names, past the global options', () => {
    const pick = (...args: string[]) => groupToLoad(['node', 'tenantctl', ...args])?.name ?? null;
    expect(pick('derive', 'a.b.com')).toBe('derive');
    expect(pick('--data-dir', '/tmp/x', 'instances', 'list')).toBe('instances');
    expect(pick('--data-dir=/tmp/x', 'tenants', 'list')).toBe('tenants');
    expect(pick('help', 'serve')).toBe('serve');
    expect(pick('--help')).toBeNull();
    expect(pick()).toBeNull();
    expect(pick('bogus')).toBeNull();
    // a value of --data-dir that happens to be a command name is not the command
    expect(pick('--data-dir', 'serve', 'derive', 'x.y.com')).toBe('derive');
  });

  it('lists every group in the top-level help without loading them, and runs the one named', async () => {
    const help = capture();
    expect(await runCli(['node', 'tenantctl', '--help'], { streams: help.streams, env: {} })).toBe(0);
    const text = help.out.join('');
    for (const group of COMMANDS) expect(text).toContain(group.name);

    const derive = capture();
    expect(
      await runCli(['node', 'tenantctl', 'derive', 'https://Company-X.tracardi.com'], {
        streams: derive.streams,
        env: {},
      }),
    ).toBe(0);
    expect(derive.out.join('')).toBe('companyx\n');

    const subHelp = capture();
    expect(await runCli(['node', 'tenantctl', 'instances', '--help'], { streams: subHelp.streams, env: {} })).toBe(0);
    expect(subHelp.out.join('')).toMatch(/add \[options\][\s\S]*remove \[options\] <id>/);
  });
});
