/** Small pure helpers of the settings store: freezing, records, file names (they import nothing). */

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function timestampForFileName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
