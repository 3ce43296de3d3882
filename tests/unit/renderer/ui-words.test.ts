/**
 * The window speaks the window's words: no tenantctl flag or command, no raw zod text, in anything
 * the renderer can show. Two sources of such text, both scanned:
 *   - the code itself: every string and JSX text of the renderer and of the shared modules it loads,
 *     and of main's services behind the contract's calls (their messages reach the window as errors);
 *   - the messages made at run time: every contract call refused for its arguments (dispatch), the
 *     instance form's and the New tenant form's own checks with the contract's schemas.
 * tenantctl keeps its flags: it words remedies and secret homes itself (main/cli).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { contract, type CallName } from '../../../shared/contract/contract';
import { dispatch, type Handlers } from '../../../main/transport/dispatch';
import { emptyFormValues, validateInstanceForm } from '../../../renderer/features/instances/instance-form-model';
import { UI_REMEDIES } from '../../../renderer/lib/remedies';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** What the window must never say, each with why. */
const FORBIDDEN: [RegExp, string][] = [
  [/(?:^|[\s("'`[,;:])--[a-z][a-z0-9-]*/, 'a CLI flag'],
  [/\btenantctl\b/, 'a tenantctl command'],
  [
    /Too big:|Too small:|expected (?:string|number|int|array|object|boolean|true|false)\b|Invalid arguments for|Invalid input|Invalid option|Unrecognized key|Invalid string/,
    'raw schema text',
  ],
];

/** A literal that is only a CSS custom property name (`--accent`) is a style, not words. */
const CSS_PROPERTY = /^--[a-z][a-z0-9-]*$/;

function offences(text: string): string[] {
  if (CSS_PROPERTY.test(text.trim())) return [];
  return FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, why]) => why);
}

/** The module files an entry loads (static and dynamic imports, type-only imports left out). */
function reachable(entries: string[], stopAt: (file: string) => boolean = () => false): string[] {
  const seen = new Set<string>();
  const queue = entries.map((e) => path.join(repo, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || stopAt(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const specifiers: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly)
        specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
      if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier)
        specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      )
        specifiers.push(node.arguments[0].text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const spec of specifiers) {
      if (!spec.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), spec);
      const found = ['.ts', '.tsx', '/index.ts', '/index.tsx', '']
        .map((ext) => base + ext)
        .find((f) => {
          try {
            return fs.statSync(f).isFile() && /\.tsx?$/.test(f);
          } catch {
            return false;
          }
        });
      if (found) queue.push(found);
    }
  }
  return [...seen].map((f) => path.relative(repo, f)).sort();
}

/** Every piece of text in a file: strings, template parts, JSX text (not module names, not types). */
function texts(file: string): { line: number; text: string }[] {
  const full = path.join(repo, file);
  const source = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isLiteralTypeNode(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    ) {
      const isModuleName =
        ts.isCallExpression(node.parent) && node.parent.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (!isModuleName)
        out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** `file:line: why: "text"` for each text of the files the window must not show. */
function scan(files: string[]): string[] {
  return files.flatMap((file) =>
    texts(file).flatMap(({ line, text }) =>
      offences(text).map((why) => `${file}:${line}: ${why}: ${JSON.stringify(text.slice(0, 120))}`),
    ),
  );
}

const RENDERER_FILES = reachable(['renderer/main.ts', 'renderer/root.tsx', 'renderer/screens.tsx']);
// What main answers the window with: the contract's handlers and the services behind them (not the CLI).
const MAIN_FILES = reachable(['main/handlers.ts', 'main/core.ts', 'main/transport/dispatch.ts'], (f) =>
  f.includes(`${path.sep}main${path.sep}cli${path.sep}`),
);

describe('the window’s words in the code', () => {
  it('finds the renderer, the shared modules it loads and the services behind the contract', () => {
    expect(RENDERER_FILES).toEqual(
      expect.arrayContaining([
        'renderer/features/instances/instance-form.tsx',
        'renderer/features/new-tenant/new-tenant-form.tsx',
        'shared/instances/instance.ts',
        'shared/contract/contract.ts',
      ]),
    );
    expect(MAIN_FILES).toEqual(
      expect.arrayContaining([
        'main/services/tenants/preview.ts',
        'main/services/keychain.ts',
        'shared/errors/errors.ts',
      ]),
    );
    expect(MAIN_FILES.some((f) => f.startsWith('main/cli/'))).toBe(false);
  });

  it('no text the renderer can show names a CLI flag, a tenantctl command or raw schema text', () => {
    expect(scan(RENDERER_FILES)).toEqual([]);
  });

  it('no message main can send the window names a CLI flag, a tenantctl command or raw schema text', () => {
    expect(scan(MAIN_FILES)).toEqual([]);
  });

  it('the window words every remedy without tenantctl', () => {
    for (const words of Object.values(UI_REMEDIES)) expect(offences(words)).toEqual([]);
  });

  it('the scan sees each kind (it can fail)', () => {
    expect(offences('put the user in the username field (tenantctl: --es-user)')).toEqual([
      'a CLI flag',
      'a tenantctl command',
    ]);
    expect(offences('Give --force to delete it anyway.')).toEqual(['a CLI flag']);
    expect(offences('Too big: expected string to have <=80 characters')).toEqual(['raw schema text']);
    expect(offences('Invalid arguments for tenants.adopt: domain: Invalid input')).toEqual(['raw schema text']);
    expect(offences('--accent')).toEqual([]);
    expect(offences('-----BEGIN CERTIFICATE-----')).toEqual([]);
  });
});

/** Arguments that break each rule of a call's schema: wrong types, too long, missing, unknown keys. */
function badArgs(name: CallName): unknown[] {
  const schema = contract[name].args as unknown as { shape?: Record<string, unknown> };
  const keys = Object.keys(schema.shape ?? {});
  const out: unknown[] = [null, 'text', { unknownField: 1 }];
  for (const key of keys) {
    for (const value of [null, 12, 'x'.repeat(100_000), -1, 1.5, [], { nested: true }, true, ''])
      out.push({ [key]: value });
  }
  return out;
}

describe('the window’s words at run time', () => {
  const handlers = new Proxy({} as Handlers, {
    get: () => async () => {
      throw new Error('reached a handler: these arguments should have been refused');
    },
  });

  it('a call refused for its arguments says what is wrong in the window’s words', async () => {
    const seen: string[] = [];
    for (const name of Object.keys(contract) as CallName[]) {
      for (const args of badArgs(name)) {
        const answer = await dispatch(handlers, name, args);
        if (answer.ok || answer.error.code !== 'validation') continue;
        seen.push(answer.error.message);
        expect(offences(answer.error.message), `${name} ${JSON.stringify(args).slice(0, 80)}`).toEqual([]);
      }
    }
    expect(seen.length).toBeGreaterThan(200);
    expect(seen.filter((m) => m.includes('the API domain: at most 300 characters')).length).toBeGreaterThan(0);
    if (process.env.SHOW_WORDS) console.log([...new Set(seen)].slice(0, 400).join('\n'));
  });

  it('the instance form words its checks for the window', () => {
    const values = {
      ...emptyFormValues(),
      id: 'eu1',
      name: 'N'.repeat(81),
      apiUrl: 'https://api.eu1.example.com',
      tenantDomainSuffix: 'eu1.example.com',
      tmsUrl: 'https://admin:secret@tms.eu1.example.com',
      esNodes: 'https://elastic:secret@es.eu1.example.com:9200',
      footprintIndexShards: '999',
    };
    const result = validateInstanceForm(values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['esNodes', 'footprintIndexShards', 'name', 'tmsUrl']);
    for (const message of Object.values(result.errors)) expect(offences(message!)).toEqual([]);
    expect(result.errors.name).toBe('at most 80 characters');
  });
});
