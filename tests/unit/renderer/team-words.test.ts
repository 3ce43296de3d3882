import { describe, expect, it } from 'vitest';
import type { RegistryStatus } from '../../../shared/contract/contract';
import { bannerText, healthText, holderText, pendingText } from '../../../renderer/features/team/registry-words';

const time = (iso: string) => `<${iso}>`;
const base = { instanceId: 'eu1', scope: 'eu1.example.com', syncedAt: '2026-12-07T10:00:00.000Z' };

describe('the team registry in words', () => {
  it('an unreachable registry: which instance, since when, why, last in sync, changes refused', () => {
    const s: RegistryStatus = {
      ...base,
      health: { state: 'unreachable', since: '2026-12-07T10:05:00.000Z', error: 'connect ECONNREFUSED 127.0.0.1:9200' },
    };
    expect(bannerText(s, 'EU 1', time)).toBe(
      'EU 1 (eu1.example.com): the team registry is unreachable since <2026-12-07T10:05:00.000Z> (connect ECONNREFUSED 127.0.0.1:9200). Its tenants are shown as last in sync at <2026-12-07T10:00:00.000Z>, read-only. Changes to its tenants are refused until it takes them again; nothing is queued.',
    );
    expect(healthText(s, time)).toBe(
      'Unreachable since <2026-12-07T10:05:00.000Z>: connect ECONNREFUSED 127.0.0.1:9200',
    );
  });

  it('a read-only registry names the missing privileges (from the reason, or added when the reason does not)', () => {
    const reason =
      'the Elasticsearch user may read the team registry but not write it (missing index, create_index on .tracardi-console-tenants and .tracardi-console-audit)';
    const named: RegistryStatus = {
      ...base,
      health: { state: 'read-only', since: '2026-12-07T10:05:00.000Z', reason, missing: ['index', 'create_index'] },
    };
    expect(bannerText(named, 'EU 1', time)).toContain(
      `the team registry is read-only since <2026-12-07T10:05:00.000Z>: ${reason}.`,
    );
    const unnamed: RegistryStatus = {
      ...base,
      health: {
        state: 'read-only',
        since: '2026-12-07T10:05:00.000Z',
        reason: 'it may not be written',
        missing: ['write'],
      },
    };
    expect(healthText(unnamed, time)).toBe(
      'Read-only since <2026-12-07T10:05:00.000Z>: it may not be written (missing write)',
    );
  });

  it('a registry never synced says its tenants are shown as far as this console knows them', () => {
    const s: RegistryStatus = {
      ...base,
      syncedAt: null,
      health: { state: 'unreachable', since: '2026-12-07T10:05:00.000Z', error: 'timeout' },
    };
    expect(bannerText(s, 'EU 1', time)).toContain(
      'No sync with it has completed yet: its tenants are shown as far as this console knows them, read-only.',
    );
  });

  it('who holds the token, and a change under way or interrupted', () => {
    const holder = { name: 'Bob', workstation: 'ws-2', keychain: 'bob@ws-2/k', since: '2026-12-07T09:00:00.000Z' };
    expect(holderText(holder, false, time)).toBe('Bob on ws-2, since <2026-12-07T09:00:00.000Z>');
    expect(holderText(holder, true, time)).toBe(
      'You hold the token (in this console’s keychain) since <2026-12-07T09:00:00.000Z>',
    );
    expect(holderText(undefined, true, time)).toBe('You hold the token (in this console’s keychain)');
    const pending = {
      op: 'rotate' as const,
      step: 'tms',
      startedAt: '2026-12-07T09:00:00.000Z',
      by: { name: 'Bob', workstation: 'ws-2' },
      pid: 1,
      host: 'ws-2',
      keychain: 'bob@ws-2/k',
    };
    expect(pendingText(pending, time)).toBe(
      'A rotate by Bob on ws-2 since <2026-12-07T09:00:00.000Z> (last step: tms), under way',
    );
    expect(pendingText({ ...pending, endedAt: '2026-12-07T09:01:00.000Z' }, time)).toMatch(
      /interrupted at <2026-12-07T09:01:00.000Z>: Run repair finishes or undoes it$/,
    );
  });
});
