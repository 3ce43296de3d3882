/** A mark on a meter bar (disk watermark, limit). Kept apart from the component so pure code can use it. */
export interface MeterMarker {
  /** Position as a fraction of the bar, 0..1. */
  at: number;
  label: string;
  kind: 'low' | 'high' | 'flood' | 'limit';
}
