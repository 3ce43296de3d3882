// The New tenant form and the tenant plan take a domain by one rule: the name Tracardi derives, no
// credentials, under the instance's suffix unless the operator says it is outside on purpose.
import { describe, expect, it } from 'vitest';
import { checkTenantDomain, hasDomainUserinfo, underSuffix } from '../../../shared/tenants/tenant-domain';

describe('checkTenantDomain', () => {
  it('completes a bare label and takes a domain under the suffix', () => {
    expect(checkTenantDomain('Company-X', 'eu1.example.com')).toMatchObject({
      ok: true,
      domain: 'Company-X.eu1.example.com',
      tenant: 'companyx',
      asciiHost: 'company-x.eu1.example.com',
      outsideSuffix: false,
      outsideMessage: null,
    });
  });
  it('refuses a domain outside the suffix, unless allowed (then it says so)', () => {
    expect(checkTenantDomain('shop.example.org', 'sandbox.test')).toEqual({
      ok: false,
      domain: 'shop.example.org',
      code: 'outside-suffix',
      message:
        "shop.example.org is not under this instance's tenant domain suffix sandbox.test: Tracardi serves it only if its DNS points at this instance.",
    });
    const allowed = checkTenantDomain('shop.example.org', 'sandbox.test', { allowOutsideSuffix: true });
    expect(allowed).toMatchObject({ ok: true, tenant: 'shop', outsideSuffix: true });
    expect(allowed.ok && allowed.outsideMessage).toMatch(/is not under this instance's tenant domain suffix/);
    // The suffix itself, or a look-alike ending, is not under it.
    expect(underSuffix('sandbox.test', 'sandbox.test')).toBe(false);
    expect(underSuffix('shop.notsandbox.test', 'sandbox.test')).toBe(false);
    expect(underSuffix('shop.sandbox.test', '.Sandbox.Test.')).toBe(true);
  });
  it('refuses user:password@ before anything else, quoting none of it', () => {
    for (const input of ['https://user:pw@shop.sandbox.test', 'user@shop.sandbox.test', '//a:b@shop.sandbox.test/x']) {
      const c = checkTenantDomain(input, 'sandbox.test');
      expect(c).toMatchObject({ ok: false, code: 'credentials' });
      expect(!c.ok && c.message).not.toMatch(/pw|a:b|shop/);
    }
    expect(hasDomainUserinfo('shop.sandbox.test/path@x')).toBe(false);
  });
  it('says what Tracardi derives no tenant from', () => {
    expect(checkTenantDomain('ab', 'sandbox.test')).toMatchObject({ ok: false, code: 'derive' });
  });
});
