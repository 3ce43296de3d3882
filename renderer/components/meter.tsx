/**
 * A horizontal bar for "used of total", with optional markers (disk watermarks, shard limit).
 * Exposed as role=meter with its value in words; the markers are described in the value text.
 */
import { formatPercent } from '../lib/format';
import type { MeterMarker } from '../lib/meter-model';

export type { MeterMarker };

export interface MeterProps {
  /** The meter's accessible name; shown above the bar unless `showLabel` is false (a column heading says it). */
  label: string;
  showLabel?: boolean;
  /** Fraction filled, 0..1; null when unknown. */
  value: number | null;
  /** What the bar says in words, e.g. "612 of 1,000 shards". */
  text: string;
  markers?: MeterMarker[];
  /** Colour thresholds on `value` when there are no markers. */
  warnAt?: number;
  dangerAt?: number;
}

function level(
  value: number | null,
  markers: MeterMarker[],
  warnAt: number,
  dangerAt: number,
): 'ok' | 'warn' | 'danger' | 'unknown' {
  if (value === null) return 'unknown';
  const low = markers.find((m) => m.kind === 'low')?.at;
  const high = markers.find((m) => m.kind === 'high')?.at;
  if (high !== undefined && value >= high) return 'danger';
  if (low !== undefined && value >= low) return 'warn';
  if (low !== undefined || high !== undefined) return 'ok';
  return value >= dangerAt ? 'danger' : value >= warnAt ? 'warn' : 'ok';
}

export function Meter({
  label,
  showLabel = true,
  value,
  text,
  markers = [],
  warnAt = 0.75,
  dangerAt = 0.9,
}: MeterProps) {
  const lvl = level(value, markers, warnAt, dangerAt);
  const pct = value === null ? 0 : Math.round(value * 1000) / 10;
  const markerText = markers.map((m) => `${m.label} at ${formatPercent(m.at)}`).join(', ');
  return (
    <div className="meter-wrap">
      <div className="meter-caption">
        {showLabel ? <span className="meter-label">{label}</span> : null}
        <span className="meter-text">{text}</span>
      </div>
      <div
        className={`meter meter-${lvl}`}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value === null ? undefined : pct}
        aria-valuetext={markerText ? `${text}; ${markerText}` : text}
      >
        <div className="meter-fill" style={{ width: `${pct}%` }} />
        {markers.map((m) => (
          <span
            key={m.kind}
            className={`meter-marker marker-${m.kind}`}
            style={{ left: `${Math.min(100, m.at * 100)}%` }}
            title={`${m.label} ${formatPercent(m.at)}`}
          />
        ))}
      </div>
    </div>
  );
}
