// `tenantctl tenants show` / `adopt`: how a record is printed.
import { describe, expect, it } from 'vitest';
import { recordLines } from '../../../main/cli/commands/tenants';
import { tenantRecordSchema } from '../../../shared/tenants/tenant';

const base = tenantRecordSchema.parse({
  instanceId: 'real082',
  tenant: 'ffe49',
  apiDomain: 'ffe49.local.test',
  apiUrl: 'http://ffe49.local.test:8686',
  guiDomain: 'ffe49-gui.local.test',
  guiUrl: 'http://ffe49-gui.local.test',
  email: '',
  createdAt: '2026-12-07T06:56:44.653Z',
  tokenExpiresAt: null,
  state: 'installed',
  perInstance: false,
});

describe('recordLines', () => {
  it('says "(none)" for an adopted tenant without a contact e-mail, not an empty field', () => {
    const lines = recordLines(base);
    expect(lines[0]).toBe('ffe49 on real082 (installed)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}e-mail +\(none\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}token expires +never$/));
    expect(recordLines({ ...base, email: 'ops@example.com' })).toContainEqual(
      expect.stringMatching(/^ {2}e-mail +ops@example\.com$/),
    );
  });

  it('escapes what it did not validate (a warning from a settings file): no raw escape or newline', () => {
    const lines = recordLines({ ...base, warnings: ['red \u001b[31m text\nsecond line'] });
    const warning = lines.find((l) => l.includes('warning'))!;
    expect(warning).not.toMatch(/[\u0000-\u001f]/);
    expect(lines.join('\n').split('\n')).toHaveLength(lines.length);
  });
});
