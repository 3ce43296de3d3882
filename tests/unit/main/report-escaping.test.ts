// The fleet report streams to a terminal as often as to a file: text the console did not write (a
// remote Tracardi's answer quoted in an evidence summary) must not reach it as an escape sequence.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell } from '../../../main/services/report';
import { reportPieces } from '../../../main/services/report/format';
import type { FleetReportRow } from '../../../main/services/report';

const hostile = 'name "\x1b]0;pwned\x07\u009b31m\u202egnp.exe"';
const row: FleetReportRow = {
  instanceId: 'eu1',
  instanceName: 'EU 1',
  environment: 'production',
  tenant: 'shop',
  apiDomain: 'shop.eu1.example.com',
  guiDomain: 'shop-gui.eu1.example.com',
  email: 'ops@example.com',
  status: 'installed',
  tokenState: 'spent',
  tokenHeldBy: null,
  tokenExpiresAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  handedOverAt: null,
  installedAt: null,
  lastVerifiedAt: '2026-12-01T00:00:00.000Z',
  verifiedStatus: 'wrong-instance',
  evidence: { summary: `answered by ${hostile}`, dnsApi: 'ok', dnsGui: 'ok', install: 'ok', elasticsearch: 'ok' },
};
// What a terminal acts on: C0 but tab, LF and CR; DEL and C1; the bidi overrides and isolates.
const ACTS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('fleet report text from elsewhere', () => {
  it('CSV: an ESC, a C1 CSI and a bidi override become visible escapes; tab and line breaks stay text', () => {
    const csv = [...reportPieces([row], 'csv', '2026-12-01T00:00:00.000Z')].join('');
    expect(csv).not.toMatch(ACTS);
    const [headers, cells] = parse(csv) as string[][];
    expect(cells![headers!.indexOf('evidence_summary')]).toBe(
      'answered by name "\\x1b]0;pwned\\x07\\x9b31m\\u{202e}gnp.exe"',
    );
    expect(csvCell('two\nlines\tand a tab')).toBe('"two\nlines\tand a tab"');
  });

  it('JSON: the same characters as \\u escapes, so the text reads back exactly', () => {
    const json = [...reportPieces([row], 'json', '2026-12-01T00:00:00.000Z')].join('');
    expect(json).not.toMatch(ACTS);
    const back = JSON.parse(json) as { tenants: FleetReportRow[] };
    expect(back.tenants[0]!.evidence!.summary).toBe(`answered by ${hostile}`);
  });
});
