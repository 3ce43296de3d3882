/**
 * Every number, size, date and time a screen shows goes through renderer/lib/format.ts (Intl, the
 * operator's locale, 24-hour clock by default): no screen writes one with toLocaleString, toFixed,
 * its own Intl formatter, a sliced ISO string or a 12-hour clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FORMAT_MODULE = path.join('renderer', 'lib', 'format.ts');

/** What writes a figure or a time around the format helpers, each with why it is refused. */
const RAW_FORMATTING: [RegExp, string][] = [
  [/\.toLocale(?:Date|Time)?String\(/, 'toLocaleString: format.ts writes numbers and times'],
  [/\.toFixed\(|\.toPrecision\(/, 'toFixed/toPrecision: an ungrouped figure in no locale'],
  [/\bnew Intl\.|\bIntl\.(?:NumberFormat|DateTimeFormat|RelativeTimeFormat)\(/, 'an Intl formatter of its own'],
  [/toISOString\(\)\s*\.(?:slice|substring|substr|split)\(/, 'a sliced ISO time: not the locale, not local time'],
  [/\.get(?:UTC)?(?:Hours|Minutes|Seconds|FullYear|Month|Date)\(\)/, 'a time put together by hand'],
  [/hour12\s*:\s*true|hourCycle\s*:\s*['"]h1[12]['"]|\b(?:AM|PM)\b['"`]/, 'a 12-hour clock'],
];

function rendererSources(): string[] {
  return fs
    .readdirSync(path.join(repo, 'renderer'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(repo, path.join(e.parentPath, e.name)))
    .filter((file) => file !== FORMAT_MODULE);
}

/** The code of a file without its comments (a comment may name what it avoids). */
function code(file: string): string[] {
  return fs
    .readFileSync(path.join(repo, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => line.replace(/(^|[^:'"`])\/\/.*$/, '$1'));
}

/** `file:line: why` for each line of the renderer that formats a figure or a time by itself. */
export function rawFormatting(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    code(file).forEach((line, i) => {
      for (const [pattern, why] of RAW_FORMATTING) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${why}`);
    });
  }
  return found;
}

describe('renderer formatting', () => {
  it('writes every figure, date and time through renderer/lib/format.ts', () => {
    const files = rendererSources();
    expect(files.length).toBeGreaterThan(60);
    expect(rawFormatting(files)).toEqual([]);
  });

  it('the scan finds each kind of raw formatting (it can fail)', () => {
    const dir = fs.mkdtempSync(path.join(repo, 'renderer', '.scan-probe-'));
    try {
      const probe = path.join(dir, 'probe.tsx');
      fs.writeFileSync(
        probe,
        [
          'const a = n.toLocaleString();',
          'const b = (x * 100).toFixed(1);',
          "const c = new Intl.NumberFormat('en').format(n);",
          'const d = new Date(t).toISOString().slice(0, 10);',
          'const e = `${d.getHours()}:${d.getMinutes()}`;',
          'const f = { hour12: true };',
          '// n.toFixed(2) in a comment is fine',
        ].join('\n'),
      );
      const found = rawFormatting([path.relative(repo, probe)]);
      expect(found.map((f) => f.replace(/^.*probe\.tsx:/, ''))).toEqual([
        '1: toLocaleString: format.ts writes numbers and times',
        '2: toFixed/toPrecision: an ungrouped figure in no locale',
        '3: an Intl formatter of its own',
        '4: a sliced ISO time: not the locale, not local time',
        '5: a time put together by hand',
        '6: a 12-hour clock',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
