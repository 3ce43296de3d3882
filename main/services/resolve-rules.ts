/**
 * Resolve rules (`host=address[,address]`, `*.suffix` wildcards), like curl's --resolve: answer
 * verification's DNS lookups for the named hosts locally and every other name from DNS. Used by
 * `tenantctl serve --resolve` and by the Electron shell's TENANT_CONSOLE_RESOLVE.
 */
import { isIP } from 'node:net';
import { ConsoleError } from '../../shared/errors';
import { DnsLookupError, MapResolver, SystemResolver, normaliseHost, type Resolver } from './dns';

/** One `--resolve` rule: a host name or `*.suffix`, and the addresses it resolves to. */
export interface ResolveRule {
  host: string;
  addresses: string[];
}

const HOST_RE = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Parse `host=addr[,addr…]` (host may be `*.suffix`); throws a validation error naming the bad rule. */
export function parseResolveRule(text: string): ResolveRule {
  const eq = text.indexOf('=');
  const host = normaliseHost(eq === -1 ? '' : text.slice(0, eq));
  const addresses = (eq === -1 ? '' : text.slice(eq + 1))
    .split(',')
    .map((a) => a.trim().replace(/^\[(.*)\]$/, '$1'))
    .filter(Boolean);
  if (!host || !HOST_RE.test(host) || host === '*') {
    throw new ConsoleError(
      'validation',
      `resolve rule "${text}": expected <host>=<address>[,<address>…], host a name or *.suffix (e.g. '*.sandbox.test=127.0.0.1').`,
    );
  }
  const bad = addresses.find((a) => isIP(a) === 0);
  if (addresses.length === 0 || bad !== undefined) {
    throw new ConsoleError(
      'validation',
      `resolve rule "${text}": ${bad === undefined ? 'no address given' : `"${bad}" is not an IP address`}.`,
    );
  }
  return { host, addresses };
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
