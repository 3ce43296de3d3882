// The version check where it is used: the probe asks once and never throws for a missing answer;
// create refuses a mismatch with the remedy the shells word; the preview says the same before submit.
// The details source is a stand-in here; tests/integration/version-profile.test.ts asks the simulator.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import {
  previewVersion,
  refuseVersionMismatch,
  VersionProbe,
  type VersionDetailsSource,
} from '../../../main/services/identity';
import type { TracardiTarget } from '../../../main/services/tracardi-client';

type Asked = Pick<Instance, 'id' | 'apiUrl' | 'tenancy' | 'tracardiVersion'>;
const inst = (patch: Partial<Asked> = {}): Asked => ({
  id: 'eu1',
  apiUrl: 'http://127.0.0.1:8686',
  tenancy: 'multi-tenant',
  tracardiVersion: '0.8.x',
  ...patch,
});

function source(answer: { version: string | null; dbVersion: string | null } | Error) {
  const targets: TracardiTarget[] = [];
  const s: VersionDetailsSource = {
    getVersionDetails: async (target) => {
      targets.push(target);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { s, targets };
}

describe('VersionProbe', () => {
  it("sends a tenant's Host to a multi-tenant instance only; one request a check", async () => {
    const { s, targets } = source({ version: '0.9.0-rc5', dbVersion: '09x' });
    const probe = new VersionProbe(s);
    expect((await probe.check(inst(), { tenantHost: 'shop.eu1.example.com' })).outcome).toBe('mismatch');
    expect((await probe.check(inst({ tenancy: 'single-tenant' }), { tenantHost: 'shop.x.com' })).outcome).toBe(
      'mismatch',
    );
    expect(targets).toEqual([
      { apiUrl: 'http://127.0.0.1:8686', tenantHost: 'shop.eu1.example.com' },
      { apiUrl: 'http://127.0.0.1:8686' },
    ]);
  });

  it('no answer is could-not-tell with the reason, never a throw', async () => {
    const { s } = source(new ConsoleError('tracardi-unreachable', 'Tracardi at x did not answer: refused.'));
    expect(await new VersionProbe(s).check(inst())).toMatchObject({
      outcome: 'could-not-tell',
      reported: null,
      message: 'Could not ask it which Tracardi it runs: Tracardi at x did not answer: refused.',
      error: { code: 'tracardi-unreachable' },
    });
  });
});

describe('create and preview', () => {
  it('a mismatch refuses the create, naming both versions and the fix', async () => {
    const probe = new VersionProbe(source({ version: '0.9.0-rc5', dbVersion: '09x' }).s);
    const err = (await refuseVersionMismatch(probe, inst(), 'shop.eu1.example.com').catch((e: unknown) => e)) as
      ConsoleError | undefined;
    expect(err).toBeInstanceOf(ConsoleError);
    expect(err!.code).toBe('version-mismatch');
    expect(err!.remedy).toBe('set-version-profile');
    expect(err!.instanceId).toBe('eu1');
    expect(err!.message).toBe(
      'Instance eu1 reports Tracardi 0.9.0-rc5 (db_version 09x), the 0.9.x profile, but is registered as 0.8.x: no tenant is created on it until its version profile is 0.9.x.',
    );
    expect(await previewVersion(probe, inst(), 'shop.eu1.example.com')).toEqual({
      outcome: 'mismatch',
      message: err!.message,
    });
  });

  it('a match, an instance that does not answer, or no probe: the create goes on', async () => {
    await expect(
      refuseVersionMismatch(new VersionProbe(source({ version: '0.8.2', dbVersion: '0820' }).s), inst()),
    ).resolves.toBeUndefined();
    await expect(
      refuseVersionMismatch(new VersionProbe(source(new Error('refused')).s), inst()),
    ).resolves.toBeUndefined();
    await expect(refuseVersionMismatch(undefined, inst())).resolves.toBeUndefined();
    expect(await previewVersion(undefined, inst(), 'shop.eu1.example.com')).toBeNull();
  });
});
