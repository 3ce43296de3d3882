/**
 * A strict line grammar of the Prometheus text exposition format 0.0.4, for tests: the npm parser
 * (parse-prometheus-text-format) is lenient about some things the format forbids (a family's samples
 * split by another family, a TYPE after samples, a missing final newline, duplicate series), so the
 * tests check both. Returns the problems found, empty when the text is valid.
 */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
// A label value: any character but backslash, double quote and newline, or one of the three escapes.
const VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABELS = `\\{(?:${LABEL}=${VALUE}(?:,${LABEL}=${VALUE})*,?)?\\}`;
const NUMBER = '(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (${NUMBER})$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

export function expositionProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('no final newline');
  const lines = text.split('\n').slice(0, -1);
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  let sampled = false;
  lines.forEach((line, i) => {
    const at = `line ${i + 1}: ${line}`;
    let m: RegExpExecArray | null;
    if ((m = HELP.exec(line)) || (m = TYPE.exec(line))) {
      const name = m[1]!;
      if (name !== current) {
        if (current !== null) finished.add(current);
        if (finished.has(name)) problems.push(`${at}: family ${name} appears twice`);
        current = name;
        sampled = false;
      } else if (sampled) problems.push(`${at}: HELP/TYPE after the family's samples`);
    } else if ((m = SAMPLE.exec(line))) {
      const name = m[1]!;
      if (name !== current) problems.push(`${at}: sample outside its family's HELP/TYPE block`);
      sampled = true;
      const key = `${name}${m[2] ?? ''}`;
      if (series.has(key)) problems.push(`${at}: duplicate series`);
      series.add(key);
    } else {
      problems.push(`${at}: not a HELP, TYPE or sample line`);
    }
  });
  return problems;
}
