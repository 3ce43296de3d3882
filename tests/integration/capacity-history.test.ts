// Capacity history against a real Elasticsearch: every successful snapshot lands in the history
// (rate-limited), the growth read off the partition names of a tenant laid out over past months is
// the hand-computed figure, and the forecast on day one stands on it. Creation dates cannot be set
// through the API (Elasticsearch refuses index.creation_date as an unknown setting), so "over months"
// is simulated here by the partition names alone: created today, outside the months they name, the
// name decides (tests/integration/cluster-growth.test.ts simulates the creation dates as well).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Instance } from '../../shared/instances/instance';
import { createCore } from '../../main/core';
import { CapacityService } from '../../main/services/capacity';
import { InMemorySecretStore } from '../../main/services/keychain';
import { HistoryService, HistoryStore } from '../../main/services/history';
import { parseSampleLine } from '../../shared/capacity/capacity-history';
import { createIndex, es, instance, ok } from '../support/capacity-fixture';

const tenant = `hist${randomBytes(3).toString('hex')}`;
const now = Date.now();
/** `YYYY-M` of the month `back` months before this one (Tracardi's month suffix, no padding). */
function month(back: number): string {
  const d = new Date(now);
  const m = d.getUTCFullYear() * 12 + d.getUTCMonth() - back;
  return `${Math.floor(m / 12)}-${(m % 12) + 1}`;
}
// Three complete months with one partition each (1 shard), the current month, and one 14 months ago
// (outside the 12-month window: it only makes the window the full 12 months).
const NAMES = [14, 3, 2, 1, 0].map((back) => `09x.${tenant}.tracardi-field-update-log-${month(back)}`);

let url: string;
let inst: Instance;
let dir: string;
let clock = now;
let store: HistoryStore;
let service: CapacityService;

beforeAll(async () => {
  [url] = inject('esUrls') as [string, string];
  inst = instance('hist-a', url, '0.9.x');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-history-it-'));
  store = new HistoryStore({ dir, clock: { now: () => clock } });
  const summary = { instance: inst, tlsVerifyOff: false, warnings: [] };
  service = new CapacityService({
    instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
    clock: { now: () => clock },
    history: store,
  });
  for (const name of NAMES) {
    const r = await createIndex(url, name, 1, 0);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  }
});

afterAll(async () => {
  await service?.close();
  await es(url, 'DELETE', `/${NAMES.join(',')}?ignore_unavailable=true`);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('history from real snapshots', () => {
  it('each successful snapshot is recorded, at most one a minute; steady refreshes stay three requests', async () => {
    const first = ok(await service.snapshot('hist-a'));
    await service.flush();
    // The first snapshot reads the sizes too, and (a history being kept) the tenant indices' creation dates.
    expect(first.cost.requests).toBe(7);
    clock += 5_000;
    const second = ok(await service.snapshot('hist-a'));
    await service.flush();
    expect(second.cost.requests).toBe(3);
    expect(await store.read('hist-a')).toHaveLength(1);
    clock += 61_000;
    ok(await service.snapshot('hist-a'));
    await service.flush();
    const samples = await store.read('hist-a');
    expect(samples).toHaveLength(2);
    expect(samples[1]!.sh).toEqual([expect.any(Number), first.shards.limit]);
    expect(samples[1]!.pt[tenant]).toEqual([5, expect.any(Number)]);
    expect(samples[1]!.n.length).toBe(first.cluster.dataNodes);
  });

  it('growth from the partition names: 3 shards in the 12-month window = 0.25 a month for the tenant', async () => {
    const growth = await store.growth('hist-a');
    expect(growth).not.toBeNull();
    expect(growth!.cluster.monthsObserved).toBe(12);
    expect(growth!.cluster.perTenant[tenant]).toBeCloseTo(3 / 12, 10);
    // The current month is in the table (at least this tenant's one shard), not in the rate.
    const current = growth!.cluster.months.at(-1)!;
    expect(current.month).toBe(new Date(now).toISOString().slice(0, 7));
    expect(current.shards).toBeGreaterThanOrEqual(1);
  });

  it('day one: the forecast stands on the cluster’s growth; months = headroom ÷ that rate', async () => {
    const view = await new HistoryService({ store, clock: { now: () => clock } }).view('hist-a', '7d');
    expect(view.samples).toBe(2);
    expect(view.series.t).toHaveLength(2);
    const rate = view.cluster!.shardsPerMonth!;
    expect(rate).toBeGreaterThanOrEqual(3 / 12);
    expect(view.forecast.shards.source).toBe('cluster');
    expect(view.forecast.shards.perMonth).toBe(rate);
    const last = view.series.t.length - 1;
    const headroom = view.series.shardLimit[last]! - view.series.shardsOpen[last]!;
    expect(view.forecast.shards.headroom).toBe(headroom);
    expect(view.forecast.shards.months).toBeCloseTo(headroom / rate, 6);
  });
});

describe('tenantctl capacity feeds the history', () => {
  it('a CLI run writes its snapshot into <data folder>/history before it exits', { timeout: 180_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-history-cli-'));
    try {
      const core = await createCore({ dataDir, secrets: new InMemorySecretStore(), env: {} });
      await core.instances.add(
        {
          id: 'cli-hist',
          name: 'CLI history',
          environment: 'test',
          apiUrl: 'https://api.cli-hist.example.com',
          tenantDomainSuffix: 'cli-hist.example.com',
          tracardiVersion: '0.9.x',
          tmsUrl: 'https://tms.cli-hist.example.com',
          es: { nodes: [url], auth: { type: 'none' } },
        },
        {},
      );
      const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [path.join(repo, 'bin/tenantctl.mjs'), '--data-dir', dataDir, 'capacity', 'cli-hist', '--json'],
          {
            cwd: repo,
            env: {
              ...process.env,
              TENANT_CONSOLE_KEYCHAIN_SERVICE: `tc-history-cli-${randomBytes(4).toString('hex')}`,
            },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect(code).toBe(0);
      const lines = fs.readFileSync(path.join(dataDir, 'history', 'cli-hist.jsonl'), 'utf8').split('\n');
      const samples = lines.map(parseSampleLine).filter((x) => x !== null);
      expect(samples).toHaveLength(1);
      expect(samples[0]!.pt[tenant]).toEqual([5, expect.any(Number)]);
      expect(fs.existsSync(path.join(dataDir, 'history', 'cli-hist.cluster.json'))).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
