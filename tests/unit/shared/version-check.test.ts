// An instance's reported Tracardi version against its profile: which profile an answer fits (the
// db_version decides) and the one line every shell shows. The answers are the real ones: 0.9.0-dev
// reports 0.9.0-rc5 / 09x, 0.8.2 reports 0.8.2 / 0820 (GET /info/version/details).
import { describe, expect, it } from 'vitest';
import { compareVersion, profileOfReport, versionCheckSchema } from '../../../shared/instances/version-check';

const REAL_09 = { version: '0.9.0-rc5', dbVersion: '09x' };
const REAL_082 = { version: '0.8.2', dbVersion: '0820' };

describe('profileOfReport', () => {
  it('the db_version decides, the release family only without one', () => {
    expect(profileOfReport(REAL_09)).toBe('0.9.x');
    expect(profileOfReport(REAL_082)).toBe('0.8.x');
    // The 1.0.x fork keeps 09x: its names are 0.9's.
    expect(profileOfReport({ version: '1.0.2', dbVersion: '09x' })).toBe('0.9.x');
    expect(profileOfReport({ version: '0.9.0-rc5', dbVersion: null })).toBe('0.9.x');
    expect(profileOfReport({ version: '0.8.2', dbVersion: null })).toBe('0.8.x');
    expect(profileOfReport({ version: '1.1.0', dbVersion: '110' })).toBeNull();
    expect(profileOfReport({ version: '1.1.0', dbVersion: null })).toBeNull();
    expect(profileOfReport({ version: 'latest', dbVersion: null })).toBeNull();
  });
});

describe('compareVersion', () => {
  it('a 0.9 instance registered as 0.8.x, and a 0.8.2 registered as 0.9.x: a mismatch naming both', () => {
    const a = compareVersion('eu1', '0.8.x', REAL_09);
    expect(a).toEqual({
      instanceId: 'eu1',
      registered: '0.8.x',
      outcome: 'mismatch',
      reported: { ...REAL_09, profile: '0.9.x' },
      message:
        "It reports Tracardi 0.9.0-rc5 (db_version 09x), the 0.9.x profile, but is registered as 0.8.x: its capacity, index names and verification are read as 0.8.x's.",
    });
    expect(versionCheckSchema.parse(a)).toEqual(a);
    const b = compareVersion('eu2', '0.9.x', REAL_082);
    expect(b).toMatchObject({ outcome: 'mismatch', reported: { profile: '0.8.x' } });
    expect(b.message).toContain('Tracardi 0.8.2 (db_version 0820), the 0.8.x profile, but is registered as 0.9.x');
  });

  it('a match, a version no profile fits, an answer without a version', () => {
    expect(compareVersion('eu1', '0.9.x', REAL_09)).toMatchObject({
      outcome: 'match',
      message: 'It reports Tracardi 0.9.0-rc5 (db_version 09x), as its 0.9.x profile says.',
    });
    expect(compareVersion('eu1', '0.9.x', { version: '1.1.0', dbVersion: '110' })).toMatchObject({
      outcome: 'unknown-version',
      reported: { profile: null },
      message: expect.stringContaining('which no version profile fits (0.8.x, 0.9.x); it is registered as 0.9.x'),
    });
    expect(compareVersion('eu1', '0.9.x', { version: null, dbVersion: null })).toMatchObject({
      outcome: 'could-not-tell',
      reported: null,
    });
  });
});
