/**
 * Product code carries no test hooks: no environment variable can make a production build crash,
 * skip or fake a step. Faults reach services through their dependencies (see
 * tests/support/crash-after-step.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(repo, dir), { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() && /\.(ts|tsx|mjs|js)$/.test(e.name) ? [path.join(e.parentPath, e.name)] : []));
}

describe('product code', () => {
  const files = ['main', 'shared', 'renderer', 'bin'].flatMap(sources);

  it('reads no TENANT_CONSOLE_TEST_* variable and never kills its own process', () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return /TENANT_CONSOLE_TEST_/.test(text) || /process\.kill\(\s*process\.pid/.test(text);
    });
    expect(offenders.map((f) => path.relative(repo, f))).toEqual([]);
  });
});
