import { describe, expect, it } from 'vitest';
import { ConsoleError, ERROR_CODES, isRefusal, toConsoleError } from '../../../shared/errors/errors';

describe('isRefusal', () => {
  it('calls input and state problems refusals, service failures failures', () => {
    const refusals = ERROR_CODES.filter(isRefusal);
    expect(refusals).toEqual([
      'validation',
      'not-found',
      'conflict',
      'settings-read-only',
      'version-mismatch',
      'capacity-exceeded',
      'tenant-collision',
      'invalid-state',
      'registry-read-only',
    ]);
    for (const code of [
      'keychain-locked',
      'es-timeout',
      'tms-unreachable',
      'settings-write-failed',
      'internal',
    ] as const)
      expect(isRefusal(code)).toBe(false);
  });

  it('classifies what toConsoleError makes of an unknown throw as a failure', () => {
    expect(isRefusal(toConsoleError(new Error('boom')).code)).toBe(false);
    expect(isRefusal(new ConsoleError('capacity-exceeded', 'full').code)).toBe(true);
  });
});
