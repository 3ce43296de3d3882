import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeTenantDomain, deriveTenantName, type DeriveErrorCode } from '../../../shared/tenants/tenant-name';

function tenantOf(input: string): string {
  const r = deriveTenantName(input);
  if (!r.ok)
    throw new Error(`expected a tenant from ${JSON.stringify(input)}, got ${r.error.code}: ${r.error.message}`);
  return r.tenant;
}

function errorOf(input: string): { code: DeriveErrorCode; message: string } {
  const r = deriveTenantName(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got tenant ${r.tenant}`);
  return r.error;
}

describe('deriveTenantName: the contract examples', () => {
  it.each([
    ['company-x.tracardi.com', 'companyx', 'company-x.tracardi.com'],
    ['shop24.tracardi.com', 'shop24', 'shop24.tracardi.com'],
    // documented rule: lower-case first (the letters-only code would say "hop")
    ['Shop.x.com', 'shop', 'shop.x.com'],
    ['bücher.x.com', 'xnbcherkva', 'xn--bcher-kva.x.com'],
    ['www.example.com', 'www', 'www.example.com'],
    ['tenant-name.instance1.domain.com', 'tenantname', 'tenant-name.instance1.domain.com'],
  ])('%s derives %s', (input, tenant, asciiHost) => {
    expect(deriveTenantName(input)).toMatchObject({ ok: true, tenant, asciiHost });
  });

  it('tenantctl derive example: scheme, upper case, port and path', () => {
    expect(tenantOf('https://Company-X.tracardi.com:8686/x')).toBe('companyx');
  });

  it('an IPv4 host derives nothing', () => {
    expect(errorOf('192.168.1.20').code).toBe('ip-address');
  });
});

describe('deriveTenantName: the letters-only warning', () => {
  it('warns when the label has digits and names the letters-only tenant', () => {
    const r = deriveTenantName('shop24.tracardi.com');
    expect(r.ok && r.warnings).toEqual([
      expect.objectContaining({ code: 'letters-only-differs', lettersOnlyTenant: 'shop' }),
    ]);
    expect(r.ok && r.warnings[0]?.message).toContain('"shop"');
  });

  it('says the letters-only rule refuses the tenant when too few letters remain', () => {
    const r = deriveTenantName('ab12.x.com');
    expect(r).toMatchObject({ ok: true, tenant: 'ab12' });
    expect(r.ok && r.warnings[0]?.lettersOnlyTenant).toBeNull();
    expect(r.ok && r.warnings[0]?.message).toMatch(/refuse/);
  });

  it('does not warn for a letters-only label', () => {
    const r = deriveTenantName('company-x.tracardi.com');
    expect(r.ok && r.warnings).toEqual([]);
  });
});

describe('deriveTenantName: input shapes', () => {
  it.each([
    ['  company-x.tracardi.com \n', 'surrounding whitespace'],
    ['http://company-x.tracardi.com', 'http'],
    ['HTTPS://COMPANY-X.TRACARDI.COM', 'upper-case scheme and host'],
    ['ws://company-x.tracardi.com', 'any scheme'],
    ['//company-x.tracardi.com/x', 'protocol-relative'],
    ['company-x.tracardi.com:8686', 'bare host with port'],
    ['company-x.tracardi.com:', 'empty port'],
    ['https://company-x.tracardi.com/a/b?c=d#e', 'path, query, fragment'],
    ['company-x.tracardi.com?x#y', 'query without path'],
    ['company-x.tracardi.com.', 'trailing dot'],
    ['company-x.tracardi.com..', 'trailing dots'],
    ['https://company-x.tracardi.com.:443/', 'trailing dot before a port'],
    ['https://user:pw@company-x.tracardi.com/', 'user-info'],
    ['user:pw@company-x.tracardi.com', 'user-info without a scheme'],
    ['https://user:p@ss@company-x.tracardi.com', "password with '@' (last '@' ends the user-info)"],
    ['https://user@company-x.tracardi.com', 'user without password'],
  ])('%j (%s) derives companyx', (input) => {
    expect(deriveTenantName(input)).toMatchObject({
      ok: true,
      tenant: 'companyx',
      asciiHost: 'company-x.tracardi.com',
    });
  });

  it('derives from the punycode form of any IDN spelling', () => {
    for (const input of ['https://BÜCHER.x.com/', 'bücher.x.com.', 'xn--bcher-kva.x.com', 'bücher。x。com']) {
      expect(deriveTenantName(input)).toMatchObject({
        ok: true,
        tenant: 'xnbcherkva',
        asciiHost: 'xn--bcher-kva.x.com',
      });
    }
  });
});

describe('deriveTenantName: refusals', () => {
  it.each<[string, DeriveErrorCode]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['https://', 'empty'],
    ['https://user:pw@/path', 'empty'],
    ['10.0.0.1', 'ip-address'],
    ['https://10.0.0.1:8686/x', 'ip-address'],
    ['10.1', 'ip-address'],
    ['[2001:db8::1]', 'ip-address'],
    ['https://[2001:db8::1]:8686/', 'ip-address'],
    ['2001:db8::1', 'ip-address'],
    ['localhost', 'default-tenant'],
    ['http://localhost:8686/install', 'default-tenant'],
    ['LOCALHOST.', 'default-tenant'],
    ['0.0.0.0', 'default-tenant'],
    ['127.0.0.1:8686', 'default-tenant'],
    ['tracardi.com', 'too-few-labels'],
    ['com', 'too-few-labels'],
    ['ab.tracardi.com', 'too-short'],
    ['a-b.tracardi.com', 'too-short'],
    ['123.tracardi.com', 'all-digits'],
    ['1-2-3.tracardi.com', 'all-digits'],
    [`${'a'.repeat(41)}.tracardi.com`, 'too-long'],
    [`${'a'.repeat(20)}-${'b'.repeat(21)}.tracardi.com`, 'too-long'],
    ['company x.tracardi.com', 'invalid'],
    ['company\tx.tracardi.com', 'invalid'],
    ['company_x.tracardi.com', 'invalid'],
    ['company!x.tracardi.com', 'invalid'],
    ['a..b.com', 'invalid'],
    ['.company.tracardi.com', 'invalid'],
    ['-company.tracardi.com', 'invalid'],
    ['company-.tracardi.com', 'invalid'],
    [`${'a'.repeat(64)}.tracardi.com`, 'invalid'],
    ['company.tracardi.com:port', 'invalid'],
    ['company.tracardi.com:99999', 'invalid'],
    ['[::1', 'invalid'],
    ['a.b.123', 'invalid'],
    ['xn--zz.x.com', 'invalid'],
    ['...', 'invalid'],
  ])('%j is refused with %s', (input, code) => {
    expect(errorOf(input).code).toBe(code);
  });

  it('accepts exactly 3 and exactly 40 characters', () => {
    expect(tenantOf('abc.x.com')).toBe('abc');
    expect(tenantOf(`${'a'.repeat(40)}.x.com`)).toBe('a'.repeat(40));
  });

  it('a label of 63 characters is a valid label but a too-long tenant', () => {
    expect(errorOf(`${'a'.repeat(63)}.x.com`).code).toBe('too-long');
  });

  it('default-tenant says why, in the words operators see', () => {
    expect(errorOf('localhost:8686').message).toBe(
      'Host "localhost" maps to the instance\'s default tenant, not a tenant domain.',
    );
  });

  it('messages quote the host, not the port, path or user-info', () => {
    const e = errorOf('https://admin:hunter2@tracardi.com:8686/install?x=1');
    expect(e.code).toBe('too-few-labels');
    expect(e.message).toContain('"tracardi.com"');
    expect(e.message).not.toMatch(/hunter2|admin|8686|install/);
  });

  it('refuses ambiguous user-info without quoting any of it', () => {
    // Each password holds a raw '/', which ends the authority early: the "host" seen first is a piece of it.
    for (const [input, secret] of [
      ['https://user:Qk@zzv/Wrd@company.x.com', /zzv|wrd/i],
      ['user:dead:beef/x@company.x.com', /dead|beef/],
      ['https://ab:4711/0815@company.x.com', /4711|0815/],
    ] as const) {
      const e = errorOf(input);
      expect(e.code).toBe('invalid');
      expect(e.message).not.toMatch(secret);
    }
  });

  it('keeps a refusal message on one line even for control characters', () => {
    expect(errorOf('a\u2028b.x.com').message).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(errorOf('company\u0007x.x.com').message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('sets asciiHost on refusals that got as far as a host', () => {
    expect(deriveTenantName('ab.tracardi.com')).toMatchObject({ ok: false, asciiHost: 'ab.tracardi.com' });
    expect(deriveTenantName('https://Bücher.com')).toMatchObject({
      ok: false,
      error: { code: 'too-few-labels' },
      asciiHost: 'xn--bcher-kva.com',
    });
    expect(deriveTenantName('a..b.com')).not.toHaveProperty('asciiHost');
  });
});

// A valid host: 3-5 labels of [a-z0-9-], no leading/trailing hyphen, first label gives a valid tenant.
const labelArb = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const hostArb = fc
  .tuple(
    fc.stringMatching(/^[a-z]{3,12}[0-9]{0,3}$/),
    fc.array(labelArb, { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([first, middle, tld]) => [first, ...middle, tld].join('.'));

describe('deriveTenantName: properties', () => {
  it('never throws, and an accepted tenant is [a-z0-9]{3,40} but not all digits', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), hostArb, fc.webUrl()),
        (input) => {
          const r = deriveTenantName(input);
          if (r.ok) {
            expect(r.tenant).toMatch(/^[a-z0-9]{3,40}$/);
            expect(r.tenant).not.toMatch(/^[0-9]+$/);
            expect(r.asciiHost).toMatch(/^[a-z0-9.-]+$/);
          } else {
            expect(r.error.message).not.toMatch(/[\n\r]/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is the same over case, scheme, port, path and trailing-dot variations', () => {
    const variant = fc.record({
      scheme: fc.constantFrom('', 'http://', 'https://', 'HTTPS://', 'ws://', 'git+ssh://', '//'),
      upper: fc.array(fc.boolean(), { maxLength: 60 }),
      port: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
      path: fc.constantFrom('', '/', '/x', '/install?token=a#frag', '?q=1', '#top'),
      dots: fc.integer({ min: 0, max: 2 }),
      space: fc.constantFrom('', ' ', '\t', '\n '),
    });
    fc.assert(
      fc.property(hostArb, variant, (host, v) => {
        const cased = [...host].map((c, i) => (v.upper[i] ? c.toUpperCase() : c)).join('');
        const input = `${v.space}${v.scheme}${cased}${'.'.repeat(v.dots)}${v.port === undefined ? '' : `:${v.port}`}${v.path}${v.space}`;
        expect(deriveTenantName(input)).toEqual(deriveTenantName(host));
      }),
      { numRuns: 1000 },
    );
  });

  // Passwords include raw '/', '?', '#' and '@' (operators paste them unencoded), which can split them
  // so that only a piece reaches the host position. Marker letters q z x j v k appear in passwords only
  // (never in the user, the host or the fixed message text), so any run of them in a message is a leak.
  it('never echoes a user-info password, not even a piece of it', () => {
    const noMarkers = (s: string) => s.replace(/[qzxjvk]/gi, 'a');
    const userinfoChar = fc.constantFrom(...'QZXJVKqzxjvk0123456789!$&()*+,;=~:@-_.%/?#');
    const passwordArb = fc.string({ unit: userinfoChar, minLength: 4, maxLength: 20 }).map((s) => `Zq${s}`);
    const hostish = fc
      .oneof(
        hostArb,
        fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
        fc.constantFrom('localhost', '10.0.0.1', '[::1]', 'a..b.com', 'ab.b.com', 'b.com', ''),
      )
      .map(noMarkers);
    fc.assert(
      fc.property(
        fc.constantFrom('', 'https://', 'http://'),
        fc.stringMatching(/^[a-z0-9]{0,8}$/).map(noMarkers),
        passwordArb,
        hostish,
        fc.constantFrom('', ':8686', ':b'),
        fc.constantFrom('', '/', '/b?y=1', '/a@b'),
        (scheme, user, password, host, port, path) => {
          const r = deriveTenantName(`${scheme}${user}:${password}@${host}${port}${path}`);
          const messages = r.ok ? r.warnings.map((w) => w.message) : [r.error.message];
          for (const m of messages) expect(m).not.toMatch(/[qzxjvk]{2,}/i);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('completeTenantDomain', () => {
  it('appends the suffix to a bare label', () => {
    expect(completeTenantDomain('company-x', 'instance1.domain.com')).toBe('company-x.instance1.domain.com');
    expect(completeTenantDomain(' company-x ', '.instance1.domain.com.')).toBe('company-x.instance1.domain.com');
  });

  it('keeps a full domain or URL', () => {
    expect(completeTenantDomain('company-x.other.com', 'instance1.domain.com')).toBe('company-x.other.com');
    expect(completeTenantDomain('https://company-x.other.com/', 'instance1.domain.com')).toBe(
      'https://company-x.other.com/',
    );
    expect(completeTenantDomain('', 'instance1.domain.com')).toBe('');
  });

  it('completes to something deriveTenantName accepts', () => {
    expect(tenantOf(completeTenantDomain('company-x', 'instance1.domain.com'))).toBe('companyx');
  });
});
