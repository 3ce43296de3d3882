import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../renderer/lib/format';

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
