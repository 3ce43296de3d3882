// What the operator chooses about the watch, on a real settings file and real feed files: which
// changes become desktop notifications (the notifier Electron's main is given sees only those), and
// which feed entries are acknowledged (kept in watch-acks.json next to the feed, bounded, shared by
// every service on the folder).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettingsStore, type SettingsStore } from '../../../main/services/settings-store';
import { ACKS_FILE, WatchFiles, WatchService, type RoundDeps } from '../../../main/services/watch';
import type { VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';
import type { WatchNotice } from '../../../shared/watch/watch-text';
import { entriesToNotify } from '../../../shared/watch/notification-choice';
import { FakeTimers } from './support/fake-timers';

let dir: string;
let settings: SettingsStore;
let fake: FakeTimers;
let statuses: Record<string, VerifyStatus>;

const roundDeps = (): RoundDeps => ({
  instances: { list: async () => [{ instance: { id: 'eu1', name: 'EU 1' } }] },
  verify: {
    verify: async () => ({
      results: Object.entries(statuses).map(
        ([tenant, status]) => ({ instanceId: 'eu1', tenant, status, summary: status }) as VerificationResult,
      ),
      stats: { instanceErrors: [] },
    }),
  },
  capacity: { snapshotAll: async () => [] },
});

function service(notices: WatchNotice[] = []) {
  const audit: { action: string; detail?: string }[] = [];
  const watch = new WatchService({
    files: new WatchFiles(dir),
    round: roundDeps(),
    settings,
    clock: fake.clock,
    timers: fake.timers,
    notifier: { show: (n) => notices.push(...n) },
    audit: { record: async (e) => void audit.push(e) },
  });
  return { watch, audit };
}

/** Two rounds: shop drifts (a problem), blog gets installed (a change that is not one). */
async function driftAndInstall(watch: WatchService): Promise<void> {
  statuses = { shop: 'installed', blog: 'registered' };
  await watch.runRound();
  statuses = { shop: 'drift', blog: 'installed' };
  fake.nowMs += 60_000;
  await watch.runRound();
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-watch-choice-'));
  settings = openSettingsStore(dir);
  fake = new FakeTimers();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('desktop notification choice', () => {
  it('every change by default; stored in config.json next to the schedule', async () => {
    const notices: WatchNotice[] = [];
    const { watch } = service(notices);
    expect(watch.status().notifications).toBe('all');
    await driftAndInstall(watch);
    expect(notices.map((n) => n.body.split(':')[0])).toEqual(['shop on EU 1', 'blog on EU 1']);
  });

  it('problems only: the notifier gets the drift, not the install; the feed keeps both', async () => {
    const notices: WatchNotice[] = [];
    const { watch, audit } = service(notices);
    await watch.configure({ notifications: 'problems' });
    expect(openSettingsStore(dir).read().watch).toEqual({
      intervalMinutes: 15,
      paused: false,
      notifications: 'problems',
    });
    expect(audit).toEqual([
      { action: 'watch-configure', outcome: 'ok', detail: 'desktop notifications all -> problems' },
    ]);
    await driftAndInstall(watch);
    expect(notices.map((n) => n.body.split(':')[0])).toEqual(['shop on EU 1']);
    expect(watch.changes().entries.map((e) => e.subject)).toEqual(['shop on EU 1', 'blog on EU 1']);
  });

  it('off: no desktop notification at all, and the choice made by another shell counts at the next round', async () => {
    const notices: WatchNotice[] = [];
    const { watch } = service(notices);
    // Another shell (another store on the folder) turns them off.
    openSettingsStore(dir).update((draft) => {
      draft.watch.notifications = 'off';
    });
    await driftAndInstall(watch);
    expect(notices).toEqual([]);
    expect(watch.changes().entries).toHaveLength(2);
  });

  it('the pure filter', () => {
    const e = (severity: 'problem' | 'recovered' | 'info') => ({ severity });
    const all = [e('problem'), e('recovered'), e('info')];
    expect(entriesToNotify(all, 'all')).toEqual(all);
    expect(entriesToNotify(all, 'problems')).toEqual([e('problem')]);
    expect(entriesToNotify(all, 'off')).toEqual([]);
  });
});

describe('acknowledged changes', () => {
  it('one by one and all up to an id; kept in watch-acks.json, read by another service on the folder', async () => {
    const { watch } = service();
    await driftAndInstall(watch);
    expect(watch.acknowledgements()).toEqual({ through: 0, ids: [] });
    expect(watch.acknowledge({ ids: [2] })).toEqual({ through: 0, ids: [2] });
    expect(JSON.parse(fs.readFileSync(path.join(dir, ACKS_FILE), 'utf8'))).toEqual({
      version: 1,
      through: 0,
      ids: [2],
    });
    expect(service().watch.acknowledgements()).toEqual({ through: 0, ids: [2] });
    // "Mark all seen" up to the newest entry shown: the named ids at or below it fold into it.
    expect(watch.acknowledge({ through: 2 })).toEqual({ through: 2, ids: [] });
  });

  it('an id the feed has not given out is not acknowledged ahead of time', async () => {
    const { watch } = service();
    await driftAndInstall(watch);
    expect(watch.acknowledge({ ids: [1, 99], through: 50 })).toEqual({ through: 2, ids: [] });
    statuses = { shop: 'installed', blog: 'installed' };
    fake.nowMs += 60_000;
    await watch.runRound();
    // Entry 3 (shop recovered) came after: it is new.
    expect(watch.changes().cursor).toBe(3);
    expect(watch.acknowledgements()).toEqual({ through: 2, ids: [] });
  });

  it('an unreadable acknowledgements file is set aside: nothing acknowledged, the feed untouched', async () => {
    const { watch } = service();
    await driftAndInstall(watch);
    fs.writeFileSync(path.join(dir, ACKS_FILE), '{"version":1,"through":"x"}');
    expect(watch.acknowledgements()).toEqual({ through: 0, ids: [] });
    expect(fs.readdirSync(dir).some((f) => f.startsWith(`${ACKS_FILE}.corrupt-`))).toBe(true);
    expect(watch.changes().entries).toHaveLength(2);
  });
});
