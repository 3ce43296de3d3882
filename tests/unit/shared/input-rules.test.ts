// The input rules every shell shares: the contract's schemas (browser shell, Electron IPC, the
// renderer's own form checks) refuse with the same rule and words as the services the CLI calls.
import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/contract/contract';
import { contactEmailProblem, dnsLengthProblem, tokenProblem } from '../../../shared/text/input-rules';
import { parseWebAddress } from '../../../shared/text/web-address';

const issues = (name: keyof typeof contract, args: unknown): string[] => {
  const r = contract[name].args.safeParse(args);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const create = {
  instanceId: 'eu1',
  domain: 'shop.eu1.example.com',
  email: 'ops@example.com',
  tokenLifetimeDays: 30,
};

describe('the contract refuses what the services refuse', () => {
  it('a contact e-mail over 254 characters, or 64 before the @ (RFC 5321), in create and adopt', () => {
    const long = `${'a'.repeat(10_240)}@example.com`;
    expect(issues('tenants.create', { ...create, email: long })).toEqual([
      'email: the contact e-mail is 10252 characters long; an e-mail address has at most 254 (RFC 5321)',
    ]);
    expect(issues('tenants.adopt', { instanceId: 'eu1', tenant: 'shop', email: long })).toHaveLength(1);
    expect(issues('tenants.adopt', { instanceId: 'eu1', tenant: 'shop', email: `${'a'.repeat(65)}@x.com` })).toEqual([
      'email: the contact e-mail has 65 characters before the @; an e-mail address has at most 64 there (RFC 5321)',
    ]);
    expect(issues('tenants.create', { ...create, email: '' })).toEqual(['email: a valid contact e-mail is required']);
    expect(issues('tenants.create', { ...create, email: 'ops@' })).toEqual([
      'email: "ops@" is not a valid e-mail address',
    ]);
    expect(issues('tenants.create', create)).toEqual([]);
  });

  it('a token over 500 characters in adopt, and any other secret over 4096', () => {
    expect(issues('tenants.adopt', { instanceId: 'eu1', tenant: 'shop', token: 't'.repeat(501) })).toEqual([
      'token: the installation token is 501 characters long; a token has at most 500',
    ]);
    expect(issues('tenants.adopt', { instanceId: 'eu1', tenant: 'shop', token: 't'.repeat(500) })).toEqual([]);
    expect(issues('tenants.adopt', { instanceId: 'eu1', tenant: 'shop', token: '' })).toHaveLength(1);
    const patch = { id: 'eu1', patch: {}, secrets: { 'tms-api-key': 'k'.repeat(4097) } };
    expect(issues('instances.update', patch)).toEqual([
      'secrets.tms-api-key: the secret is 4097 characters long; a secret has at most 4096',
    ]);
  });

  it('an override reason over 500 characters', () => {
    expect(issues('tenants.create', { ...create, capacityOverrideReason: 'r'.repeat(501) })).toEqual([
      'capacityOverrideReason: the capacity override reason is 501 characters long; write at most 500',
    ]);
  });
});

describe('the rules', () => {
  it('contactEmailProblem: optional or required, control characters first', () => {
    expect(contactEmailProblem('', false)).toBeNull();
    expect(contactEmailProblem('', true)).toBe('A valid contact e-mail is required.');
    expect(contactEmailProblem('a\x1b@example.com', false)).toMatch(/must not contain control .* \(found U\+001B\)/);
    expect(contactEmailProblem(`a@${'b'.repeat(64)}.com`, false)).toMatch(/domain ".*" has a label of 64/);
    expect(contactEmailProblem(`${'a'.repeat(64)}@example.com`, true)).toBeNull();
  });

  it('dnsLengthProblem and tokenProblem', () => {
    expect(dnsLengthProblem(`${'a'.repeat(63)}.com`, 'The host')).toBeNull();
    expect(dnsLengthProblem(Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.'), 'The host')).toMatch(
      /is 255 characters long; DNS allows at most 253/,
    );
    expect(tokenProblem('t')).toBeNull();
  });

  it('parseWebAddress: http(s) or no scheme, a name or an address, the port kept, the path dropped', () => {
    const ok = (text: string) => {
      const r = parseWebAddress(text, 'The API domain', 'http:');
      return r.ok ? r.origin : r.error;
    };
    expect(ok('shop.example.com')).toBe('http://shop.example.com');
    expect(ok('HTTPS://Shop.Example.COM.:8443/x?y#z')).toBe('https://shop.example.com:8443');
    expect(ok('10.0.0.5:8686')).toBe('http://10.0.0.5:8686');
    expect(ok('http://[::1]:8686')).toBe('http://[::1]:8686');
    expect(ok('localhost')).toBe('http://localhost');
    expect(ok('file:///etc/passwd')).toMatch(/^The API domain starts with "file:"/);
    expect(ok('javascript:alert(1)')).toMatch(/^The API domain starts with "javascript:"/);
    expect(ok('data:text/html,x')).toMatch(/^The API domain starts with "data:"/);
    expect(ok('user:pw@shop.example.com')).toBe(
      'The API domain carries a user name or password (user:password@): give the host alone.',
    );
    expect(ok('exa mple')).toMatch(/^The API domain: host "exa mple" contains a space/);
    expect(ok('http://[::1')).toMatch(/^The API domain: host "\[" is not a valid domain or IPv6 address/);
    expect(ok('a\u202e.example.com')).toMatch(/^The API domain: /);
  });
});
