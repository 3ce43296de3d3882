#!/usr/bin/env bash
# The whole suite, every stage even after a failure: typecheck, lint, build (electron-vite: Electron
# main, preload, CLI, renderer; a target that does not build fails the suite, it is never replaced by a
# partial build), vitest (unit + integration in one run), then Playwright if playwright.config.ts
# exists. Ends with ONE line "N passed, N failed, N skipped": test counts from vitest's and
# Playwright's JSON reporters, plus one failure for each failed typecheck/lint/build stage and for each
# test runner that crashed without a report. Every skip reason is printed once above that line, with
# how many tests it skipped. Exit status is non-zero if anything failed or if zero tests ran. Run it through `npm test` (inside scripts/with-keychain.sh).
# Arguments go to vitest as filters: `npm test -- tests/unit` (Playwright still runs when configured).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -t 1 ]; then export NO_COLOR="${NO_COLOR:-1}"; fi # plain logs in CI
reports="$(mktemp -d "${TMPDIR:-/tmp}/tracardi-test-reports.XXXXXX")"
trap 'rm -rf "$reports"' EXIT
stage_failures=0
failed_stages=()

stage() {
  local name="$1"
  shift
  echo
  echo "=== $name ==="
  if "$@"; then
    echo "=== $name: ok ==="
    return 0
  fi
  echo "=== $name: FAILED ==="
  failed_stages+=("$name")
  return 1
}

stage typecheck npm run --silent typecheck || stage_failures=$((stage_failures + 1))
stage lint npm run --silent lint || stage_failures=$((stage_failures + 1))
stage electronegativity node scripts/scan-electron.mjs || stage_failures=$((stage_failures + 1))
# Built once here; the vitest and Playwright global setups then use out/ as it is (E2E_SKIP_BUILD=1).
# When the build fails they try again and fail too: nothing runs against an old or partial out/.
if stage build npx --no-install electron-vite build; then export E2E_SKIP_BUILD=1; else stage_failures=$((stage_failures + 1)); fi

# The counts come from the runners' JSON reports; their exit status only matters when the report
# shows no failure (e.g. a globalSetup error or an unhandled error outside any test).
vitest_rc=0
stage vitest npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" "$@" || vitest_rc=1

playwright_rc=-1 # -1: not run
if [ -f playwright.config.ts ]; then
  playwright_rc=0
  PLAYWRIGHT_JSON_OUTPUT_FILE="$reports/playwright.json" \
    stage playwright npx playwright test --reporter=list,json || playwright_rc=1
fi

# "passed failed skipped" from the reports, then the skip reasons; a runner that failed without
# reporting a failure counts as one.
summary="$(node - "$reports" "$vitest_rc" "$playwright_rc" <<'NODE'
const fs = require('node:fs');
const [dir, vitestRc, playwrightRc] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const reasons = new Map(); // reason -> how many tests it skipped
const skip = (reason) => {
  skipped += 1;
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
};
const read = (f) => { try { return JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')); } catch { return undefined; } };
let vFailed = 0;
const v = read('vitest.json');
if (v) {
  passed += v.numPassedTests ?? 0;
  vFailed += v.numFailedTests ?? 0;
  for (const file of v.testResults ?? []) {
    // A file that fails to load has no failed test but is a failure.
    const bad = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !bad) vFailed += 1;
    // vitest's JSON carries no skip reason: name the test so the reason can be found in its file.
    for (const a of file.assertionResults ?? []) {
      if (['skipped', 'pending', 'todo', 'disabled'].includes(a.status))
        skip(`vitest ${a.status}, no reason recorded: ${a.fullName ?? a.title}`);
    }
  }
}
if (vitestRc !== '0' && vFailed === 0) vFailed = 1;
failed += vFailed;
if (playwrightRc !== '-1') {
  let pFailed = 0;
  const p = read('playwright.json');
  if (p && p.stats) {
    passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
    pFailed += (p.stats.unexpected ?? 0) + (p.errors ?? []).length;
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          if (t.status !== 'skipped') continue;
          const note = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])].find(
            (a) => a.type === 'skip' || a.type === 'fixme',
          );
          skip(`Playwright ${t.projectName}: ${note?.description || 'skipped without a reason'}`);
        }
      }
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of p.suites ?? []) walk(suite);
  }
  if (playwrightRc !== '0' && pFailed === 0) pFailed = 1;
  failed += pFailed;
}
for (const [reason, n] of reasons) console.log(`skipped ${n}: ${reason}`);
console.log(`${passed} ${failed} ${skipped}`);
NODE
)" || summary="0 1 0"
if [ "$(printf '%s\n' "$summary" | wc -l)" -gt 1 ]; then
  echo
  printf '%s\n' "$summary" | sed '$d'
fi
read -r passed failed skipped <<<"$(printf '%s\n' "$summary" | tail -n 1)"
failed=$((failed + stage_failures))

echo
if [ "${#failed_stages[@]}" -gt 0 ]; then echo "failed stages: ${failed_stages[*]}"; fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
exit 0
