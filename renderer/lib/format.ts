/**
 * Display helpers: counts, decimals, byte sizes, percentages, durations, dates and times, written one
 * way on every screen: Intl in the operator's locale, times on a 24-hour clock unless the operator
 * asks for 12 (`setFormatPreferences`). Screens call these, never toLocaleString or toFixed.
 *
 * The formatters are made on first use and kept. A page's first Intl call loads ICU's locale data
 * (20-40 ms cold in Chromium): counts in the common English locales are grouped without it until then
 * (the same text), so the Tenants screen's first render does not pay it.
 */

export interface FormatPreferences {
  /** BCP 47 tag; undefined: the operator's locale (the browser's or Electron's). */
  locale?: string | undefined;
  /** 12-hour times ("2:05:09 PM"); the default is the 24-hour clock. */
  hour12?: boolean | undefined;
}

let prefs: FormatPreferences = {};
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** Set the locale and the clock every helper writes with (the Settings screen's choice). */
export function setFormatPreferences(next: FormatPreferences): void {
  prefs = { ...next };
  cache.clear();
}

/** The locale the helpers write in (resolved: what Intl actually uses). */
export function formatLocale(): string {
  return numbers(0).resolvedOptions().locale;
}

function numbers(min: number, max = min, style: 'decimal' | 'percent' = 'decimal'): Intl.NumberFormat {
  const key = `n${style}${min}-${max}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(prefs.locale, { style, minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, f);
  }
  return f;
}

type DateParts = 'date' | 'time' | 'date-time' | 'minute';
const DATE_OPTIONS: Record<DateParts, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'short' },
  'date-time': { dateStyle: 'medium', timeStyle: 'medium' },
  minute: { dateStyle: 'medium', timeStyle: 'short' },
};

function dates(parts: DateParts): Intl.DateTimeFormat {
  const key = `d${parts}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const clock: Intl.DateTimeFormatOptions = parts === 'date' ? {} : { hourCycle: prefs.hour12 ? 'h12' : 'h23' };
    f = new Intl.DateTimeFormat(prefs.locale, { ...DATE_OPTIONS[parts], ...clock });
    cache.set(key, f);
  }
  return f;
}

const DASH = '—';
const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * English locales that write a whole number "1,234,567", as Intl does for them (a unit test holds
 * the two equal). Their counts are grouped here until Intl is in use: the Tenants screen's first
 * render writes only counts, and a page's first Intl call would load ICU's data inside it.
 */
const PLAIN_GROUPING = /^en(-(US|GB|AU|CA|NZ|IE))?$/i;

function operatorLocale(): string | undefined {
  return prefs.locale ?? (globalThis as { navigator?: { language?: string } }).navigator?.language;
}

/** 12345 → "12,345" (en-US), "12.345" (de): a whole number, grouped as the locale groups. */
export function formatCount(n: number | null | undefined): string {
  if (!finite(n)) return DASH;
  // Math.round(-0.2) is -0, which Intl writes "-0".
  const whole = Math.round(n) || 0;
  if (!cache.has('ndecimal0-0') && Math.abs(whole) < 1e21 && PLAIN_GROUPING.test(operatorLocale() ?? ''))
    return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
  return numbers(0).format(whole);
}

/** 1.456 → "1.5": a figure with up to `fractionDigits` decimals (trailing zeros dropped). */
export function formatDecimal(n: number | null | undefined, fractionDigits = 1): string {
  if (!finite(n)) return DASH;
  return numbers(0, fractionDigits).format(n);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB": binary units, three significant figures at most. */
export function formatBytes(bytes: number | null | undefined): string {
  if (!finite(bytes)) return DASH;
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${numbers(digits).format(value)} ${UNITS[unit]}`;
}

/** 0.8512 → "85.1%" (en-US), "85,1 %" (de): one decimal, two below 10 %. */
export function formatPercent(ratio: number | null | undefined): string {
  if (!finite(ratio)) return DASH;
  const digits = Math.abs(ratio) >= 0.1 ? 1 : 2;
  return numbers(digits, digits, 'percent').format(ratio);
}

/** 340 → "340 ms", 2500 → "2.5 s", 190000 → "3.2 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  if (Math.abs(ms) < 1000) return `${formatCount(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${formatDecimal(ms / 1000)} s`;
  if (Math.abs(ms) < 3_600_000) return `${formatDecimal(ms / 60_000)} min`;
  return `${formatDecimal(ms / 3_600_000)} h`;
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** ISO time (or epoch ms) → "Dec 7, 2026, 14:05:09": date and time of day, local time. */
export function formatTime(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' && value ? value : DASH;
  return dates('date-time').format(d);
}

/** Date and time to the minute ("Dec 7, 2026, 14:05"): chart axes and hourly tables. */
export function formatMinute(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' && value ? value : DASH;
  return dates('minute').format(d);
}

/** ISO time (or epoch ms) → "Dec 7, 2026": the day only, local time. */
export function formatDate(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' && value ? value : DASH;
  return dates('date').format(d);
}

/** ISO time (or epoch ms) → "14:05": the time of day to the minute, local time (chart axes). */
export function formatClock(value: string | number | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return typeof value === 'string' && value ? value : DASH;
  return dates('time').format(d);
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
  return `${formatCount(Math.round(h / 24))} days ago`;
}

/** `count` and the noun in singular or plural: plural(1, 'instance') → "1 instance", plural(3, 'entry', 'entries'). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${Math.round(count) === 1 ? one : many}`;
}

/** Ratio used/total clamped to [0, 1]; null when unknown. */
export function ratio(used: number | null | undefined, total: number | null | undefined): number | null {
  if (used === null || used === undefined || !total || !Number.isFinite(used) || !Number.isFinite(total)) return null;
  return Math.min(1, Math.max(0, used / total));
}
