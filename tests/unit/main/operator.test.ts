// The operator at the console: the default (OS user at host name) until set, the stamp every record
// change and audit entry carries, clear refusals that leave the settings as they were, and the
// tenantctl operator commands over the same settings file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { OperatorService } from '../../../main/services/operator';
import { openSettingsStore } from '../../../main/services/settings-store';
import { describeOperator } from '../../../shared/team/operator';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'operator-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function service(host = 'ws-12', user = 'ann'): OperatorService {
  return new OperatorService(openSettingsStore(dir), { hostname: () => host, username: () => user });
}

describe('OperatorService', () => {
  it('is the OS user at the host name until a name is set, and says so', () => {
    const view = service().view();
    expect(view).toEqual({
      name: 'ann@ws-12',
      email: null,
      workstation: 'ws-12',
      isDefault: true,
      defaultName: 'ann@ws-12',
    });
    expect(service().stamp()).toEqual({ name: 'ann@ws-12', workstation: 'ws-12' });
  });

  it('keeps the name and e-mail set once, in the settings file, for every later stamp', () => {
    service().set({ name: '  Ann Smith ', email: 'ann@example.com' });
    const fresh = service(); // another process on the same data folder
    expect(fresh.view()).toMatchObject({ name: 'Ann Smith', email: 'ann@example.com', isDefault: false });
    expect(fresh.stamp()).toEqual({ name: 'Ann Smith', email: 'ann@example.com', workstation: 'ws-12' });
    expect(describeOperator(fresh.stamp())).toBe('Ann Smith (ann@example.com) on ws-12');
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).operator).toEqual({
      name: 'Ann Smith',
      email: 'ann@example.com',
    });
  });

  it('goes back to the default on reset', () => {
    service().set({ name: 'Ann', email: 'ann@example.com' });
    expect(service().set({ name: null, email: null })).toMatchObject({
      name: 'ann@ws-12',
      email: null,
      isDefault: true,
    });
  });

  it.each([
    [{ name: 'x'.repeat(81), email: null }, 'at most 80 characters'],
    [{ name: 'Ann\u202eevil', email: null }, 'operator name'],
    [{ name: '   ', email: null }, 'a name is required'],
    [{ name: 'Ann', email: 'not-an-address' }, 'valid e-mail'],
    [{ name: 'Ann', email: `${'a'.repeat(250)}@example.com` }, 'at most 254'],
  ])('refuses %j with a clear message and changes nothing', (input, message) => {
    service().set({ name: 'Kept', email: 'kept@example.com' });
    expect(() => service().set(input)).toThrow(message);
    expect(service().view()).toMatchObject({ name: 'Kept', email: 'kept@example.com' });
  });

  it('never stamps a control character or an unbounded name from the host', () => {
    const stamp = service(`evil\u001b[31m${'h'.repeat(400)}`, 'root\n').stamp();
    expect(stamp.workstation).not.toMatch(/[\u0000-\u001f]/);
    expect(stamp.workstation.length).toBeLessThanOrEqual(253);
    expect(stamp.name.length).toBeLessThanOrEqual(80);
    expect(stamp.name).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('tenantctl operator', () => {
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const write = (t: string) => void out.push(t);
    const code = await runCli(['node', 'tenantctl', '--data-dir', dir, ...args], {
      streams: { stdout: { write }, stderr: { write } },
      env: {},
    });
    return { code, out: out.join('') };
  }

  it('sets, shows and resets the operator', async () => {
    expect((await cli('operator', 'set', '--name', 'Ann Smith', '--email', 'ann@example.com')).code).toBe(0);
    const shown = await cli('operator', 'show', '--json');
    expect(JSON.parse(shown.out)).toMatchObject({ name: 'Ann Smith', email: 'ann@example.com', isDefault: false });
    // Setting only the e-mail keeps the name.
    await cli('operator', 'set', '--email', '');
    expect(JSON.parse((await cli('operator', 'show', '--json')).out)).toMatchObject({ name: 'Ann Smith', email: null });
    await cli('operator', 'reset');
    expect(JSON.parse((await cli('operator', 'show', '--json')).out)).toMatchObject({ isDefault: true });
  });

  it('refuses a bad e-mail with exit 2 and keeps the settings', async () => {
    await cli('operator', 'set', '--name', 'Ann');
    const bad = await cli('operator', 'set', '--email', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('valid e-mail');
    expect(JSON.parse((await cli('operator', 'show', '--json')).out)).toMatchObject({ name: 'Ann' });
  });
});
