/**
 * Cluster settings (pure, unit-tested): flattening, Elasticsearch's precedence of transient,
 * persistent and defaults, and cached defaults after settings changed.
 */
import type { CapacitySnapshot } from '../../../shared/capacity/capacity';
import type { RawCapacity } from './replies';

/** Nested settings JSON → dotted keys (`{watermark: {"low.max_headroom": x}}` → `watermark.low.max_headroom`). */
export function flattenSettings(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenSettings(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out[prefix] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

/** The shard limit per node, and the disk watermarks as the snapshot reports them. */
export type EffectiveSettings = CapacitySnapshot['watermarks'] & { maxShardsPerNode: number };

const WM = 'cluster.routing.allocation.disk.watermark';

/**
 * The settings Elasticsearch applies. Precedence is Elasticsearch's own: transient over persistent
 * over the defaults section (which include_defaults fills with elasticsearch.yml values, then the
 * built-in defaults).
 */
export function effectiveSettings(raw: RawCapacity['settings']): EffectiveSettings {
  const layers = [flattenSettings(raw.transient), flattenSettings(raw.persistent), flattenSettings(raw.defaults)];
  const get = (key: string): string | undefined => {
    for (const layer of layers) if (layer[key] !== undefined) return layer[key];
    return undefined;
  };
  const out: EffectiveSettings = {
    maxShardsPerNode: Number(get('cluster.max_shards_per_node') ?? '1000'),
    thresholdEnabled: (get('cluster.routing.allocation.disk.threshold_enabled') ?? 'true') !== 'false',
    low: get(`${WM}.low`) ?? '85%',
    high: get(`${WM}.high`) ?? '90%',
    floodStage: get(`${WM}.flood_stage`) ?? '95%',
  };
  const lowH = get(`${WM}.low.max_headroom`);
  const highH = get(`${WM}.high.max_headroom`);
  const floodH = get(`${WM}.flood_stage.max_headroom`);
  if (lowH !== undefined) out.lowMaxHeadroom = lowH;
  if (highH !== undefined) out.highMaxHeadroom = highH;
  if (floodH !== undefined) out.floodStageMaxHeadroom = floodH;
  return out;
}

/** The settings explicitly set (persistent or transient), as one comparable string. */
export function explicitKeys(raw: RawCapacity['settings']): string {
  return [...new Set([...Object.keys(flattenSettings(raw.transient)), ...Object.keys(flattenSettings(raw.persistent))])]
    .sort()
    .join(',');
}

/**
 * Cached defaults adjusted for watermarks set or removed since they were read. Elasticsearch's
 * default for a watermark's max_headroom depends on whether the watermark itself is set: -1 when it
 * is, the built-in cap (8.5+: 200GB, 150GB, 100GB) when not. A watermark set since: its headroom is
 * -1. A watermark removed since: the cap is unknown until the defaults are read again, so none is
 * assumed (the stricter reading: a ratio watermark without a cap demands more free space).
 */
export function defaultsAfterChange(
  defaults: Record<string, string>,
  raw: RawCapacity['settings'],
): Record<string, string> {
  const explicit = new Set([
    ...Object.keys(flattenSettings(raw.transient)),
    ...Object.keys(flattenSettings(raw.persistent)),
  ]);
  const out = { ...defaults };
  for (const w of ['low', 'high', 'flood_stage']) {
    const headroom = `${WM}.${w}.max_headroom`;
    if (explicit.has(headroom)) continue;
    if (explicit.has(`${WM}.${w}`)) out[headroom] = '-1';
    else if (out[headroom] === '-1') delete out[headroom];
  }
  return out;
}
