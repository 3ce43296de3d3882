// Types for parse-prometheus-text-format 1.1.1 (ships none): prom2json-shaped families.
declare module 'parse-prometheus-text-format' {
  export interface ParsedMetric {
    value: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
  }
  export interface ParsedFamily {
    name: string;
    help: string;
    type: 'GAUGE' | 'COUNTER' | 'UNTYPED' | 'SUMMARY' | 'HISTOGRAM';
    metrics: ParsedMetric[];
  }
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
