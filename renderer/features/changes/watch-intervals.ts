/** The watch intervals an operator picks from (Changes and Settings), and how each reads. */

export const INTERVALS = [5, 10, 15, 30, 60, 120, 240, 480, 1440];

export function intervalLabel(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? 'every hour' : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

/** The choices, with the stored interval among them when it is not one of the usual ones. */
export function intervalOptions(current: number | undefined): { value: string; label: string }[] {
  const all =
    current !== undefined && !INTERVALS.includes(current) ? [...INTERVALS, current].sort((a, b) => a - b) : INTERVALS;
  return all.map((m) => ({ value: String(m), label: intervalLabel(m) }));
}
