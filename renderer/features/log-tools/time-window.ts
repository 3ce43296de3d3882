/** "Since" choices of the Changes and Audit screens (as Grafana's time picker offers), pure. */

export const TIME_WINDOWS = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number]['value'];

/** The window a parameter names, or '' (any time) for anything else. */
export function timeWindow(value: string | undefined): TimeWindow | '' {
  return TIME_WINDOWS.find((w) => w.value === value)?.value ?? '';
}

/** The earliest time (ms) a window lets through at `now`; null for any time. */
export function windowStart(window: TimeWindow | '', now: number): number | null {
  const w = TIME_WINDOWS.find((x) => x.value === window);
  return w ? now - w.ms : null;
}

export const TIME_WINDOW_OPTIONS = TIME_WINDOWS.map(({ value, label }) => ({ value, label }));
