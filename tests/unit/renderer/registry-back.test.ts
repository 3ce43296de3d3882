/**
 * The window fetches the tenant list again when a registry that was unreachable answers: main's list
 * went on from that registry's cache meanwhile (renderer/lib/registry-back.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RegistryStatus } from '../../../shared/contract/contract';
import { registriesBack } from '../../../renderer/lib/registry-back';

const at = '2026-12-07T10:00:00.000Z';
const ok = (instanceId: string): RegistryStatus => ({
  instanceId,
  scope: `${instanceId}.example.com`,
  health: { state: 'ok', since: at },
  syncedAt: at,
});
const away = (instanceId: string): RegistryStatus => ({
  instanceId,
  scope: `${instanceId}.example.com`,
  health: { state: 'unreachable', since: at, error: 'connect ECONNREFUSED' },
  syncedAt: at,
});

describe('registriesBack', () => {
  it('names the unreachable ones; nothing is back on the first answer or while they stay away', () => {
    const first = registriesBack(new Set(), [ok('a'), away('b')]);
    expect([...first.unreachable]).toEqual(['b']);
    expect(first.back).toBe(false);
    expect(registriesBack(first.unreachable, [ok('a'), away('b')]).back).toBe(false);
  });

  it('one that was unreachable and answers again (ok, or read-only: readable) is back', () => {
    expect(registriesBack(new Set(['b']), [ok('a'), ok('b')])).toEqual({ unreachable: new Set(), back: true });
    const readOnly: RegistryStatus = {
      ...ok('b'),
      health: { state: 'read-only', since: at, reason: 'no write privilege', missing: ['write'] },
    };
    expect(registriesBack(new Set(['b']), [readOnly]).back).toBe(true);
  });

  it('another one going away while the first stays away is not a return', () => {
    expect(registriesBack(new Set(['b']), [away('a'), away('b')])).toEqual({
      unreachable: new Set(['a', 'b']),
      back: false,
    });
  });
});
