/**
 * The labels on the plot (one per line, where the line ends in view), so a line is named where it is
 * drawn, not only by its colour. Pure placement, then a small DOM overlay kept by the chart.
 */

/** Height of one label, in CSS pixels (history.css sets the same line height). */
export const LABEL_HEIGHT = 16;

/**
 * Label tops as close to the wanted ones as they can be without two overlapping (at least `h`
 * apart), all inside [0, height - h]. Returned in the order given.
 */
export function spreadLabels(wanted: readonly number[], h: number, height: number): number[] {
  const order = wanted.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const tops = order.map((o) => o.y);
  for (let k = 0; k < tops.length; k++) tops[k] = Math.max(tops[k]!, k === 0 ? 0 : tops[k - 1]! + h);
  for (let k = tops.length - 1; k >= 0; k--)
    tops[k] = Math.min(tops[k]!, k === tops.length - 1 ? height - h : tops[k + 1]! - h);
  for (let k = 0; k < tops.length; k++) tops[k] = Math.max(tops[k]!, k === 0 ? 0 : tops[k - 1]! + h);
  const out = new Array<number>(wanted.length);
  order.forEach((o, k) => (out[o.i] = tops[k]!));
  return out;
}

/** The last index in [from, to] where `values` has a number, or -1. */
export function lastValueIn(values: readonly (number | null)[], from: number, to: number): number {
  for (let i = Math.min(to, values.length - 1); i >= Math.max(0, from); i--) if (values[i] != null) return i;
  return -1;
}
