// The fleet report's pure parts: CSV cells safe in a spreadsheet and quoted so a real parser
// (csv-parse) reads back exactly what went in; JSON pieces that join into one document; the token
// state of each record; and a report that never carries a token, whatever the record holds.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { CSV_HEADERS, csvCell, csvLine, FleetReportService } from '../../../main/services/report';

const NOW = new Date('2026-12-02T01:00:00.000Z');

function record(patch: Partial<TenantRecord> = {}): TenantRecord {
  return {
    instanceId: 'eu-prod',
    tenant: 'acme',
    apiDomain: 'acme.eu.example.test',
    apiUrl: 'https://acme.eu.example.test',
    guiDomain: 'acme-gui.eu.example.test',
    guiUrl: 'https://acme-gui.eu.example.test',
    email: 'ops@acme.example.com',
    createdAt: '2026-11-01T00:00:00.000Z',
    tokenExpiresAt: '2026-12-31T00:00:00.000Z',
    state: 'registered',
    warnings: [],
    ...patch,
  };
}

function service(records: TenantRecord[], tokenAccounts: string[] | Error, audit: unknown[] = []) {
  return new FleetReportService({
    keychainId: 'me@ws-1/tracardi-tenant-console',
    tenants: { list: async () => records },
    instances: {
      list: async () => [
        {
          instance: { id: 'eu-prod', name: '-EU, "prod"', environment: 'production' },
          tlsVerifyOff: false,
          warnings: [],
        } as never,
      ],
    },
    secrets: {
      list: async () => {
        if (tokenAccounts instanceof Error) throw tokenAccounts;
        return tokenAccounts;
      },
    },
    audit: { record: async (entry: unknown) => (audit.push(entry), entry as never) },
    clock: () => NOW,
  });
}

describe('CSV cells', () => {
  it('neutralises every formula start and quotes commas, quotes and line breaks', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+49 30 1234')).toBe("'+49 30 1234");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
  });

  it('reads back through csv-parse as written, for any text (formula starts get their apostrophe)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }),
        (rows) => {
          const text = csvLine(['a', 'b', 'c']) + rows.map((r) => csvLine(r)).join('');
          const back = parse(text, { relax_quotes: false, skip_empty_lines: false }) as string[][];
          expect(back).toEqual([
            ['a', 'b', 'c'],
            ...rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))),
          ]);
        },
      ),
    );
  });
});

describe('fleet report', () => {
  const verified = {
    instanceId: 'eu-prod',
    tenant: 'acme',
    status: 'misrouted',
    summary: 'acme.eu.example.test resolves to 127.0.0.3, expected 127.0.0.2',
    checkedAt: '2026-12-01T10:00:00.000Z',
    evidence: {
      dns: {
        api: { domain: 'acme', addresses: ['127.0.0.3'], expected: ['127.0.0.2'], outcome: 'misrouted' },
        gui: { domain: 'acme-gui', addresses: [], expected: [], outcome: 'not-checked' },
      },
      install: { outcome: 'not-installed', httpStatus: 200 },
      es: {
        outcome: 'none',
        indicesExpected: 12,
        indicesFound: 0,
        aliasesExpected: 3,
        aliasesFound: 0,
        templatesExpected: 2,
        templatesFound: 0,
        missing: [],
      },
      token: { expiresAt: null, expired: false, inKeychain: true },
    },
  };

  it('gives each record its token state, from the record and the keychain listing', async () => {
    const records = [
      record({ tenant: 'valid' }),
      record({ tenant: 'expired', tokenExpiresAt: '2026-12-01T00:00:00.000Z' }),
      record({ tenant: 'spent', state: 'installed', installedAt: '2026-11-02T00:00:00.000Z' }),
      record({ tenant: 'revoked', state: 'revoked' }),
      record({ tenant: 'missing' }),
    ];
    const accounts = ['token/eu-prod/valid', 'token/eu-prod/expired'];
    const rows = await service(records, accounts).rows();
    expect(Object.fromEntries(rows.map((r) => [r.tenant, r.tokenState]))).toEqual({
      valid: 'valid',
      expired: 'expired',
      spent: 'spent',
      revoked: 'revoked',
      missing: 'missing',
    });
    // A locked keychain leaves unknown only what it would tell: an expired token is expired anyway.
    const locked = await service(records, new Error('keychain locked')).rows();
    expect(locked.map((r) => r.tokenState)).toEqual(['unknown', 'expired', 'spent', 'revoked', 'unknown']);
  });

  it('says who holds a token another operator’s keychain has (the team registry names the holder)', async () => {
    const holder = (keychain: string, name: string) => ({
      name,
      workstation: 'ws',
      keychain,
      since: '2026-12-01T00:00:00.000Z',
    });
    const rows = await service(
      [
        record({ tenant: 'theirs', tokenHolder: holder('bob@ws-2/tracardi-tenant-console', 'Bob') }),
        record({ tenant: 'mine', tokenHolder: holder('me@ws-1/tracardi-tenant-console', 'Me') }),
      ],
      ['token/eu-prod/mine'],
    ).rows();
    expect(rows.map((r) => [r.tenant, r.tokenState, r.tokenHeldBy])).toEqual([
      ['theirs', 'elsewhere', 'Bob'],
      ['mine', 'valid', 'Me'],
    ]);
  });

  it('renders CSV and JSON from the same rows, evidence included, and audits the export', async () => {
    const audit: unknown[] = [];
    const svc = service([record({ lastVerification: verified })], ['token/eu-prod/acme'], audit);
    const csv = await svc.render({ format: 'csv' });
    expect(csv.fileName).toBe('tracardi-fleet-report-2026-12-02T0100Z.csv');
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    const [row] = parse(csv.content, { columns: true }) as Record<string, string>[];
    expect(Object.keys(row!)).toEqual(CSV_HEADERS);
    expect(row).toMatchObject({
      instance_name: `'-EU, "prod"`,
      environment: 'production',
      status: 'registered',
      token_state: 'valid',
      last_verified_at: '2026-12-01T10:00:00.000Z',
      verified_status: 'misrouted',
      evidence_dns_api: 'misrouted: 127.0.0.3 (expected 127.0.0.2)',
      evidence_dns_gui: 'not checked',
      evidence_install: 'not-installed (HTTP 200)',
      evidence_elasticsearch: 'none: 0/12 indices, 0/3 aliases, 0/2 templates',
    });
    const json = await svc.render({ format: 'json' });
    const doc = JSON.parse(json.content) as { generatedAt: string; tenants: Record<string, unknown>[] };
    expect(doc.generatedAt).toBe(NOW.toISOString());
    expect(doc.tenants[0]).toMatchObject({ instanceName: '-EU, "prod"', verifiedStatus: 'misrouted' });
    expect(audit).toEqual([
      { action: 'export', outcome: 'ok', detail: 'fleet report (csv, 1 tenant)' },
      { action: 'export', outcome: 'ok', detail: 'fleet report (json, 1 tenant)' },
    ]);
    const empty = await service([], []).render({ format: 'json' });
    expect(JSON.parse(empty.content)).toEqual({ generatedAt: NOW.toISOString(), tenants: [] });
  });

  it('carries no token, even one a record or its evidence were made to hold', async () => {
    const token = 'tok_' + 'x'.repeat(40);
    const leaky = record({
      ...({ token, installToken: token } as object),
      lastVerification: { ...verified, token, evidence: { ...verified.evidence, token: { secret: token } } },
    });
    for (const format of ['csv', 'json'] as const) {
      const { content } = await service([leaky], ['token/eu-prod/acme']).render({ format });
      expect(content).toContain('acme');
      expect(content).not.toContain(token);
    }
  });
});
