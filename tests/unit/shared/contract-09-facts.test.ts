// tracardi-contract.md's facts for 0.9, held by the console's version profile AND by the simulator's
// (written apart on purpose, tests/simulator/profiles.ts): prefix 09x, six partitioned types (event,
// profile, session, entity by quarter; log, field-update-log by month), no plain or static indices,
// month suffixes without zero padding, configuration in MySQL. 0.8.2 keeps its configuration in
// Elasticsearch. Each fact is checked on both sides, so neither can drift alone.
import { describe, expect, it } from 'vitest';
import {
  VERSION_PROFILES,
  aliasName,
  indexName,
  partitionSuffix,
  templateName,
} from '../../../shared/instances/version-profiles';
import { TenantNames, partitionSuffix as simSuffix, profileFor } from '../../simulator';

const MARCH = new Date(Date.UTC(2026, 2, 15));
const PERIODS_09 = {
  event: 'quarter',
  profile: 'quarter',
  session: 'quarter',
  entity: 'quarter',
  log: 'month',
  'field-update-log': 'month',
};

describe('tracardi-contract.md facts for 0.9: the console profile and the simulator agree', () => {
  const console09 = VERSION_PROFILES['0.9.x'];
  const sim09 = profileFor('0.9.x');

  it('prefix 09x, six partitioned types with their periods, no plain or static indices, MySQL', () => {
    expect([console09.dbVersion, sim09.dbVersion]).toEqual(['09x', '09x']);
    expect(console09.partitionPeriods).toEqual(PERIODS_09);
    expect(sim09.periods).toEqual(PERIODS_09);
    expect([...console09.partitionedTypes].sort()).toEqual(Object.keys(PERIODS_09).sort());
    expect([...sim09.partitioned].sort()).toEqual(Object.keys(PERIODS_09).sort());
    expect([console09.plainTypes, console09.staticTypes, sim09.plain, sim09.static]).toEqual([[], [], [], []]);
    expect([console09.configurationStore, sim09.configurationStore]).toEqual(['mysql', 'mysql']);
    expect([VERSION_PROFILES['0.8.x'].configurationStore, profileFor('0.8.x').configurationStore]).toEqual([
      'elasticsearch',
      'elasticsearch',
    ]);
  });

  it('month suffixes without zero padding; names carry 09x, aliases too', () => {
    expect(partitionSuffix('log', '0.9.x', MARCH)).toBe('-2026-3');
    expect(simSuffix(MARCH, 'month')).toBe('-2026-3');
    expect(partitionSuffix('event', '0.9.x', MARCH)).toBe('-2026-q1');
    expect(simSuffix(MARCH, 'quarter')).toBe('-2026-q1');
    const sim = new TenantNames(sim09.dbVersion, 'acme', sim09.aliasHasVersion);
    for (const context of ['staging', 'production'] as const) {
      expect(indexName('acme', '0.9.x', context, 'log', '-2026-3')).toBe(`${sim.index(context, 'log')}-2026-3`);
      expect(aliasName('acme', '0.9.x', context, 'log')).toBe(sim.alias(context, 'log'));
      expect(templateName('acme', '0.9.x', context, 'log')).toBe(sim.template(context, 'log'));
    }
    expect(indexName('acme', '0.9.x', 'production', 'log', '-2026-3')).toBe('prod-09x.acme.tracardi-log-2026-3');
    expect(aliasName('acme', '0.9.x', 'production', 'log')).toBe('prod-09x.acme.tracardi-log');
  });
});
