/**
 * What the operator typed as a new tenant's API domain, checked as the console takes it: the same
 * rule in the New tenant form (live, per keystroke) and in the tenant plan a create or preview runs
 * (main/services/tenants/preview.ts). On top of the name Tracardi derives (tenant-name.ts):
 *   - no user name or password in it (user:password@), refused as the instance form refuses one in
 *     a URL, never silently stripped;
 *   - under the instance's tenant domain suffix, unless the operator says the domain is outside it on
 *     purpose (its DNS points at the instance): otherwise the tenant is created, then found unreachable.
 */
import { completeTenantDomain, deriveTenantName, type DeriveWarning } from './tenant-name';

export type DomainCheck =
  | {
      ok: true;
      /** The domain as completed (a bare label gets the suffix). */
      domain: string;
      tenant: string;
      asciiHost: string;
      warnings: DeriveWarning[];
      /** Outside the suffix, and allowed: said in `outsideMessage`. */
      outsideSuffix: boolean;
      outsideMessage: string | null;
    }
  | {
      ok: false;
      domain: string;
      code: 'credentials' | 'outside-suffix' | 'derive';
      message: string;
    };

/** True when the text's host part carries user-info (`user@host`, `https://user:pw@host/…`). */
export function hasDomainUserinfo(text: string): boolean {
  const afterScheme = text
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^\/\//, '');
  const end = afterScheme.search(/[/?#]/);
  // A '/' in a password ends the authority early: deriveTenantName refuses that form on its own.
  return (end === -1 ? afterScheme : afterScheme.slice(0, end)).includes('@');
}

/** `host` is the suffix's subdomain (`shop.eu1.example.com` under `eu1.example.com`). */
export function underSuffix(host: string, suffix: string): boolean {
  const clean = suffix
    .trim()
    .toLowerCase()
    .replace(/^\.+|\.+$/g, '');
  return clean !== '' && host.endsWith(`.${clean}`);
}

/** Why a domain outside the suffix is refused (or, when allowed, what the operator took on). */
export function outsideSuffixMessage(host: string, suffix: string): string {
  return `${host} is not under this instance's tenant domain suffix ${suffix}: Tracardi serves it only if its DNS points at this instance.`;
}

/** Check a new tenant's API domain for an instance with tenant domain suffix `suffix`. */
export function checkTenantDomain(
  input: string,
  suffix: string,
  options: { allowOutsideSuffix?: boolean; field?: string } = {},
): DomainCheck {
  const field = options.field ?? 'The tenant API domain';
  const domain = completeTenantDomain(input, suffix);
  if (hasDomainUserinfo(input))
    return {
      ok: false,
      domain,
      code: 'credentials',
      message: `${field} must not carry a user name or password (user:password@): enter the domain alone.`,
    };
  const derived = deriveTenantName(domain);
  if (!derived.ok) return { ok: false, domain, code: 'derive', message: derived.error.message };
  const outside = !underSuffix(derived.asciiHost, suffix);
  if (outside && !options.allowOutsideSuffix)
    return { ok: false, domain, code: 'outside-suffix', message: outsideSuffixMessage(derived.asciiHost, suffix) };
  return {
    ok: true,
    domain,
    tenant: derived.tenant,
    asciiHost: derived.asciiHost,
    warnings: derived.warnings,
    outsideSuffix: outside,
    outsideMessage: outside ? outsideSuffixMessage(derived.asciiHost, suffix) : null,
  };
}
