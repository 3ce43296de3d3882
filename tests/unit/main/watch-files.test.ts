// The watch's files when they are not what the console wrote: set aside as `<name>.corrupt-<ms>`,
// the operator told what happened and where the copy is (through the core's notices: CLI warnings,
// the status bar), and a file too big to be the console's is set aside without being read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import { createHandlers } from '../../../main/handlers';
import { InMemorySecretStore } from '../../../main/services/keychain';
import { MAX_WATCH_FILE_BYTES, WatchFiles } from '../../../main/services/watch';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-watch-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const asideOf = (name: string) => fs.readdirSync(dir).filter((f) => f.startsWith(`${name}.corrupt-`));

describe('watch files set aside', () => {
  it('a feed that is not JSON: the message says what and where the copy is; the copy keeps the bytes', () => {
    const feed = path.join(dir, 'watch-feed.json');
    fs.writeFileSync(feed, '{"version":1,"lastId":');
    const told: string[] = [];
    const files = new WatchFiles(dir, { report: (line) => told.push(line) });
    expect(files.changes(0)).toEqual({ entries: [], cursor: 0 });
    const [copy] = asideOf('watch-feed.json');
    expect(fs.readFileSync(path.join(dir, copy!), 'utf8')).toBe('{"version":1,"lastId":');
    expect(told).toEqual([
      `The Changes feed ${feed} was not JSON: it was set aside as ${path.join(dir, copy!)}, and the feed starts afresh`,
    ]);
    // Told once: the next read finds no file, and nothing to tell.
    files.changes(0);
    expect(told).toHaveLength(1);
  });

  it("a baseline of another shape, and a feed too big to be the console's (set aside unread)", () => {
    fs.writeFileSync(path.join(dir, 'watch-baseline.json'), JSON.stringify({ version: 1, round: 'x' }));
    // Valid JSON of the feed's shape, one entry's detail 9 MB long: no feed the console writes.
    const big = {
      version: 1,
      lastId: 1,
      entries: [
        {
          id: 1,
          at: '2026-12-01T00:00:00.000Z',
          kind: 'tenant',
          instanceId: 'eu1',
          tenant: 'shop',
          subject: 'shop on EU 1',
          from: null,
          to: 'drift',
          severity: 'problem',
          detail: 'd'.repeat(MAX_WATCH_FILE_BYTES.feed + 1024),
          notify: true,
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'watch-feed.json'), JSON.stringify(big));
    const told: string[] = [];
    const files = new WatchFiles(dir, { report: (line) => told.push(line) });
    expect(files.baseline()).toBeNull();
    expect(files.changes(0).entries).toEqual([]);
    expect(told).toHaveLength(2);
    expect(told[0]).toMatch(
      /^The watch baseline .*watch-baseline\.json was not what the console writes: it was set aside as .*watch-baseline\.json\.corrupt-\d+, and the next round takes a new baseline$/,
    );
    expect(told[1]).toMatch(
      /^The Changes feed .*watch-feed\.json was 8\.\d+ MiB, more than the 8\.00 MiB the console writes: it was set aside as .*watch-feed\.json\.corrupt-\d+, and the feed starts afresh$/,
    );
    expect(asideOf('watch-feed.json')).toHaveLength(1);
  });

  it('reaches the operator: app.status problems (the status bar) list it', async () => {
    fs.writeFileSync(path.join(dir, 'watch-feed.json'), 'garbage');
    const core = await createCore({ dataDir: dir, secrets: new InMemorySecretStore(), shell: 'test' });
    const handlers = createHandlers(core);
    expect((await handlers['watch.changes']({ since: 0, limit: 10 })).entries).toEqual([]);
    const status = await handlers['app.status']({});
    expect(status.problems).toEqual([
      expect.stringMatching(
        /^The Changes feed .*watch-feed\.json was not JSON: it was set aside as .*\.corrupt-\d+, and the feed starts afresh\.$/,
      ),
    ]);
  });
});
