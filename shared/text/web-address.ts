/**
 * A web address the operator types where no tenant name is derived from it: the API domain of a
 * single-tenant instance's tenant (any host reaches its one tenant) and a GUI domain. http or https
 * (or no scheme), a domain name or an IP address, an optional port; the path is dropped. The host is
 * checked by the same parser as a tenant API domain (shared/tenants/tenant-name.ts), so both refuse the same
 * hosts with the same words; only the rules about the tenant name are left out.
 */
import { quoteInput } from './input-rules';
import { deriveTenantName, type DeriveErrorCode } from '../tenants/tenant-name';

export type WebAddress = { ok: true; host: string; origin: string } | { ok: false; error: string };

// A scheme is letters before ':' that no port number follows ("host:8686" has none).
const SCHEME_RE = /^([a-z][a-z0-9+.-]*):(?![0-9])/i;
// The derive refusals that are about the tenant name, not the host: fine where no name is derived.
const NAME_ONLY: ReadonlySet<DeriveErrorCode> = new Set([
  'ip-address',
  'default-tenant',
  'too-few-labels',
  'too-short',
  'all-digits',
  'too-long',
]);

/**
 * Parse `text` as an http(s) address; `what` names the field in a refusal ("The API domain"),
 * `defaultProtocol` is used when no scheme is typed.
 */
export function parseWebAddress(text: string, what: string, defaultProtocol: 'http:' | 'https:'): WebAddress {
  const value = text.trim();
  if (value === '') return { ok: false, error: `${what} is empty: give a host name like shop.example.com.` };
  const scheme = SCHEME_RE.exec(value)?.[1]?.toLowerCase();
  // Never quoted back: what stands before an '@' may be a password.
  const authority = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  if (authority.includes('@'))
    return { ok: false, error: `${what} carries a user name or password (user:password@): give the host alone.` };
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https')
    return {
      ok: false,
      error: `${what} starts with ${quoteInput(`${scheme}:`)}: give a host name like shop.example.com, or an http:// or https:// URL.`,
    };
  const derived = deriveTenantName(value);
  if (!derived.ok && !NAME_ONLY.has(derived.error.code))
    return {
      ok: false,
      error: `${what}: ${derived.error.message.charAt(0).toLowerCase()}${derived.error.message.slice(1)}`,
    };
  let url: URL;
  try {
    url = new URL(scheme !== undefined ? value : `${defaultProtocol}//${value}`);
  } catch {
    return { ok: false, error: `${what} ${quoteInput(value)} is not a valid address.` };
  }
  // An address is taken as the WHATWG parser writes it (10.1 is 10.0.0.1); a name must be the one
  // our parser read, or the record would name another host than the one checked.
  const address = !derived.ok && ['ip-address', 'default-tenant'].includes(derived.error.code);
  const host = address ? url.hostname : derived.ok ? derived.asciiHost : (derived.asciiHost ?? '');
  if (host === '' || url.hostname.toLowerCase().replace(/\.+$/, '') !== host)
    return { ok: false, error: `${what} ${quoteInput(value)} is not a valid address.` };
  return { ok: true, host, origin: `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}` };
}
