// tenantctl watch's lines: one per change, and untrusted text in them (an instance name or a
// verification summary quoting what a server answered) cannot move the cursor or forge a line.
import { describe, expect, it } from 'vitest';
import { formatChange } from '../../../main/cli/commands/watch';
import { printLines } from '../../../main/cli/output';
import type { WatchChange } from '../../../shared/watch/watch';

const change = (over: Partial<WatchChange> = {}): WatchChange => ({
  id: 1,
  at: '2026-01-01T00:15:00.000Z',
  kind: 'tenant',
  instanceId: 'eu1',
  tenant: 'shop',
  subject: 'shop on EU 1',
  from: 'installed',
  to: 'drift',
  severity: 'problem',
  detail: 'artefacts are missing',
  notify: true,
  ...over,
});

function printed(lines: string[]): string {
  let out = '';
  printLines(lines, { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => undefined } });
  return out;
}

describe('tenantctl watch output', () => {
  it('one line: time, severity, subject, old -> new, detail; quiet and baseline entries say so', () => {
    expect(formatChange(change())).toBe(
      '2026-01-01T00:15:00.000Z  PROBLEM    shop on EU 1: installed -> drift - artefacts are missing',
    );
    expect(
      formatChange(change({ from: 'drift', to: 'installed', severity: 'recovered', note: 'quiet', notify: false })),
    ).toBe('2026-01-01T00:15:00.000Z  RECOVERED  shop on EU 1: drift -> installed - artefacts are missing [quiet]');
    expect(formatChange(change({ from: null, note: 'baseline' }))).toContain(
      'shop on EU 1: (first seen) -> drift (present at start)',
    );
  });

  it('escapes control and bidi characters and newlines in what it prints', () => {
    const hostile = change({ subject: 'EU\u001b[2J 1\u202e', detail: 'line one\nFAKE  RECOVERED  all good\u0007' });
    const out = printed([formatChange(hostile)]);
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    expect(out).toContain('EU');
    expect(out).toContain('FAKE');
  });
});
