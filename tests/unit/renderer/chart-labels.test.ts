import { describe, expect, it } from 'vitest';
import { lastValueIn, spreadLabels } from '../../../renderer/features/history/chart-labels';

describe('labels on the plot', () => {
  it('labels that would overlap are spread apart, in the order given, inside the plot', () => {
    expect(spreadLabels([10, 100, 12], 16, 200)).toEqual([10, 100, 26]);
    // Near the bottom: pushed up instead of out.
    expect(spreadLabels([195, 190], 16, 200)).toEqual([184, 168]);
    // Above the top: pulled in.
    expect(spreadLabels([-30, -20], 16, 200)).toEqual([0, 16]);
    expect(spreadLabels([], 16, 200)).toEqual([]);
  });

  it('a line ends in view at its last number inside the visible indices', () => {
    expect(lastValueIn([1, 2, null, null], 0, 3)).toBe(1);
    expect(lastValueIn([null, null, 3, 4], 0, 2)).toBe(2);
    expect(lastValueIn([null, null, 3, 4], 0, 1)).toBe(-1);
  });
});
