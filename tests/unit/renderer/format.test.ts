import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatDate, formatTime } from '../../../renderer/lib/format';

describe('formatCount', () => {
  it('groups thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -1_234_567, 2 ** 53]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });
  it('rounds to a whole number first', () => {
    expect(formatCount(1234.5)).toBe('1,235');
    expect(formatCount(999.4)).toBe('999');
    expect(formatCount(-0.2)).toBe('0');
  });
  it('answers a dash for what is not a number', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(Number.NaN)).toBe('—');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('—');
  });
  it('keeps huge figures readable', () => {
    expect(formatCount(1e21)).toBe((1e21).toLocaleString('en-US'));
  });
});

describe('formatDate and formatClock', () => {
  it('write a local date as formatTime does and the time of day on the 24-hour clock', () => {
    const t = new Date(2026, 11, 7, 14, 5, 9).getTime();
    expect(formatDate(t)).toBe('2026-12-07');
    expect(formatClock(t)).toBe('14:05');
    expect(formatTime(new Date(t).toISOString())).toBe(`${formatDate(t)} ${formatClock(t)}:09`);
    expect(formatClock(new Date(2026, 0, 1, 0, 0).getTime())).toBe('00:00');
    expect(formatDate(null)).toBe('—');
    expect(formatClock(Number.NaN)).toBe('—');
  });
});
