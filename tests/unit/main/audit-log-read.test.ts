/**
 * Reading the audit log back: a torn line (a crash mid-write) and a line edited by hand into another
 * shape are skipped, every other entry is kept, newest first.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../main/services/audit-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log: reading', () => {
  it('skips torn lines and lines of another shape, keeps the rest', async () => {
    let t = Date.parse('2026-12-07T10:00:00.000Z');
    const log = new AuditLog({
      dataDir: dir,
      now: () => new Date((t += 1000)),
      operator: () => ({ name: 'op', workstation: 'ws' }),
    });
    await log.record({ action: 'instances-add', instanceId: 'eu1', outcome: 'ok' });
    const file = join(dir, 'audit.log');
    appendFileSync(file, '{"time":"2026-12-07T10:00:05.000Z","user":"op","act\n');
    appendFileSync(file, `${JSON.stringify({ time: 'yesterday', user: 'op', action: 'x', outcome: 'ok' })}\n`);
    appendFileSync(file, `${JSON.stringify({ time: '2026-12-07T10:00:06.000Z', user: 'op', action: 'y' })}\n`);
    await log.record({ action: 'tenants-create', instanceId: 'eu1', tenant: 'acme', outcome: 'refused' });

    const entries = await log.list();
    expect(entries.map((e) => [e.action, e.outcome, e.time])).toEqual([
      ['tenants-create', 'refused', '2026-12-07T10:00:02.000Z'],
      ['instances-add', 'ok', '2026-12-07T10:00:01.000Z'],
    ]);
  });
});
