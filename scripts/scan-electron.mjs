#!/usr/bin/env node
// Static scan of the Electron shell with electronegativity (its programmatic runner: the package's
// CLI breaks against the commander version hoisted in this tree). Scans main/electron and the
// renderer's page; fails on any finding of MEDIUM or higher severity that is not explained below.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');

/** Findings reviewed and accepted, each with the reason (also in docs/electronegativity.md). */
const EXPLAINED = {
  PRELOAD_JS_CHECK:
    'Manual review: the preload exposes exactly the contract calls over one IPC channel, nothing else (main/electron/preload.ts); main checks the sender and validates every argument.',
};

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
try {
  cpSync(path.join(root, 'main/electron'), path.join(work, 'main/electron'), { recursive: true });
  cpSync(path.join(root, 'renderer/index.html'), path.join(work, 'renderer/index.html'));
  writeFileSync(
    path.join(work, 'package.json'),
    JSON.stringify({ name: 'scan', devDependencies: { electron: require('electron/package.json').version } }),
  );
  const result = await run({
    input: work,
    output: null,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: null,
    confidenceSet: null,
    isRelative: true,
    electronVersionOverride: require('electron/package.json').version,
    parserPlugins: [],
  });
  let unexplained = 0;
  for (const issue of result.issues) {
    const severe = issue.severity.value >= 2;
    const reason = EXPLAINED[issue.id];
    const where = issue.file === 'N/A' ? 'global' : `${issue.file}:${issue.location.line}`;
    const verdict = !severe ? 'low' : reason ? 'explained' : 'UNEXPLAINED';
    if (severe && !reason) unexplained += 1;
    console.log(
      `${issue.severity.name.padEnd(13)} ${issue.id.padEnd(28)} ${where.padEnd(28)} ${verdict}${reason ? ` - ${reason}` : ''}`,
    );
  }
  console.log(
    `electronegativity: ${result.issues.length} finding(s), ${unexplained} unexplained of medium or higher severity; ${result.errors.length} parse error(s)`,
  );
  process.exit(unexplained > 0 || result.errors.length > 0 ? 1 : 0);
} finally {
  rmSync(work, { recursive: true, force: true });
}
