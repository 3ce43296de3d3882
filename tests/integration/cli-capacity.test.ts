/**
 * `tenantctl capacity --place` and `--format prometheus` against the two real test clusters, the CLI
 * as a child process (the built out/main/cli.js) on a fresh --data-dir. The shard limits are set
 * here (and restored) so the expected placement is worked out by hand from what Elasticsearch says.
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-capacity.test.ts
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CapacityOutcome } from '../../shared/capacity/capacity';
import { groupDigits } from '../../shared/text/counts';
import type { PlacementReport } from '../../shared/capacity/placement';
import { es } from '../support/capacity-fixture';
import { expositionProblems } from '../support/exposition-grammar';
import { runTenantctl } from '../support/tenantctl';

const SLOW_TEST_MS = 300_000;
const serviceName = `tracardi-tenant-console-cli-capacity-${process.pid}-${randomBytes(4).toString('hex')}`;

let dataDir: string;
let urlA: string;
let urlB: string;
const restores: Array<() => Promise<void>> = [];

const tenantctl = (args: string[]) => runTenantctl(dataDir, serviceName, args);

async function addInstance(id: string, esNode: string, version: '0.8.x' | '0.9.x'): Promise<void> {
  const run = await tenantctl([
    'instances',
    'add',
    '--id',
    id,
    '--name',
    `Cap ${id}`,
    '--env',
    'test',
    '--api-url',
    `https://api.${id}.example.com`,
    '--suffix',
    `${id}.example.com`,
    '--version',
    version,
    '--tms-url',
    `https://tms.${id}.example.com`,
    '--es-node',
    esNode,
    '--es-timeout-ms',
    '3000',
    '--index-shards',
    '1',
    '--conf-shards',
    '1',
    '--replicas',
    '0',
  ]);
  expect(run.code, run.stderr).toBe(0);
}

/** Sets `cluster.max_shards_per_node` on a cluster; undone in afterAll. */
async function setShardLimit(url: string, value: number): Promise<void> {
  const current = await es(url, 'GET', '/_cluster/settings?flat_settings=true');
  const previous: unknown = current.json.persistent['cluster.max_shards_per_node'] ?? null;
  expect(
    (await es(url, 'PUT', '/_cluster/settings', { persistent: { 'cluster.max_shards_per_node': value } })).status,
  ).toBe(200);
  restores.push(async () => {
    await es(url, 'PUT', '/_cluster/settings', { persistent: { 'cluster.max_shards_per_node': previous } });
  });
}

/** Open shards and data nodes of a cluster, as the capacity snapshot reads them. */
async function snapshotOf(id: string): Promise<CapacityOutcome> {
  const run = await tenantctl(['capacity', id, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as CapacityOutcome;
}

beforeAll(async () => {
  [urlA, urlB] = inject('esUrls') as [string, string];
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantctl-capacity-'));
  await addInstance('cap-a', urlA, '0.9.x');
  await addInstance('cap-b', urlB, '0.9.x');
  await addInstance('cap-old', urlB, '0.8.x');
  // Nothing listens on the discard port: connection refused.
  await addInstance('cap-down', 'http://127.0.0.1:9', '0.9.x');
}, SLOW_TEST_MS);

afterAll(async () => {
  for (const restore of restores.reverse()) await restore();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tenantctl capacity --place', () => {
  it(
    'ranks by room, refuses the unreachable instance, spreads --count one by one and counts what does not fit',
    async () => {
      // Room for exactly 3 tenants on A and 2 on B (limits from the open shards Elasticsearch reports).
      const a = await snapshotOf('cap-a');
      const b = await snapshotOf('cap-b');
      if (!a.ok || !b.ok) throw new Error('no snapshot of the test clusters');
      const perTenant = a.snapshot.room.shardsPerNewTenant;
      expect(b.snapshot.room.shardsPerNewTenant).toBe(perTenant); // 0.9.x, 1/1 shards, one node: 12
      await setShardLimit(urlA, a.snapshot.shards.open + 3 * perTenant);
      await setShardLimit(urlB, b.snapshot.shards.open + 2 * perTenant);

      const run = await tenantctl([
        'capacity',
        '--place',
        '--version',
        '0.9.x',
        '--env',
        'test',
        '--count',
        '7',
        '--json',
      ]);
      // Two of the seven find no room: the run says so by its exit code.
      expect(run.code, run.stderr).toBe(1);
      const reports = JSON.parse(run.stdout) as PlacementReport[];
      expect(reports.map((r) => r.version)).toEqual(['0.9.x']);
      const [r] = reports;
      expect(r!.ranking.map((f) => [f.instanceId, f.roomAfter, f.binding])).toEqual([
        ['cap-a', 2, 'shards'],
        ['cap-b', 1, 'shards'],
      ]);
      expect(r!.ranking[0]!.shardHeadroomAfter).toBe(2 * perTenant);
      expect(r!.refused).toEqual([
        expect.objectContaining({
          instanceId: 'cap-down',
          kind: 'unreachable',
          reason: expect.stringContaining('es-refused'),
        }),
      ]);
      expect(r!.spread.map((f) => [f.instanceId, f.placed, f.roomAfter])).toEqual([
        ['cap-a', 3, 0],
        ['cap-b', 2, 0],
      ]);
      expect(r!.unplaced).toBe(2);

      // The same in words: the best marked, one line of why each, the refusal and the spread.
      const text = await tenantctl(['capacity', '--place', '--version', '0.9.x', '--env', 'test', '--count', '2']);
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.split('\n');
      expect(lines[0]).toBe('Placement of 2 tenants on Tracardi 0.9.x, for test');
      expect(lines[1]).toBe('  Ranked among the test instances of Tracardi 0.9.x only.');
      expect(lines).toContain('  1. Cap cap-a (cap-a, test)  BEST');
      // Under each ranked instance, its forecast in the words every screen uses.
      const best = lines.indexOf('  1. Cap cap-a (cap-a, test)  BEST');
      expect(lines[best + 2]).toMatch(
        /^ {5}Shard limit( in about \d+ months?| in under a month| reached|: not growing): /,
      );
      expect(lines[best + 3]).toMatch(
        /^ {5}Low disk watermark( in about \d+ months?| in under a month| reached|: not growing|: no forecast): /,
      );
      expect(text.stdout).toContain(
        `room for 2 more after it, shards bind (${2 * perTenant} of ${groupDigits(a.snapshot.shards.open + 3 * perTenant)} shards left)`,
      );
      expect(text.stdout).toMatch(
        / {2}- {2}Cap cap-down \(cap-down, test\) {2}unreachable: no capacity snapshot: es-refused/,
      );
      // A then B: after one on A (room 2 vs 2) the tie goes to A by id, then B has more room.
      expect(text.stdout).toContain('spread of 2 tenants (one by one, re-ranked after each):');
      expect(
        lines.filter((l) => /^ {3}\s*\d+ {2}Cap /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 3).join(' ')),
      ).toEqual(['1 Cap cap-a', '1 Cap cap-b']);
    },
    SLOW_TEST_MS,
  );

  it(
    'without --version: one ranking per version the fleet runs',
    async () => {
      const run = await tenantctl(['capacity', '--place', '--env', 'test', '--json']);
      const reports = JSON.parse(run.stdout) as PlacementReport[];
      expect(reports.map((r) => r.version)).toEqual(['0.8.x', '0.9.x']);
      expect([...reports[0]!.ranking, ...reports[0]!.refused].map((f) => f.instanceId)).toEqual(['cap-old']);
    },
    SLOW_TEST_MS,
  );

  it(
    'a tenant for production (the default) is never ranked on test instances: they are listed apart, the reason printed',
    async () => {
      const run = await tenantctl(['capacity', '--place', '--version', '0.9.x']);
      // No production instance: the tenant is not placed.
      expect(run.code, run.stderr).toBe(1);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe('Placement of the next tenant on Tracardi 0.9.x, for production');
      expect(lines[1]).toBe(
        '  No production instance of Tracardi 0.9.x can take it: the tenant is for production, and a test instance ' +
          'is not an equal home for it whatever its room, so those are listed apart, not compared.',
      );
      expect(lines).toContain('  no production instance can take a tenant');
      expect(lines).toContain('  other environments (not compared with production; --env picks another):');
      expect(lines).toContain('  -  Cap cap-a (cap-a, test)');
      expect(run.stdout).toMatch(
        / {5}not compared: a test instance, the tenant is for production; room for \d+ more after it/,
      );
    },
    SLOW_TEST_MS,
  );

  it.each([
    [['--place', '--count', '0'], /--count: must be a whole number from 1 to 1000, got "0"/],
    [['--place', '--count', 'abc'], /--count: must be a whole number from 1 to 1000, got "abc"/],
    [['--place', '--version', '1.0.x'], /--version: "1.0.x" is not a Tracardi version profile: use 0.8.x or 0.9.x/],
    [['--format', 'xml'], /--format: "xml" is not a format: use text, json or prometheus/],
    [['--count', '3'], /--count: only with --place/],
    [['--place', '--format', 'prometheus'], /--format prometheus prints capacity figures, not a placement/],
    [['--json', '--format', 'text'], /--json and --format text disagree/],
    [['cap-a', '--place'], /--place ranks every instance of a version: drop the instance argument "cap-a"/],
    [
      ['--place', '--env', 'sandbox'],
      /--env: "sandbox" is not an environment: use production, staging, development, test/,
    ],
  ])(
    'refuses %j with one clear line (exit 2)',
    async (args, message) => {
      const run = await tenantctl(['capacity', ...args]);
      expect(run.code).toBe(2);
      const errLines = run.stderr.split('\n').filter((l) => l.length > 0);
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(message);
      // With --json a script also gets the error as JSON on stdout; otherwise stdout stays empty.
      if (args.includes('--json')) expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'validation' } });
      else expect(run.stdout).toBe('');
    },
    SLOW_TEST_MS,
  );
});

describe('tenantctl capacity --format prometheus', () => {
  it(
    'prints valid exposition text with the figures Elasticsearch reports; an unreachable instance is up 0',
    async () => {
      const run = await tenantctl(['capacity', '--format', 'prometheus']);
      // The file is the report: a failed instance is in it as up 0, so the run succeeds (cron moves it in place).
      expect(run.code, run.stderr).toBe(0);
      expect(expositionProblems(run.stdout)).toEqual([]);
      const families = parsePrometheusTextFormat(run.stdout);
      const value = (name: string, labels: Record<string, string>) =>
        families
          .find((f) => f.name === name)
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
      expect(value('tracardi_console_up', { instance: 'cap-a' })).toBe('1');
      expect(value('tracardi_console_up', { instance: 'cap-down' })).toBe('0');
      expect(value('tracardi_console_es_shards_open', { instance: 'cap-down' })).toBeUndefined();

      // Cross-checked with Elasticsearch itself: the shard limit (set above) and each node's disk.
      const settings = await es(urlA, 'GET', '/_cluster/settings?flat_settings=true');
      expect(value('tracardi_console_es_shards_limit', { instance: 'cap-a' })).toBe(
        String(settings.json.persistent['cluster.max_shards_per_node']),
      );
      const stats = await es(urlA, 'GET', '/_nodes/stats/fs');
      const nodes = Object.values(stats.json.nodes) as Array<{
        name: string;
        fs: { total: { total_in_bytes: number } };
      }>;
      expect(nodes.length).toBeGreaterThan(0);
      for (const node of nodes) {
        expect(value('tracardi_console_es_disk_total_bytes', { instance: 'cap-a', node: node.name })).toBe(
          String(node.fs.total.total_in_bytes),
        );
      }
      expect(
        value('tracardi_console_instance_info', { instance: 'cap-old', version: '0.8.x', name: 'Cap cap-old' }),
      ).toBe('1');

      // The forecast: the same whole months `tenantctl capacity` prints for the instance, with its method.
      const months = families
        .find((f) => f.name === 'tracardi_console_forecast_months_to_limit')!
        .metrics.find((m) => m.labels?.instance === 'cap-a' && m.labels?.limit === 'shards')!;
      const text = await tenantctl(['capacity', 'cap-a']);
      const shardLine = text.stdout.split('\n').find((l) => l.startsWith('  forecast Shard limit'))!;
      expect(shardLine).toBeDefined();
      const printed =
        /Shard limit in about (\d+) months?/.exec(shardLine)?.[1] ??
        (/reached|under a month/.test(shardLine) ? '0' : '+Inf');
      expect(months.value).toBe(printed);
      expect(shardLine).toContain(
        {
          cluster: 'cluster growth',
          history: 'local history',
          blended: 'blended with',
          model: 'partition layout model',
        }[months.labels!.source as 'cluster'],
      );
    },
    SLOW_TEST_MS,
  );
});
