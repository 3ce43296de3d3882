import { startElasticsearch } from '../../tests/support/elasticsearch';
import { SNAPSHOT_REQUESTS } from '../../main/services/capacity/requests';
import { request } from 'undici';
async function es(base: string, method: string, path: string, body?: string, type = 'application/json') {
  const r = await fetch(base + path, { method, body, headers: { 'content-type': type } });
  return r.json() as Promise<Record<string, unknown>>;
}
async function main() {
  const cluster = process.env.TEST_ES_URL ? { url: process.env.TEST_ES_URL, stop: async () => {} } : await startElasticsearch({ name: 'tmp-req' });
  const base = cluster.url;
  await es(base, 'PUT', '/_index_template/tmpb', JSON.stringify({ index_patterns: ['09x.*'], priority: 500, template: { settings: { number_of_shards: 1, number_of_replicas: 0 } } }));
  const names = Array.from({ length: 1000 }, (_, i) => `09x.t${Math.floor(i / 20)}.tracardi-x${i % 20}`);
  for (let i = 0; i < names.length; i += 100) {
    const lines = names.slice(i, i + 100).flatMap((n) => [JSON.stringify({ index: { _index: n } }), '{"a":1}']);
    await es(base, 'POST', '/_bulk?refresh=true&timeout=5m', lines.join('\n') + '\n', 'application/x-ndjson');
  }
  const reqs: Record<string, { path: string; querystring: Record<string, string> }> = { plainHealth: { path: '/_cluster/health', querystring: {} }, ...SNAPSHOT_REQUESTS } as never;
  const times: Record<string, number[]> = {};
  const url = (r: { path: string; querystring: Record<string, string> }) => base + r.path + '?' + new URLSearchParams(r.querystring).toString();
  for (let i = 0; i < 30; i++) {
    for (const [k, r] of Object.entries(reqs)) {
      const t = performance.now();
      const res = await request(url(r), { headers: { 'accept-encoding': 'gzip' } });
      await res.body.arrayBuffer();
      if (i >= 5) (times[k] ??= []).push(performance.now() - t);
    }
    // all five together
    const t = performance.now();
    await Promise.all(['health', 'state', 'nodesInfo', 'nodesStats', 'settings'].map(async (k) => { const res = await request(url((reqs as never)[k]), { headers: { 'accept-encoding': 'gzip' } }); await res.body.arrayBuffer(); }));
    if (i >= 5) (times['ALL5'] ??= []).push(performance.now() - t);
  }
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
  for (const [k, v] of Object.entries(times)) console.log(k.padEnd(22), med(v).toFixed(1));
  console.log('ES', base);
  if (!process.env.TEST_ES_URL) await cluster.stop();
}
void main();
