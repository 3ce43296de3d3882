/**
 * Files of the data folder that are not what the console wrote, end to end through tenantctl as a
 * child process: a capacity history with a line too long to be a sample (real Elasticsearch behind
 * the snapshot), and a corrupt Changes feed. Each is repaired or set aside and the operator is told
 * on stderr, once. Run inside a keychain session:
 *   bash scripts/with-keychain.sh npx vitest run tests/integration/cli-data-files.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { cliSession } from '../support/tenantctl';

const SLOW_TEST_MS = 180_000;
const session = cliSession('data-files');
const tenantctl = session.run;

/** A valid history line of one data node and no tenants, `minutesAgo` before now. */
function sampleLine(minutesAgo: number): string {
  return JSON.stringify({
    t: Date.now() - minutesAgo * 60_000,
    st: 'green',
    n: [['es-data-1', 500, 1000, 850, 900, 950, 3, 8]],
    sh: [10, 1000],
    ix: 4,
    tn: 0,
    pt: {},
  });
}

describe('a capacity history with a line too long to be a sample', { timeout: SLOW_TEST_MS }, () => {
  it('tenantctl capacity compacts it back and warns once, naming the file and what went', async () => {
    const esUrl = inject('esUrls')[0]!.replace(/\/+$/, '');
    const added = await tenantctl([
      ...['instances', 'add', '--id', 'hist1', '--name', 'History 1', '--env', 'test'],
      ...['--api-url', 'https://api.hist1.example.com', '--suffix', 'hist1.example.com', '--version', '0.9.x'],
      ...['--tms-url', 'https://tms.hist1.example.com', '--es-node', esUrl],
    ]);
    expect(added.code, added.stderr).toBe(0);
    const file = path.join(session.dataDir(), 'history', 'hist1.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${sampleLine(300)}\n${sampleLine(200)}\n`);
    // The probe: one long line appended (8 MB here; bench/history-memory.ts measures 200 MB).
    fs.appendFileSync(file, `${'x'.repeat(8 * 1024 * 1024)}\n`);

    const run = await tenantctl(['capacity', 'hist1', '--format', 'prometheus']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('tracardi_console_up{instance="hist1"} 1');
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: Capacity history'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^warning: Capacity history of hist1 \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) was 8\\.\\d+ MiB: 1 line over 1\\.00 MiB skipped \\(no sample is that long\\); compacted to \\d`,
      ),
    );
    // Back to its samples (the two written and the one this run recorded), the long line gone.
    const kept = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(kept).toHaveLength(3);
    expect(fs.statSync(file).size).toBeLessThan(4096);

    // The next run has nothing to tell.
    const again = await tenantctl(['capacity', 'hist1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('Capacity history');
  });
});

describe('a corrupt Changes feed', { timeout: SLOW_TEST_MS }, () => {
  it('tenantctl watch --once sets it aside and says where the copy is', async () => {
    const feed = path.join(session.dataDir(), 'watch-feed.json');
    fs.mkdirSync(session.dataDir(), { recursive: true });
    fs.writeFileSync(feed, '{"version":1,"lastId":');
    const run = await tenantctl(['watch', '--once']);
    expect(run.code, run.stderr).toBe(0);
    const copies = fs.readdirSync(session.dataDir()).filter((f) => f.startsWith('watch-feed.json.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(run.stderr).toContain(
      `warning: The Changes feed ${feed} was not JSON: it was set aside as ${path.join(session.dataDir(), copies[0]!)}, and the feed starts afresh.`,
    );
    expect(fs.readFileSync(path.join(session.dataDir(), copies[0]!), 'utf8')).toBe('{"version":1,"lastId":');
  });
});
