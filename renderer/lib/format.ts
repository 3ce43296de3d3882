/** Display helpers: sizes, percentages, times. Pure. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** 0.8512 → "85.1 %". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(ratio >= 0.1 ? 1 : 2)} %`;
}

/**
 * 12345 → "12,345", grouped by hand: the first `toLocaleString` of a page loads the ICU number
 * formatting data, some 40 ms of a cold first render on a 2-core machine (bench/ui.ts).
 */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const whole = Math.round(n);
  if (Math.abs(whole) >= 1e21) return whole.toLocaleString('en-US'); // String() would give "1e+21"
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** ISO time → "2025-11-28 06:54:01" in local time. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO time → "3 min ago" relative to `now`. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Ratio used/total clamped to [0, 1]; null when unknown. */
export function ratio(used: number | null | undefined, total: number | null | undefined): number | null {
  if (used === null || used === undefined || !total || !Number.isFinite(used) || !Number.isFinite(total)) return null;
  return Math.min(1, Math.max(0, used / total));
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Milliseconds since the epoch → "2025-11-28", the local date (as formatTime writes it). */
export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Milliseconds since the epoch → "06:54", the local time of day on the 24-hour clock. */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}
