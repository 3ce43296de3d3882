// One remedy, two shells' words: the core's error carries a remedy code, tenantctl names its flag or
// command, the window names its control, and neither leaks into the other.
import { describe, expect, it } from 'vitest';
import { ConsoleError, REMEDIES } from '../../../shared/errors/errors';
import { reportFailure } from '../../../main/cli/output';
import { CLI_REMEDIES } from '../../../main/cli/remedies';
import { dispatch } from '../../../main/transport/dispatch';
import { UI_REMEDIES, offersRepair } from '../../../renderer/lib/remedies';
import { ApiError, errorMessage, unwrap } from '../../../renderer/lib/transport';

const installed = new ConsoleError(
  'invalid-state',
  "Tenant acme on eu-prod is installed: deleting it removes the console's knowledge of a live tenant.",
  { instanceId: 'eu-prod', tenant: 'acme', remedy: 'force-delete-tenant' },
);

function cli(err: unknown, json = false) {
  const out = { stdout: '', stderr: '' };
  const code = reportFailure(err, {
    json,
    env: {},
    streams: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  });
  return { code, ...out };
}

describe('remedies', () => {
  it('tenantctl names the flag: --force for an installed tenant, the command for a repair', () => {
    expect(cli(installed).stderr).toBe(
      "tenantctl: Tenant acme on eu-prod is installed: deleting it removes the console's knowledge of a live tenant. Give --force to delete it anyway.\n",
    );
    const json = JSON.parse(cli(installed, true).stdout) as { error: Record<string, string> };
    expect(json.error).toMatchObject({ code: 'invalid-state', remedy: 'force-delete-tenant' });
    expect(json.error.hint).toContain('Give --force');
    const pending = new ConsoleError('conflict', 'An interrupted delete of acme on eu-prod is pending.', {
      remedy: 'reconcile-repair',
    });
    expect(cli(pending).stderr).toContain('Run "tenantctl tenants reconcile --repair" to finish it.');
    expect(cli(new ConsoleError('validation', 'plain')).stderr).toBe('tenantctl: plain\n');
    // A command to copy as is: the instance and tenant the error names are filled in.
    const unnamed = new ConsoleError('validation', 'Instance st1 is single-tenant and serves only ffe49.', {
      instanceId: 'st1',
      tenant: 'shop',
      remedy: 'set-single-tenant-name',
    });
    expect(cli(unnamed).stderr).toContain('"tenantctl instances update st1 --tenant-name shop"');
  });

  it('the window names the control, after the remedy crossed the wire as a code', async () => {
    const response = await dispatch(
      {
        'tenants.delete': async () => {
          throw installed;
        },
      } as never,
      'tenants.delete',
      { instanceId: 'eu-prod', tenant: 'acme' },
    );
    expect(response).toMatchObject({ ok: false, error: { remedy: 'force-delete-tenant' } });
    let shown = '';
    try {
      unwrap(response, 'tenants.delete');
    } catch (err) {
      shown = errorMessage(err);
    }
    expect(shown).toBe(
      "Tenant acme on eu-prod is installed: deleting it removes the console's knowledge of a live tenant. Tick Force in the Delete dialog to delete it anyway.",
    );
    expect(shown).not.toContain('--force');
    // A remedy this build does not know is dropped, never shown as a raw code or "undefined".
    const unknown = ApiError.from({ code: 'conflict', message: 'Busy.', remedy: 'fly-to-the-moon' as never });
    expect(errorMessage(unknown)).toBe('Busy.');
  });

  it('every remedy has words in both shells: flags and commands in the CLI only', () => {
    for (const remedy of REMEDIES) {
      expect(CLI_REMEDIES[remedy]).toMatch(/--|tenantctl/);
      expect(UI_REMEDIES[remedy]).not.toMatch(/--|tenantctl/);
    }
    expect(REMEDIES.filter(offersRepair)).toEqual(['reconcile', 'reconcile-repair']);
  });
});
