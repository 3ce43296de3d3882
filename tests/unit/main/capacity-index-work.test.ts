// The per-index work done once per index set (main/services/capacity/index-work.ts): whatever it
// reuses must be what a fresh computation gives, at any snapshot time; and the service reuses it only
// while health's listing comes back byte for byte the same (a server with fixed replies here; the
// integration tests run the same service against real clusters).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { measureLayout } from '../../../shared/capacity/capacity-layout';
import { parseIndexName } from '../../../shared/instances/index-naming';
import { instanceSchema, type Instance } from '../../../shared/instances/instance';
import {
  CapacityService,
  SECRETS_RECHECK_MS,
  computeIndexWork,
  IndexWorkMemo,
  type RawCapacity,
} from '../../../main/services/capacity';
import { readHealth } from '../../../main/services/capacity/replies';

const DAY = 86_400_000;
const Q2_2026 = Date.UTC(2026, 3, 1); // 2026-q2 starts
const NAMES = [
  '09x.acme.tracardi-event-2026-q1',
  '09x.acme.tracardi-event-2026-q2',
  'prod-09x.acme.tracardi-log-2026-3',
  'prod-09x.acme.tracardi-log-2026-4',
  '09x.beta.tracardi-profile-2026-q1',
  '0820.old.tracardi-user',
  '.kibana_1',
];

function raw(names = NAMES): RawCapacity {
  return {
    health: {
      cluster_name: 'c',
      status: 'green',
      indices: Object.fromEntries(names.map((n, i) => [n, { number_of_shards: 1 + (i % 3), number_of_replicas: 1 }])),
    },
    state: { cluster_uuid: 'u' },
    nodesInfo: { nodes: { a: { version: '8.19.2' } } },
    nodesStats: { nodes: {} },
    settings: {},
    indexStats: { indices: Object.fromEntries(names.map((n) => [n, { primaries: { docs: { count: 1 } } }])) },
  };
}

const fallback = { indexShards: 3, confShards: 1, replicas: 1, dataNodes: 1 };

describe('IndexWorkMemo', () => {
  it('reuses the grouping only for the very same listing and sizes, and it equals a fresh one', () => {
    const memo = new IndexWorkMemo();
    const r = raw();
    const g = memo.grouping(r, '0.9.x');
    expect(g).toEqual(computeIndexWork.grouping(r, '0.9.x'));
    expect(memo.grouping(r, '0.9.x')).toBe(g);
    expect(memo.grouping({ ...r, health: raw().health }, '0.9.x')).not.toBe(g); // another listing
    const changed = raw([...NAMES, '09x.gamma.tracardi-event-2026-q2']);
    expect(memo.grouping(changed, '0.9.x').tenants.map((t) => t.tenant)).toEqual(['acme', 'beta', 'gamma', 'old']);
    expect(memo.grouping(changed, '0.8.x')).toEqual(computeIndexWork.grouping(changed, '0.8.x'));
  });

  it('the layout it gives at any time is the one measured afresh at that time, and is reused between partition boundaries', () => {
    const memo = new IndexWorkMemo();
    const r = raw();
    const g = memo.grouping(r, '0.9.x');
    // Through the end of q1 (a quarterly partition ends, another begins) and the months in between.
    const times = [-40, -31, -1, -0.001, 0, 0.001, 1, 29, 30, 31, 60, 400].map((d) => Q2_2026 + d * DAY);
    for (const now of times)
      expect(memo.layout(g, '0.9.x', now, fallback), new Date(now).toISOString()).toEqual(
        measureLayout(g.layoutIndices, '0.9.x', now, fallback),
      );
    const a = memo.layout(g, '0.9.x', Q2_2026 + 2 * DAY, fallback);
    const b = memo.layout(g, '0.9.x', Q2_2026 + 3 * DAY, fallback);
    expect(b).toBe(a); // the same partitions cover both days
    expect(memo.layout(g, '0.9.x', Q2_2026 - DAY, fallback)).not.toBe(a); // q1 still covers this one
    expect(memo.layout(g, '0.9.x', Q2_2026 + 3 * DAY, { ...fallback, dataNodes: 2 })).not.toBe(a);
  });

  it('parses each name once and as parseIndexName does, and forgets names no listing has any more', () => {
    const memo = new IndexWorkMemo();
    for (const n of NAMES) expect(memo.parse(n)).toEqual(parseIndexName(n));
    expect(memo.parse(NAMES[0]!)).toBe(memo.parse(NAMES[0]!));
    const kept = memo.parse(NAMES[0]!);
    memo.grouping(raw(), '0.9.x');
    expect(memo.parse(NAMES[0]!)).toBe(kept);
    memo.grouping(raw(NAMES.slice(1)), '0.9.x'); // NAMES[0] gone: kept one more generation
    memo.grouping(raw(NAMES.slice(2)), '0.9.x'); // now forgotten: parsed afresh
    expect(memo.parse(NAMES[0]!)).not.toBe(kept);
    expect(memo.parse(NAMES[0]!)).toEqual(kept);
  });
});

describe('readHealth', () => {
  it('keeps the listing Elasticsearch sent when every count is a number, copies and converts otherwise, refuses the rest', () => {
    const indices = {
      a: { number_of_shards: 1, number_of_replicas: 0 },
      b: { number_of_shards: 2, number_of_replicas: 1 },
    };
    expect(readHealth({ cluster_name: 'c', status: 'green', indices })!.indices).toBe(indices);
    const mixed = {
      a: { number_of_shards: 1, number_of_replicas: 0 },
      b: { number_of_shards: '2', number_of_replicas: '1' },
    };
    const read = readHealth({ cluster_name: 'c', status: 'green', indices: mixed })!;
    expect(read.indices).toEqual({
      a: { number_of_shards: 1, number_of_replicas: 0 },
      b: { number_of_shards: 2, number_of_replicas: 1 },
    });
    expect(readHealth({ cluster_name: 'c', status: 'green', indices: { a: { number_of_shards: 'x' } } })).toBeNull();
    expect(readHealth({ cluster_name: 'c', status: 'green', indices: [] })).toBeNull();
    expect(readHealth({ cluster_name: 'c', status: 'green' })!.indices).toEqual({});
  });
});

describe('CapacityService over a listing that does not change', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** Elasticsearch's replies, fixed but for `names` (health and sizes list them) and each node's clock. */
  async function fakeEs(names: { list: string[] }): Promise<string> {
    const gz = (value: unknown) => gzipSync(JSON.stringify(value));
    server = createServer((req, res) => {
      const r = raw(names.list);
      const url = req.url ?? '';
      const body = url.startsWith('/_cluster/health')
        ? { cluster_name: 'c', status: 'green', indices: r.health.indices }
        : url.startsWith('/_cluster/state')
          ? { cluster_uuid: 'u' }
          : url.startsWith('/_nodes/_all')
            ? { nodes: { a: { version: '8.19.2' } } }
            : url.startsWith('/_nodes/stats')
              ? {
                  nodes: {
                    a: {
                      name: 'a',
                      roles: ['data'],
                      fs: { total: { total_in_bytes: 1e12, available_in_bytes: 9e11 } },
                      timestamp: Date.now(),
                      jvm: { mem: { heap_used_in_bytes: 1, heap_max_in_bytes: 2 }, uptime_in_millis: Date.now() - 1e9 },
                    },
                  },
                }
              : url.startsWith('/_cluster/settings')
                ? { persistent: {}, transient: {} }
                : r.indexStats;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-elastic-product': 'Elasticsearch',
      });
      res.end(gz(body));
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', () => ok()));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  function service(url: string): { svc: CapacityService; instance: Instance } {
    const instance = instanceSchema.parse({
      id: 'same',
      name: 'Same',
      environment: 'test',
      apiUrl: 'https://api.same.example.com',
      tenantDomainSuffix: 'same.example.com',
      tracardiVersion: '0.9.x',
      tmsUrl: 'https://tms.same.example.com',
      es: { nodes: [url] },
    });
    const summary = { instance, tlsVerifyOff: false, warnings: [] };
    const svc = new CapacityService({
      instances: { get: async () => summary, list: async () => [summary], resolveSecrets: async () => ({}) },
    });
    return { svc, instance };
  }

  it('reuses the per-index work while the listing is the same bytes, and counts an index created since at once', async () => {
    const names = { list: [...NAMES] };
    const { svc } = service(await fakeEs(names));
    try {
      const take = async () => {
        const o = await svc.snapshot('same');
        if (!o.ok) throw new Error(o.error.message);
        return o.snapshot;
      };
      const first = await take();
      const second = await take();
      const third = await take();
      expect(third.cost.requests).toBe(3);
      // The same layout object: neither the listing was parsed nor the names grouped again.
      expect(third.layout).toBe(second.layout);
      expect(third.tenants).toEqual(first.tenants);
      // Each snapshot has tenants of its own: one changed by a caller does not change the next.
      third.tenants[0]!.indices = 999;
      expect((await take()).tenants).toEqual(first.tenants);

      names.list.push('09x.gamma.tracardi-event-2026-q2');
      const grown = await take();
      expect(grown.sizes.reason).toBe('indices-changed');
      expect(grown.tenants.map((t) => t.tenant)).toEqual(['acme', 'beta', 'gamma', 'old']);
      expect(grown.layout).not.toBe(third.layout);
    } finally {
      await svc.close();
    }
  });

  it('asks the keychain once for a kept reader: again when a secret is written, after the recheck time, after a failure', async () => {
    const names = { list: [...NAMES] };
    const url = await fakeEs(names);
    const { instance } = service(url);
    const summary = { instance, tlsVerifyOff: false, warnings: [] };
    let reads = 0;
    let epoch = 0;
    let now = 1_000_000;
    const svc = new CapacityService({
      instances: {
        get: async () => summary,
        list: async () => [summary],
        resolveSecrets: async () => (reads++, {}),
        secretsEpoch: () => epoch,
      },
      clock: { now: () => now },
    });
    const take = async () => {
      const o = await svc.snapshot('same');
      if (!o.ok) throw new Error(o.error.message);
    };
    try {
      await take();
      await take();
      await take();
      expect(reads).toBe(1); // a steady refresh costs no keychain round trip
      epoch++; // the instance service wrote a secret
      await take();
      expect(reads).toBe(2);
      now += SECRETS_RECHECK_MS; // another process may have changed it meanwhile
      await take();
      expect(reads).toBe(3);
      await take();
      expect(reads).toBe(3);
      // A failure drops the reader: the next attempt reads the keychain again.
      server!.close();
      server!.closeAllConnections();
      const failed = await svc.snapshot('same');
      expect(failed.ok).toBe(false);
      await svc.snapshot('same');
      expect(reads).toBeGreaterThanOrEqual(4);
    } finally {
      await svc.close();
    }
  });
});
