// `tenantctl capacity --format prometheus`: the text is read back with a real parser of the format
// (parse-prometheus-text-format, a port of the Prometheus Python client's parser) and checked against
// a strict line grammar (tests/support/exposition-grammar.ts), since the parser forgives some faults.
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { CapacityOutcome } from '../../../shared/capacity/capacity';
import { capacityMetrics } from '../../../shared/capacity/capacity-metrics';
import { escapeLabelValue, renderExposition } from '../../../shared/capacity/prometheus';
import { expositionProblems } from '../../support/exposition-grammar';
import { GiB, snapshot } from '../fixtures/capacity-snapshot';
import { TEST_INPUTS } from '../fixtures/forecast-inputs';

const RUN_AT = Date.parse('2026-12-02T12:00:05.000Z');

function sampleOf(families: ParsedFamily[], name: string, labels: Record<string, string>): number | undefined {
  const f = families.find((x) => x.name === name);
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m === undefined ? undefined : Number(m.value);
}

describe('capacity metrics in the text exposition format', () => {
  const healthy = snapshot({ id: 'eu1', dataNodes: 2, openShards: 150, tenantBytes: [GiB, 3 * GiB] });
  // Untrusted text in labels: a node name with a quote, a backslash and a newline.
  healthy.nodes[1]!.name = 'es "2"\\\nforged 1';
  const outcomes: CapacityOutcome[] = [
    { ok: true, snapshot: healthy },
    { ok: false, instanceId: 'us1', error: { code: 'es-timeout', message: 'no answer in 5000 ms' } },
  ];
  const names = new Map([
    ['eu1', { name: 'EU "one"', version: '0.9.x' }],
    ['us1', { name: 'US 1', version: '0.8.x' }],
  ]);
  const text = capacityMetrics(outcomes, names, RUN_AT);
  const families = parsePrometheusTextFormat(text);

  it('is valid 0.0.4 text: the strict grammar finds nothing, the parser reads every family', () => {
    expect(expositionProblems(text)).toEqual([]);
    expect(text.endsWith('\n')).toBe(true);
    expect(families.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'tracardi_console_up',
        'tracardi_console_es_shards_open',
        'tracardi_console_es_shards_limit',
        'tracardi_console_es_disk_used_bytes',
        'tracardi_console_es_disk_total_bytes',
        'tracardi_console_es_disk_watermark_bytes',
        'tracardi_console_es_heap_used_bytes',
        'tracardi_console_es_indices',
        'tracardi_console_tenants',
        'tracardi_console_tenants_fit',
        'tracardi_console_months_to_shard_limit',
        'tracardi_console_snapshot_timestamp_seconds',
      ]),
    );
    for (const f of families) expect(f.type).toBe('GAUGE');
    // No sample carries a timestamp: the textfile collector refuses them.
    expect(families.flatMap((f) => f.metrics).filter((m) => m.timestamp_ms !== undefined)).toEqual([]);
  });

  it('carries the snapshot figures, per instance and per data node', () => {
    const eu1 = { instance: 'eu1' };
    expect(sampleOf(families, 'tracardi_console_up', eu1)).toBe(1);
    expect(sampleOf(families, 'tracardi_console_up', { instance: 'us1' })).toBe(0);
    expect(sampleOf(families, 'tracardi_console_es_shards_open', eu1)).toBe(150);
    expect(sampleOf(families, 'tracardi_console_es_shards_limit', eu1)).toBe(2000);
    expect(sampleOf(families, 'tracardi_console_tenants', eu1)).toBe(2);
    expect(sampleOf(families, 'tracardi_console_tenants_fit', eu1)).toBe(healthy.room.room);
    expect(sampleOf(families, 'tracardi_console_tenants_fit_by_limit', { ...eu1, limit: 'disk' })).toBe(
      healthy.room.tenantsByDisk ?? -1,
    );
    expect(sampleOf(families, 'tracardi_console_months_to_shard_limit', eu1)).toBe(
      healthy.growth.monthsUntilShardLimit ?? -1,
    );
    const node0 = { ...eu1, node: 'eu1-node-0' };
    expect(sampleOf(families, 'tracardi_console_es_disk_used_bytes', node0)).toBe(healthy.nodes[0]!.diskUsedBytes);
    expect(sampleOf(families, 'tracardi_console_es_disk_watermark_bytes', { ...node0, watermark: 'flood_stage' })).toBe(
      healthy.nodes[0]!.watermarks.floodUsedBytes,
    );
    expect(sampleOf(families, 'tracardi_console_es_cluster_health', { ...eu1, status: 'green' })).toBe(1);
    expect(sampleOf(families, 'tracardi_console_snapshot_timestamp_seconds', eu1)).toBe(
      Date.parse(healthy.takenAt) / 1000,
    );
    expect(sampleOf(families, 'tracardi_console_capacity_last_run_timestamp_seconds', {})).toBe(RUN_AT / 1000);
  });

  it('a failed instance has up 0 and its info, and no stale figures', () => {
    const us1 = families.flatMap((f) => f.metrics.filter((m) => m.labels?.instance === 'us1').map(() => f.name));
    expect(us1.sort()).toEqual(['tracardi_console_instance_info', 'tracardi_console_up']);
  });

  it('shows a CR, an escape sequence and a bidi override in a node name as visible escapes, never raw', () => {
    const odd = snapshot({ id: 'eu2', dataNodes: 1, openShards: 10, tenantBytes: [GiB] });
    odd.nodes[0]!.name = 'es\r1\x1b]0;pwned\x07\u202egnp.exe\u0085';
    const out = capacityMetrics(
      [{ ok: true, snapshot: odd }],
      new Map([['eu2', { name: 'EU\r2', version: '0.9.x' }]]),
      RUN_AT,
    );
    // Nothing a terminal acts on, nothing a parser refuses: only printable text and the line ends.
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(expositionProblems(out)).toEqual([]);
    const read = parsePrometheusTextFormat(out);
    // The parser reads the escapes a terminal would show (escapeForTerminal's), not the characters.
    expect(
      sampleOf(read, 'tracardi_console_es_heap_used_bytes', {
        instance: 'eu2',
        node: 'es\\r1\\x1b]0;pwned\\x07\\u{202e}gnp.exe\\x85',
      }),
    ).toBe(odd.nodes[0]!.heapUsedBytes);
    expect(sampleOf(read, 'tracardi_console_instance_info', { instance: 'eu2', name: 'EU\\r2' })).toBe(1);
  });

  it('escapes label values per the spec; the parser reads the original text back', () => {
    expect(sampleOf(families, 'tracardi_console_instance_info', { instance: 'eu1', name: 'EU "one"' })).toBe(1);
    expect(
      sampleOf(families, 'tracardi_console_es_heap_used_bytes', { instance: 'eu1', node: 'es "2"\\\nforged 1' }),
    ).toBe(healthy.nodes[1]!.heapUsedBytes);
    // The newline in the node name did not start a line of its own.
    expect(text.split('\n').filter((l) => l.startsWith('forged'))).toEqual([]);
    expect(text).toContain('node="es \\"2\\"\\\\\\nforged 1"');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('+Inf months when nothing grows; a repeated node name gets its id', () => {
    const quiet = snapshot({ id: 'q', dataNodes: 2 });
    quiet.growth = { ...quiet.growth, newShardsPerMonth: 0, monthsUntilShardLimit: null };
    quiet.nodes[1]!.name = quiet.nodes[0]!.name;
    const out = capacityMetrics([{ ok: true, snapshot: quiet }], new Map(), RUN_AT);
    expect(expositionProblems(out)).toEqual([]);
    expect(out).toContain('tracardi_console_months_to_shard_limit{instance="q"} +Inf\n');
    expect(out).toContain('node="q-node-0 (n1)"');
  });

  it('the forecast months per limit with their source; nothing measured is absent, not a guess', () => {
    const s = snapshot({ id: 'f1' });
    const lim = (months: number | null, source: 'cluster' | 'blended' | 'none') => ({
      perMonth: 1,
      source,
      historyWeight: 0,
      headroom: 10,
      months,
      crossesAt: null,
      inputs: TEST_INPUTS,
    });
    const out = capacityMetrics(
      [
        { ok: true, snapshot: s },
        { ok: true, snapshot: snapshot({ id: 'f2' }) },
      ],
      new Map(),
      RUN_AT,
      new Map([
        ['f1', { shards: lim(7.5, 'blended'), disk: lim(null, 'cluster') }],
        ['f2', { shards: lim(3, 'none'), disk: lim(2, 'none') }],
      ]),
    );
    expect(expositionProblems(out)).toEqual([]);
    const parsed = parsePrometheusTextFormat(out);
    const name = 'tracardi_console_forecast_months_to_limit';
    // Whole months: the figure every screen shows (7.5 is 7).
    expect(sampleOf(parsed, name, { instance: 'f1', limit: 'shards', source: 'blended' })).toBe(7);
    expect(sampleOf(parsed, 'tracardi_console_months_to_shard_limit', { instance: 'f1' })).toBe(7);
    expect(
      sampleOf(parsed, 'tracardi_console_forecast_growth_per_month', {
        instance: 'f1',
        limit: 'shards',
        source: 'blended',
      }),
    ).toBe(1);
    expect(sampleOf(parsed, 'tracardi_console_forecast_headroom', { instance: 'f1', limit: 'shards' })).toBe(10);
    expect(out).toContain(`${name}{instance="f1",limit="disk_low_watermark",source="cluster"} +Inf\n`);
    expect(out).not.toContain(`${name}{instance="f2"`);
  });

  it('renderExposition refuses bad names and leaves out families without samples', () => {
    expect(() => renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/metric name/);
    expect(() =>
      renderExposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: [['__x', 'y']], value: 1 }] }]),
    ).toThrow(/label name/);
    expect(renderExposition([{ name: 'empty', help: 'h', type: 'gauge', samples: [] }])).toBe('');
  });
});

describe('the strict grammar catches what it should', () => {
  it.each([
    ['no final newline', '# TYPE a gauge\na 1'],
    ['a raw newline in a label', '# TYPE a gauge\na{x="1\n"} 1\n'],
    ['an unescaped quote', '# TYPE a gauge\na{x="a"b"} 1\n'],
    ['a split family', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\na{x="2"} 1\n'],
    ['a duplicate series', '# TYPE a gauge\na 1\na 2\n'],
  ])('%s', (_what, text) => {
    expect(expositionProblems(text).length).toBeGreaterThan(0);
  });
});
