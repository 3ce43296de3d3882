/**
 * The Prometheus text exposition format, version 0.0.4 (pure): metric families with `# HELP` and
 * `# TYPE`, one sample per line, label values escaped (backslash, double quote, newline), HELP text
 * escaped (backslash, newline), other control and bidi characters shown as visible escapes, and a
 * final newline. No sample timestamps: node_exporter's textfile collector refuses files that carry
 * them.
 */
import { escapeForTerminal } from '../text/text-safety';

/** One sample: its labels (in the order given) and its value. */
export interface Sample {
  labels: ReadonlyArray<readonly [string, string]>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'untyped';
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// What the format escapes itself, and what text-safety.ts calls unsafe (control and bidi characters).
const LABEL_SPECIAL = /[\\"\n\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const HELP_SPECIAL = /[\\\n\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * One special character: the format's own escapes for backslash, double quote and newline; any
 * other control or bidi character (an Elasticsearch node name is anyone's text) as the visible
 * escape a terminal shows (`\x0d`, its backslash escaped), since the format has no escape for it:
 * a raw CR makes parsers refuse the file, and an ESC would run in the terminal that prints it.
 */
function escapeSpecial(c: string): string {
  if (c === '\\') return '\\\\';
  if (c === '"') return '\\"';
  if (c === '\n') return '\\n';
  return escapeForTerminal(c).replace(/\\/g, '\\\\');
}

/** A label value as the format writes it between double quotes. */
export function escapeLabelValue(value: string): string {
  return value.replace(LABEL_SPECIAL, escapeSpecial);
}

/** HELP text: backslash and newline escaped (double quotes stay as they are), other controls made visible. */
export function escapeHelp(text: string): string {
  return text.replace(HELP_SPECIAL, escapeSpecial);
}

/** A sample value: integers as they are, `+Inf`, `-Inf`, `NaN`, else the shortest round-trip decimal. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * The text of a set of families. Families without samples are left out (a HELP with no sample tells a
 * scraper nothing); a bad metric or label name is a programming error and throws.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of families) {
    if (!METRIC_NAME.test(f.name)) throw new Error(`not a Prometheus metric name: ${f.name}`);
    if (seen.has(f.name)) throw new Error(`metric family ${f.name} given twice`);
    seen.add(f.name);
    if (f.samples.length === 0) continue;
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      for (const [k] of s.labels) {
        if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`not a Prometheus label name: ${k}`);
      }
      const labels =
        s.labels.length === 0 ? '' : `{${s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
      lines.push(`${f.name}${labels} ${formatSampleValue(s.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
