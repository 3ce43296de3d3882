/**
 * bench/registry.ts's sections that measure the registry build alone on the cluster: the registry's
 * size, what a `tenants list` sends and receives, and the steady capacity refresh with the registry
 * read added (against one `_cluster/health`, with where the time goes).
 */
import { loadavg } from 'node:os';
import { createCore } from '../../main/core';
import { createHandlers } from '../../main/handlers';
import { dispatch } from '../../main/transport/dispatch';
import { CapacityService, SNAPSHOT_REQUESTS } from '../../main/services/capacity';
import { createEsClient, createMeter, meteredRequest } from '../../main/services/es-client';
import { HistoryStore } from '../../main/services/history';
import { clientRequester, EsRegistryBackend, RECENT_WINDOW, windowStart } from '../../main/services/registry';
import { openSettingsStore } from '../../main/services/settings-store';
import { REGISTRY_INDICES } from '../../shared/team/registry';
import { startCountingProxy } from '../../tests/support/counting-proxy';
import { es, INDICES_PER_TENANT, makeTenantIndices, median } from './cluster';
import { copyFolder, listedRows, runCli, tempFolder, type Fleet } from './registry-fleet';
import type { Builds } from './registry-measure';

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
/** Elasticsearch caches an index's store size for index.store.stats_refresh_interval (10 s). */
const STORE_STATS_MS = 11_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface IndexRow {
  index: string;
  pri: string;
  rep: string;
  'docs.count': string;
  'docs.deleted': string;
  'store.size': string;
  'pri.store.size': string;
}

async function registryIndices(esUrl: string): Promise<Map<string, IndexRow>> {
  const res = await fetch(
    `${esUrl}/_cat/indices/.tracardi-console-*?bytes=b&expand_wildcards=all&format=json&h=index,pri,rep,docs.count,docs.deleted,store.size,pri.store.size`,
  );
  const rows = res.ok ? ((await res.json()) as IndexRow[]) : [];
  return new Map(rows.map((r) => [r.index, r]));
}

interface IndexStats {
  primaries: {
    docs: { count: number; deleted: number };
    store: { size_in_bytes: number };
    segments: { count: number };
  };
}

async function registryStats(esUrl: string): Promise<Record<string, IndexStats>> {
  const indices = `${REGISTRY_INDICES.tenants},${REGISTRY_INDICES.audit}`;
  return (await es(esUrl, 'GET', `/${indices}/_stats/docs,store,segments?expand_wildcards=all`)).indices as Record<
    string,
    IndexStats
  >;
}

/**
 * The registry's indices with one scope of 10,000 tenants and audit audit entries: as seeded, and
 * merged to one segment (what the store settles to). Bytes per tenant are the merged store's share of
 * the scope's documents (the whole index when, as on a fresh cluster, it holds only this scope).
 */
export async function sizeSection(esUrl: string, fleet: Fleet, audit: number): Promise<string[]> {
  const scope = fleet.instances[0]!.suffix;
  const tenants = fleet.instances[0]!.records.length;
  const indices = `${REGISTRY_INDICES.tenants},${REGISTRY_INDICES.audit}`;
  await es(esUrl, 'POST', `/${indices}/_refresh?expand_wildcards=all`);
  await sleep(STORE_STATS_MS);
  const cat = await registryIndices(esUrl);
  const seeded = await registryStats(esUrl);
  await es(esUrl, 'POST', `/${indices}/_forcemerge?max_num_segments=1&expand_wildcards=all`);
  await sleep(STORE_STATS_MS);
  const merged = await registryStats(esUrl);
  const lines = [
    `Registry size: ${tenants.toLocaleString('en-US')} tenants and ${audit.toLocaleString('en-US')} audit entries in one scope (_cat/indices bytes=b and _stats, primaries; ${load()})`,
  ];
  let total = 0;
  for (const [index, per, unit] of [
    [REGISTRY_INDICES.tenants, tenants, 'tenant'],
    [REGISTRY_INDICES.audit, audit, 'audit entry'],
  ] as const) {
    const c = cat.get(index);
    const a = seeded[index]?.primaries;
    const m = merged[index]?.primaries;
    if (!c || !a || !m) throw new Error(`${index} is missing after seeding`);
    const count = (
      await es(esUrl, 'POST', `/${index}/_count?expand_wildcards=all`, JSON.stringify({ query: { term: { scope } } }))
    ).count as number;
    if (count !== per) throw new Error(`${index} holds ${count} documents of the scope, expected ${per}`);
    const share = m.docs.count ? (m.store.size_in_bytes * count) / m.docs.count : 0;
    total += share;
    const others = m.docs.count - count;
    lines.push(
      `  ${index}: ${c.pri} primary shard, ${c.rep} replica(s); ${m.docs.count.toLocaleString('en-US')} docs (${count.toLocaleString('en-US')} of this scope${others ? `, ${others.toLocaleString('en-US')} of others` : ''})`,
      `    as seeded: ${Number(c['pri.store.size']).toLocaleString('en-US')} B in ${a.segments.count} segments, ${a.docs.deleted.toLocaleString('en-US')} deleted docs | merged to 1 segment: ${m.store.size_in_bytes.toLocaleString('en-US')} B = ${kib(m.store.size_in_bytes)}, ${m.docs.deleted} deleted | ${(share / per).toFixed(0)} B per ${unit}`,
    );
  }
  lines.push(
    `  this scope in both: ${(total / 2 ** 20).toFixed(2)} MiB on 2 primary shards (2 x (1 + replicas) shards per cluster, whatever the tenant count) | the same ${tenants.toLocaleString('en-US')} records in the build before's config.json: ${(fleet.configBytes / 2 ** 20).toFixed(2)} MiB`,
  );
  for (const l of lines) console.log(l);
  return lines;
}

/** What one warm `tenants list` of `fleet` costs on the wire (a counting proxy in front of Elasticsearch). */
export async function wireSection(b: Builds, esUrl: string, fleet: Fleet): Promise<string[]> {
  const proxy = await startCountingProxy(esUrl);
  try {
    const dir = copyFolder(fleet.registryTemplate, 'rb-wire-');
    openSettingsStore(dir).update((draft) => {
      for (const i of draft.instances) i.es.nodes = [proxy.url];
    });
    const run = async () => {
      proxy.reset();
      const r = await runCli(b.registry, dir, ['tenants', 'list'], b.env);
      if (listedRows(r.stdout, false) !== fleet.total) throw new Error('wire: not every tenant listed');
      return `${proxy.count()} requests, ${proxy.requestBytes().toLocaleString('en-US')} B sent, ${proxy.bytes().toLocaleString('en-US')} B of response bodies`;
    };
    const cold = await run();
    const warm = [await run(), await run(), await run()];
    const lines = [
      `Wire: tenantctl tenants list, ${fleet.total.toLocaleString('en-US')} tenants on ${fleet.instances.length} instance(s)`,
      `  warm (registry unchanged): ${warm.join(' | ')}`,
      `  cold (no cache): ${cold}`,
    ];
    for (const l of lines) console.log(l);
    return lines;
  } finally {
    await proxy.stop();
  }
}

/**
 * The steady capacity refresh with and without one warm registry sync, against one health call, and
 * where the time goes: the snapshot's keychain read, its three steady requests sent bare, the
 * registry's one search bare.
 */
export async function refreshSection(
  b: Builds,
  esUrl: string,
  fleet: Fleet,
  options: { runs: number; target: number; fleetIndices: number },
): Promise<string[]> {
  const { runs, target, fleetIndices } = options;
  const dir = copyFolder(fleet.registryTemplate, 'rb-refresh-');
  const core = await createCore({ dataDir: dir, shell: 'test', env: b.env });
  const handlers = createHandlers(core);
  const id = fleet.instances[0]!.id;
  const scope = fleet.instances[0]!.suffix;
  const { instance } = await core.instances.get(id);
  const client = await createEsClient(instance, {});
  const backend = new EsRegistryBackend(clientRequester(client, instance));
  // The same service with the keychain read left out, as bench/capacity.ts measures it (its
  // resolveSecrets answers {} at once): the figures docs/capacity.md holds to the 3x target.
  const noKeychain = new CapacityService({
    instances: {
      get: (i) => core.instances.get(i),
      list: () => core.instances.list(),
      resolveSecrets: async () => ({}),
    },
    history: new HistoryStore({ dir: tempFolder('rb-history-') }),
  });
  try {
    const registry = await core.registry.of(id);
    const sync = async () => {
      const o = await registry.sync();
      if (!o.ok) throw new Error(`registry sync failed: ${o.error}`);
      return o;
    };
    const snap = async () => {
      const o = await core.capacity.snapshot(id);
      if (!o.ok) throw new Error(`snapshot failed: ${o.error.code}: ${o.error.message}`);
      return o.snapshot;
    };
    // The Fleet screen's refresh as the window sends it: the call's handler runs the snapshot and the
    // registry's steady sync at once (main/handlers.ts), dispatched as the packaged app does (it does
    // not check its own answers against the contract; a development build does).
    const refresh = async () => {
      const res = await dispatch(handlers, 'capacity.snapshot', { id });
      if (!res.ok || !(res.value as { ok: boolean }).ok) throw new Error('the Fleet refresh failed');
    };
    const snapNoKeychain = async () => {
      const o = await noKeychain.snapshot(id);
      if (!o.ok) throw new Error(`snapshot failed: ${o.error.code}: ${o.error.message}`);
    };
    const get = (r: { path: string; querystring: Record<string, string> }) =>
      client.transport.request(
        { method: 'GET', path: r.path, querystring: r.querystring },
        { ...meteredRequest(createMeter()), headers: { 'accept-encoding': 'gzip' } },
      );
    const q = SNAPSHOT_REQUESTS;
    const health = () =>
      client.transport.request({ method: 'GET', path: '/_cluster/health' }, meteredRequest(createMeter()));
    const time = async (f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      return performance.now() - t;
    };
    await sync(); // the first, full read: the cache filled
    // The steady sync's search as the sync sent it before the change token (and still sends when the
    // index changed): its window from just below the cursor.
    const cursor = registry.cached().reduce((m, d) => Math.max(m, d.version.seqNo), -1);
    if (registry.cached().length !== fleet.instances[0]!.records.length) throw new Error('the cache misses records');
    const kinds = [
      'health',
      'snap',
      'app',
      'both',
      'parallel',
      'sync',
      'token',
      'search',
      'keychain',
      'three',
      'bare',
      'bareParallel',
    ] as const;
    const round = async (label: string, verdictHere: boolean): Promise<string[]> => {
      const s = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<(typeof kinds)[number], number[]>;
      let last: Awaited<ReturnType<typeof snap>> | null = null;
      for (let i = 0; i < 3 + runs; i++) {
        const t = {
          health: await time(health),
          snap: await time(async () => (last = await snap())),
          app: await time(refresh),
          both: await time(async () => {
            await snap();
            await sync();
          }),
          parallel: await time(() => Promise.all([snap(), sync()])),
          sync: await time(sync),
          token: await time(() => backend.changeToken()),
          search: await time(() => backend.recent(scope, RECENT_WINDOW, windowStart(cursor))),
          keychain: await time(() => core.instances.resolveSecrets(id)),
          three: await time(() => Promise.all([get(q.health), get(q.nodesStats), get(q.settings)])),
          bare: await time(snapNoKeychain),
          bareParallel: await time(() => Promise.all([snapNoKeychain(), sync()])),
        };
        if (i < 3) continue;
        for (const k of kinds) s[k].push(t[k]);
      }
      const h = median(s.health);
      const x = (k: keyof typeof s) => `${median(s[k]).toFixed(1)} ms = ${(median(s[k]) / h).toFixed(2)}x`;
      const verdict = (r: number) =>
        verdictHere ? `target <= ${target}x: ${r <= target ? 'met' : 'MISSED'}` : 'printed beside, no verdict';
      const shot = last as Awaited<ReturnType<typeof snap>> | null;
      return [
        `Steady capacity refresh, ${label} (median of ${runs}, interleaved; ${shot?.shards.open} open shards on the cluster; registry ${fleet.instances[0]!.records.length.toLocaleString('en-US')} tenants, warm and unchanged; ${load()})`,
        `  one _cluster/health ${h.toFixed(1)} ms`,
        `  the snapshot counts the registry as the console's own: ${JSON.stringify(shot?.console ?? null)}`,
        `  the Fleet refresh as the window sends it (snapshot and registry sync at once, through the call's handler) ${x('app')} (${verdict(median(s.app) / h)}) | the snapshot alone ${x('snap')} (${verdict(median(s.snap) / h)})`,
        `  beside it: snapshot then sync ${x('both')} | the two at once ${x('parallel')}`,
        `  where it goes: the steady sync alone ${x('sync')}, its one request (the index's change token) sent bare ${x('token')}; the search it sends only when the token moved ${x('search')} | the snapshot's keychain read (not on the steady refresh) ${x('keychain')}, its three steady requests sent bare ${x('three')}`,
        `  without the keychain read (as bench/capacity.ts measures): snapshot ${x('bare')} | with the sync at once ${x('bareParallel')}`,
      ];
    };
    // The case an operator meets: an instance whose cluster holds its tenants' indices (tenants of 20
    // indices, as bench/capacity.ts builds them), made here and deleted after. The near-empty cluster
    // before it (a health call at its cheapest) is printed beside, without a verdict.
    const lines = await round('near-empty cluster', false);
    for (const l of lines) console.log(l);
    if (fleetIndices < INDICES_PER_TENANT) return lines;
    const made = await makeTenantIndices(esUrl, `rb${process.pid}`, Math.floor(fleetIndices / INDICES_PER_TENANT));
    try {
      await snap(); // health lists the new indices: their sizes are read once, as a refresh after a change does
      const withFleet = await round(
        `${made.names.length.toLocaleString('en-US')} tenant indices in the cluster (${made.names.length / INDICES_PER_TENANT} tenants of ${INDICES_PER_TENANT})`,
        true,
      );
      for (const l of withFleet) console.log(l);
      lines.push(...withFleet);
    } finally {
      await made.remove();
    }
    return lines;
  } finally {
    await client.close();
    core.registry.close();
    await core.capacity.close();
    await noKeychain.close();
  }
}
