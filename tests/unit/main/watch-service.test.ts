// The watch service over a real settings file and real feed files on a temp data folder; the round's
// verify and capacity answers are given (tests/integration/cli-watch.test.ts runs the real ones).
// The feed survives a restart, stays bounded, is written whole; the schedule is stored in config.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettingsStore, type SettingsStore } from '../../../main/services/settings-store';
import { WatchFiles, WatchService, type RoundDeps } from '../../../main/services/watch';
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import type { VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';
import { noticesFor, type WatchNotice } from '../../../shared/watch/watch-text';
import { FakeTimers } from './support/fake-timers';

let dir: string;
let settings: SettingsStore;
let fake: FakeTimers;
let statuses: Record<string, VerifyStatus>;

function roundDeps(): RoundDeps {
  return {
    instances: { list: async () => [{ instance: { id: 'eu1', name: 'EU 1' } }] },
    verify: {
      verify: async () => ({
        results: Object.entries(statuses).map(
          ([tenant, status]) =>
            ({ instanceId: 'eu1', tenant, status, summary: `${tenant}: ${status}` }) as VerificationResult,
        ),
        stats: { instanceErrors: [] },
      }),
    },
    // No instance answers capacity here: the limits stay unmeasured (and so unchanged).
    capacity: {
      snapshotAll: async (ids) =>
        (ids ?? []).map((id): CapacityOutcome => ({
          ok: false,
          instanceId: id,
          error: { code: 'es-unreachable', message: 'not in this test' } as never,
        })),
    },
  };
}

function service(notices: WatchNotice[] = [], limit?: number) {
  return new WatchService({
    files: new WatchFiles(dir, limit !== undefined ? { limit } : {}),
    round: roundDeps(),
    settings,
    clock: fake.clock,
    timers: fake.timers,
    notifier: { show: (n) => notices.push(...n) },
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-watch-'));
  settings = openSettingsStore(dir);
  fake = new FakeTimers();
  statuses = { shop: 'installed', blog: 'installed' };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('watch service', () => {
  it('a first healthy round sets the baseline quietly; a change is one entry and one notice', async () => {
    const notices: WatchNotice[] = [];
    const watch = service(notices);
    const first = await watch.runRound();
    expect(first.first).toBe(true);
    expect(first.entries).toEqual([]);
    expect(notices).toEqual([]);
    statuses.shop = 'drift';
    fake.nowMs += 60_000;
    const second = await watch.runRound();
    expect(second.first).toBe(false);
    expect(second.entries.map((e) => [e.id, e.subject, e.from, e.to])).toEqual([
      [1, 'shop on EU 1', 'installed', 'drift'],
    ]);
    expect(second.problems).toBe(1);
    expect(notices).toEqual([
      { title: 'Tracardi: problem', body: 'shop on EU 1: installed -> drift - shop: drift', id: 1, tone: 'problem' },
    ]);
    expect(watch.status()).toMatchObject({ problems: 1, cursor: 1, intervalMinutes: 15, paused: false });
  });

  it('the feed and the baseline survive a restart (a new service on the same folder)', async () => {
    await service().runRound();
    statuses.blog = 'misrouted';
    await service().runRound();
    const restarted = service();
    expect(restarted.changes(0).entries.map((e) => e.to)).toEqual(['misrouted']);
    expect(restarted.status().problems).toBe(1);
    statuses.blog = 'installed';
    const back = await restarted.runRound();
    expect(back.entries.map((e) => [e.id, e.from, e.to, e.severity])).toEqual([
      [2, 'misrouted', 'installed', 'recovered'],
    ]);
    expect(restarted.changes(1).entries.map((e) => e.id)).toEqual([2]);
  });

  it('keeps only the newest entries, ids never reused, no temp file left behind', async () => {
    const watch = service([], 3);
    await watch.runRound();
    for (let i = 0; i < 6; i++) {
      statuses.shop = i % 2 === 0 ? 'drift' : 'installed';
      statuses.blog = i % 2 === 0 ? 'partial' : 'installed';
      await watch.runRound();
    }
    const { entries, cursor } = watch.changes(0);
    expect(cursor).toBe(12);
    expect(entries.map((e) => e.id)).toEqual([10, 11, 12]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'watch-feed.json'), 'utf8')) as { entries: unknown[] };
    expect(stored.entries).toHaveLength(3);
  });

  it('a corrupt feed is set aside and the watch starts afresh', async () => {
    fs.writeFileSync(path.join(dir, 'watch-feed.json'), '{"version":1,"lastId":');
    fs.writeFileSync(path.join(dir, 'watch-baseline.json'), 'not json');
    statuses.shop = 'drift';
    const out = await service().runRound();
    expect(out.first).toBe(true);
    expect(out.entries.map((e) => [e.from, e.to, e.note])).toEqual([[null, 'drift', 'baseline']]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
  });

  it('interval and pause are stored in config.json and read by another store on the folder', async () => {
    const watch = service();
    watch.start();
    expect(watch.status().nextRunAt).not.toBeNull();
    expect(await watch.configure({ intervalMinutes: 5, paused: true })).toMatchObject({
      intervalMinutes: 5,
      paused: true,
      nextRunAt: null,
    });
    expect(openSettingsStore(dir).read().watch).toEqual({ intervalMinutes: 5, paused: true, notifications: 'all' });
    expect((await watch.configure({ paused: false })).nextRunAt).not.toBeNull();
    watch.stop();
  });

  it('run now runs a round and reports its failure as an error', async () => {
    const watch = new WatchService({
      files: new WatchFiles(dir),
      round: { ...roundDeps(), verify: { verify: async () => Promise.reject(new Error('keychain locked')) } },
      settings,
      clock: fake.clock,
      timers: fake.timers,
    });
    await expect(watch.runNow()).rejects.toThrow('The watch round failed: keychain locked');
    expect(watch.status().lastError).toBe('keychain locked');
  });
});

describe('watch audit entries', () => {
  type Entry = { action: string; outcome: string; detail?: string };
  function audited(overrides: Partial<RoundDeps> = {}) {
    const entries: Entry[] = [];
    const verifyOptions: unknown[] = [];
    const round = roundDeps();
    const watch = new WatchService({
      files: new WatchFiles(dir),
      round: {
        ...round,
        verify: {
          verify: async (scope, options) => {
            verifyOptions.push(options);
            return round.verify.verify(scope, options);
          },
        },
        ...overrides,
      },
      settings,
      clock: fake.clock,
      timers: fake.timers,
      audit: { record: async (e) => entries.push(e) },
    });
    return { watch, entries, verifyOptions };
  }

  it('scheduled rounds write an entry only when they found changes; the verification inside writes none', async () => {
    const { watch, entries, verifyOptions } = audited();
    watch.start();
    await fake.advance(60_000); // the first scheduled round: healthy, a quiet baseline
    await fake.advance(15 * 60_000); // nothing changed
    expect(watch.status().lastRunAt).not.toBeNull();
    expect(verifyOptions).toHaveLength(2);
    expect(verifyOptions).toEqual([
      expect.objectContaining({ audit: false }),
      expect.objectContaining({ audit: false }),
    ]);
    expect(entries).toEqual([]);
    statuses.shop = 'drift';
    await fake.advance(15 * 60_000);
    expect(entries).toEqual([
      { action: 'watch', outcome: 'ok', detail: 'scheduled round: 1 change (1 problem); 1 problem now' },
    ]);
    watch.stop();
  });

  it('a failed scheduled round writes a failed entry with the reason', async () => {
    const { watch, entries } = audited({
      verify: { verify: async () => Promise.reject(new Error('keychain locked')) },
    });
    watch.start();
    await fake.advance(60_000);
    expect(watch.status().lastError).toBe('keychain locked');
    expect(entries).toEqual([
      { action: 'watch', outcome: 'failed', detail: 'scheduled round failed: keychain locked' },
    ]);
    watch.stop();
  });

  it('run now (the operator) is always audited, changes or not; so is each schedule change, and only a change', async () => {
    const { watch, entries } = audited();
    await watch.runNow();
    await watch.configure({ intervalMinutes: 5 });
    await watch.configure({ intervalMinutes: 5 }); // no change: no entry
    await watch.configure({ paused: true });
    await watch.configure({ paused: false, intervalMinutes: 30 });
    expect(entries).toEqual([
      {
        action: 'watch',
        outcome: 'ok',
        detail: 'round run by the operator: no change (first round: the baseline); 0 problems now',
      },
      { action: 'watch-configure', outcome: 'ok', detail: 'interval 15 -> 5 min' },
      { action: 'watch-configure', outcome: 'ok', detail: 'paused' },
      { action: 'watch-configure', outcome: 'ok', detail: 'interval 5 -> 30 min; resumed' },
    ]);
  });
});

describe('watch notices', () => {
  it('quiet entries none, up to three one each, more one summary', () => {
    const entry = (id: number, notify = true) => ({
      id,
      at: '2026-01-01T00:00:00Z',
      kind: 'tenant' as const,
      instanceId: 'eu1',
      tenant: `t${id}`,
      subject: `t${id} on EU 1`,
      from: 'installed',
      to: 'drift',
      severity: 'problem' as const,
      detail: '',
      notify,
    });
    expect(noticesFor([entry(1, false)])).toEqual([]);
    expect(noticesFor([entry(1), entry(2), entry(3)]).map((n) => n.body)).toEqual([
      't1 on EU 1: installed -> drift',
      't2 on EU 1: installed -> drift',
      't3 on EU 1: installed -> drift',
    ]);
    expect(noticesFor([1, 2, 3, 4, 5].map((i) => entry(i)))).toEqual([
      {
        title: 'Tracardi: 5 changes',
        body: '5 problems. t1 on EU 1: installed -> drift and 4 more: see Changes.',
        id: 5,
        tone: 'problem',
      },
    ]);
  });

  it('good news reads as good: a recovery, and a tenant registered or handed over that got installed', () => {
    const entry = (id: number, from: string, to: string, severity: 'problem' | 'recovered' | 'info') => ({
      id,
      at: '2026-01-01T00:00:00Z',
      kind: 'tenant' as const,
      instanceId: 'eu1',
      tenant: `t${id}`,
      subject: `t${id} on EU 1`,
      from,
      to,
      severity,
      detail: '',
      notify: true,
    });
    const notices = noticesFor([
      entry(1, 'registered', 'installed', 'info'),
      entry(2, 'drift', 'installed', 'recovered'),
      entry(3, 'registered', 'handed-over', 'info'),
    ]);
    expect(notices.map((n) => [n.title, n.tone])).toEqual([
      ['Tracardi: good news', 'good'],
      ['Tracardi: recovered', 'good'],
      ['Tracardi: change', 'info'],
    ]);
    const limit = { ...entry(4, 'crossed', 'ok', 'recovered'), kind: 'shards' as const, tenant: undefined };
    expect(noticesFor([limit])[0]!.tone).toBe('good');
    // A summary: a problem among them makes it a problem; all good news stays good.
    const good = [1, 2, 3, 4].map((i) => entry(i, 'registered', 'installed', 'info'));
    expect(noticesFor(good)[0]!.tone).toBe('good');
    expect(noticesFor([...good, entry(5, 'installed', 'drift', 'problem')])[0]!.tone).toBe('problem');
  });
});
