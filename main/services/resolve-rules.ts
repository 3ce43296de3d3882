/**
 * Resolve rules (`host=address[,address]` or curl's `host:port:address[,address]`, `*.suffix`
 * wildcards), like curl's --resolve: answer verification's DNS lookups for the named hosts locally
 * and every other name from DNS, and connect Tracardi requests for those hosts to those addresses
 * (Host and TLS name unchanged), so a host can be verified before DNS points at it. Used by
 * `tenantctl serve --resolve`, `tenantctl tenants verify --resolve` and the Electron shell's
 * TENANT_CONSOLE_RESOLVE.
 */
import { isIP } from 'node:net';
import { ConsoleError } from '../../shared/errors/errors';
import { DnsLookupError, MapResolver, SystemResolver, normaliseHost, type Resolver } from './dns';

/** One `--resolve` rule: a host name or `*.suffix`, and the addresses it resolves to. */
export interface ResolveRule {
  host: string;
  addresses: string[];
  /** curl's form names a port: the rule then redirects connections to that port only. */
  port?: number;
}

const HOST_RE = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** curl's `host:port:address[,address…]`; addresses may be bracketed IPv6 literals. */
const CURL_FORM = /^([^:=\s]+):(\d{1,5}):(.+)$/;

/**
 * Parse `host=addr[,addr…]` or curl's `host:port:addr[,addr…]` (host may be `*.suffix`); throws a
 * validation error naming the bad rule.
 */
export function parseResolveRule(text: string): ResolveRule {
  const curl = text.includes('=') ? null : CURL_FORM.exec(text.trim());
  const port = curl ? Number(curl[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new ConsoleError('validation', `resolve rule "${text}": port ${port} is not 1-65535.`);
  }
  const eq = text.indexOf('=');
  const host = normaliseHost(curl ? curl[1]! : eq === -1 ? '' : text.slice(0, eq));
  const addresses = (curl ? curl[3]! : eq === -1 ? '' : text.slice(eq + 1))
    .split(',')
    .map((a) => a.trim().replace(/^\[(.*)\]$/, '$1'))
    .filter(Boolean);
  if (!host || !HOST_RE.test(host) || host === '*') {
    throw new ConsoleError(
      'validation',
      `resolve rule "${text}": expected <host>=<address>[,<address>…] or <host>:<port>:<address>, host a name or *.suffix (e.g. '*.sandbox.test=127.0.0.1', 'api.x.com:443:10.0.0.5').`,
    );
  }
  const bad = addresses.find((a) => isIP(a) === 0);
  if (addresses.length === 0 || bad !== undefined) {
    throw new ConsoleError(
      'validation',
      `resolve rule "${text}": ${bad === undefined ? 'no address given' : `"${bad}" is not an IP address`}.`,
    );
  }
  return port === undefined ? { host, addresses } : { host, addresses, port };
}

/**
 * The address a connection to `host:port` goes to under the rules (exact names before wildcards,
 * the longest wildcard first; a rule with a port applies to that port only), or undefined for the
 * system's own resolution.
 */
export function connectAddress(rules: readonly ResolveRule[], hostIn: string, port: number): string | undefined {
  const host = normaliseHost(hostIn);
  const applies = rules.filter((r) => r.port === undefined || r.port === port);
  const exact = applies.find((r) => r.host === host);
  if (exact) return exact.addresses[0];
  let best: ResolveRule | undefined;
  for (const r of applies) {
    const suffix = r.host.startsWith('*.') ? r.host.slice(1) : null;
    if (suffix && host.endsWith(suffix) && host.length > suffix.length && (!best || r.host.length > best.host.length))
      best = r;
  }
  return best?.addresses[0];
}

/**
 * A resolver answering the rules' names from the rules (exact names before wildcards, the longest
 * wildcard first) and every other name from `fallback` (the system resolver by default).
 */
export function resolverWithOverrides(
  rules: readonly ResolveRule[],
  fallback: Resolver = new SystemResolver(),
): Resolver {
  const map = new MapResolver(Object.fromEntries(rules.map((r) => [r.host, r.addresses])));
  return {
    async resolve(host: string): Promise<string[]> {
      try {
        return await map.resolve(host);
      } catch (err) {
        if (err instanceof DnsLookupError && err.kind === 'not-found') return fallback.resolve(host);
        throw err;
      }
    },
  };
}

/** Rules from a whitespace- or semicolon-separated list (the TENANT_CONSOLE_RESOLVE variable). */
export function parseResolveRules(text: string | undefined): ResolveRule[] {
  return (text ?? '')
    .split(/[\s;]+/)
    .filter(Boolean)
    .map(parseResolveRule);
}
