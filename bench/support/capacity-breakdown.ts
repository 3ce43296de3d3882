/**
 * Where a capacity snapshot's time goes outside Elasticsearch, piece by piece, on the replies of
 * the bench's own cluster: decompression, JSON parsing, the checks on the replies, the per-index
 * work (grouping by tenant with the naming rules, the measured layout, the footprints), building the
 * snapshot, serialising it. Each piece alone, on one core with no I/O, median of many repetitions.
 * bench/capacity.ts prints it next to the wall-clock figures of the transports.
 */
import { gunzipSync } from 'node:zlib';
import * as capacity from '../../main/services/capacity';
import { nodesStatsSchema, readHealth, readIndexStats, settingsSchema } from '../../main/services/capacity/replies';
import type { Instance } from '../../shared/instances/instance';
import { measureLayout } from '../../shared/capacity/capacity-layout';
import { median } from './cluster';

/** The gzipped replies of one snapshot's requests, by what they are. */
export interface Bodies {
  health: Buffer;
  nodesStats: Buffer;
  settings: Buffer;
  state: Buffer;
  nodesInfo: Buffer;
  settingsWithDefaults: Buffer;
  indices: Buffer;
  dates: Buffer;
}

/** Which snapshot request a recorded path is. */
export function bodyName(path: string): keyof Bodies {
  if (path.startsWith('/_cluster/health')) return 'health';
  if (path.startsWith('/_nodes/stats')) return 'nodesStats';
  if (path.startsWith('/_cluster/settings'))
    return path.includes('include_defaults') ? 'settingsWithDefaults' : 'settings';
  if (path.startsWith('/_cluster/state')) return 'state';
  if (path.startsWith('/_nodes/')) return 'nodesInfo';
  if (path.startsWith('/_stats')) return 'indices';
  return 'dates';
}

const REPS = 60;

function time(f: () => unknown): number {
  for (let i = 0; i < 10; i++) f();
  const v: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const s = performance.now();
    f();
    v.push(performance.now() - s);
  }
  return median(v);
}

/** Each piece's median, in ms, in the order printed. */
export function breakdown(b: Bodies, instance: Instance): Array<[string, number]> {
  const text = (buf: Buffer) => gunzipSync(buf).toString();
  const steady = [b.health, b.nodesStats, b.settings];
  const steadyText = steady.map(text);
  const healthJson: unknown = JSON.parse(steadyText[0]!);
  const health = readHealth(healthJson)!;
  const stats = readIndexStats(JSON.parse(text(b.indices)))!;
  const parsed = (buf: Buffer) => JSON.parse(text(buf)) as unknown;
  const raw = {
    health,
    state: parsed(b.state) as { cluster_uuid: string },
    nodesInfo: parsed(b.nodesInfo) as { nodes: Record<string, { version: string }> },
    nodesStats: nodesStatsSchema.parse(parsed(b.nodesStats)),
    settings: settingsSchema.parse(parsed(b.settingsWithDefaults)),
    indexStats: stats,
  };
  const meta = () => ({ takenAt: new Date().toISOString(), cost: { requests: 3, bytesReceived: 1, durationMs: 1 } });
  const rows = capacity.joinIndexRows(health, stats);
  const grouping = capacity.groupIndices(rows, instance.tracardiVersion);
  const fallback = { ...instance.footprint, dataNodes: 1 };
  const out: Array<[string, number]> = [
    ['gunzip, the 3 steady replies', time(() => steady.forEach((x) => gunzipSync(x)))],
    ['JSON.parse, the 3 steady replies', time(() => steadyText.forEach((x) => JSON.parse(x)))],
    ['health listing checked (readHealth, no parse)', time(() => readHealth(healthJson))],
    [
      'zod checks (node stats, settings)',
      time(() => {
        nodesStatsSchema.parse(JSON.parse(steadyText[1]!));
        settingsSchema.parse(JSON.parse(steadyText[2]!));
      }),
    ],
    ['join with sizes (joinIndexRows)', time(() => capacity.joinIndexRows(health, stats))],
    ['group by tenant, naming rules', time(() => capacity.groupIndices(rows, instance.tracardiVersion))],
    [
      'layout (measureLayout)',
      time(() => measureLayout(grouping.layoutIndices, instance.tracardiVersion, Date.now(), fallback)),
    ],
    ['snapshot built, index work afresh', time(() => capacity.buildSnapshot(raw, instance, meta()))],
  ];
  // Only where the index work is done once per index set (since 2026-12-07).
  const memo = 'IndexWorkMemo' in capacity ? new capacity.IndexWorkMemo() : undefined;
  if (memo !== undefined) {
    capacity.buildSnapshot(raw, instance, meta(), memo);
    out.push(['snapshot built, index work reused', time(() => capacity.buildSnapshot(raw, instance, meta(), memo))]);
  }
  const snapshot = capacity.buildSnapshot(raw, instance, meta());
  out.push(['snapshot serialised (JSON.stringify)', time(() => JSON.stringify(snapshot))]);
  const sizesJson: unknown = JSON.parse(text(b.indices));
  const datesJson: unknown = JSON.parse(text(b.dates));
  out.push(
    ['cold only: gunzip+parse sizes and dates', time(() => [JSON.parse(text(b.indices)), JSON.parse(text(b.dates))])],
    [
      'cold only: sizes and dates read (no parse)',
      time(() => [readIndexStats(sizesJson), capacity.readCreationDates(datesJson)]),
    ],
  );
  return out;
}
