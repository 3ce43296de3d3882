import { describe, expect, it } from 'vitest';
import { countOf, groupDigits } from '../../../shared/text/counts';

describe('counts in main’s messages', () => {
  it('say one in the singular and group thousands', () => {
    expect(countOf(1, 'instance')).toBe('1 instance');
    expect(countOf(2, 'instance')).toBe('2 instances');
    expect(countOf(0, 'index', 'indices')).toBe('0 indices');
    expect(countOf(1000, 'tenant')).toBe('1,000 tenants');
    expect(groupDigits(1234567)).toBe('1,234,567');
    expect(groupDigits(-0.2)).toBe('0');
  });
});
