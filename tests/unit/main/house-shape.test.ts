/**
 * The house's shape, checked on every run: no import circles anywhere in the product (a file never
 * reaches itself through its imports, type-only imports included), and shared/ grouped by
 * capability as main/services/ is: one folder a capability, no loose module at its top.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(repo, dir), { withFileTypes: true, recursive: true })
    .flatMap((e) =>
      e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [path.relative(repo, path.join(e.parentPath, e.name))]
        : [],
    );
}

// import … from './x', export … from './x', import('./x'): every relative specifier.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;

/** Each file's relative imports, resolved to repository paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(repo, file), 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(SPECIFIER)) {
      const base = path.normalize(path.join(path.dirname(file), m[2]!));
      const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => known.has(c));
      if (hit) deps.add(hit);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** The strongly connected components of more than one file (Tarjan): the import circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('house shape', () => {
  const files = ['shared', 'main', 'renderer'].flatMap(sources);

  it('finds a circle when there is one (the check itself)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importGraph(['shared/team/registry.ts']).get('shared/team/registry.ts')).toEqual([]);
  });

  it('has no import circle in shared/, main/ or renderer/', () => {
    expect(files.length).toBeGreaterThan(200);
    const graph = importGraph(files);
    // The graph is real: the contract reaches the tenant schemas, the core reaches the services.
    expect(graph.get('shared/contract/contract.ts')).toContain('shared/tenants/tenant.ts');
    expect(circles(graph)).toEqual([]);
  });

  it('groups shared/ by capability: folders only, each with modules', () => {
    const top = fs.readdirSync(path.join(repo, 'shared'), { withFileTypes: true });
    const loose = top.filter((e) => e.isFile() && e.name !== 'globals.d.ts').map((e) => e.name);
    expect(loose).toEqual([]);
    const folders = top.filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.length).toBeGreaterThanOrEqual(6);
    for (const folder of folders) expect(sources(`shared/${folder}`).length, folder).toBeGreaterThan(0);
  });
});
