/**
 * Name resolution for verification: which addresses a tenant domain points at. Passed to services
 * through their constructors, so tests hand a `MapResolver` instead of touching real DNS.
 */
import { Resolver as DnsResolver, lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Resolves a host name to its A and AAAA addresses. Rejects with a `DnsLookupError` when it cannot. */
export interface Resolver {
  resolve(host: string): Promise<string[]>;
}

export type DnsFailure = 'not-found' | 'timeout' | 'failed';

/** A lookup that gave no address: the host does not exist, the resolver timed out, or it failed. */
export class DnsLookupError extends Error {
  readonly host: string;
  readonly kind: DnsFailure;

  constructor(host: string, kind: DnsFailure, detail?: string) {
    const what =
      kind === 'not-found'
        ? 'does not resolve'
        : kind === 'timeout'
          ? 'did not resolve in time'
          : 'could not be resolved';
    super(`${host} ${what}${detail ? ` (${detail})` : ''}`);
    this.name = 'DnsLookupError';
    this.host = host;
    this.kind = kind;
  }
}

/** Lower-case, no trailing dot: DNS names compare case-insensitively. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** One spelling per address, so "::1" and "0:0:0:0:0:0:0:1" don't count as two places. */
export function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  if (isIP(a) !== 6) return a;
  try {
    // The WHATWG URL parser prints IPv6 in its canonical compressed form.
    return new URL(`http://[${a}]/`).hostname.slice(1, -1);
  } catch {
    return a;
  }
}

export interface SystemResolverOptions {
  /** Per-lookup timeout; default 3000 ms. */
  timeoutMs?: number;
  /** DNS servers to ask instead of the system's (`ip` or `ip:port`). */
  servers?: string[];
}

const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * The real resolver: asks DNS for A and AAAA records (as the outside world sees them, not
 * /etc/hosts), then, when DNS has no answer, the system lookup (hosts file, mDNS) — both bounded by
 * the timeout. IP literals resolve to themselves.
 */
export class SystemResolver implements Resolver {
  private readonly timeoutMs: number;
  private readonly dns: DnsResolver;

  constructor(options: SystemResolverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    // c-ares' own timeout is per try; one try keeps the whole lookup close to timeoutMs.
    this.dns = new DnsResolver({ timeout: this.timeoutMs, tries: 1 });
    if (options.servers?.length) this.dns.setServers(options.servers);
  }

  async resolve(hostIn: string): Promise<string[]> {
    const host = normaliseHost(hostIn);
    if (isIP(host)) return [normaliseAddress(host)];
    const work = this.resolveUnbounded(host);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DnsLookupError(host, 'timeout', `${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      // The losing lookup is left to finish: cancel() would abort every lookup sharing this resolver.
      clearTimeout(timer);
    }
  }

  private async resolveUnbounded(host: string): Promise<string[]> {
    const [v4, v6] = await Promise.allSettled([this.dns.resolve4(host), this.dns.resolve6(host)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length) return unique(addresses.map(normaliseAddress));
    const errors = [v4, v6].flatMap((r) => (r.status === 'rejected' ? [r.reason as NodeJS.ErrnoException] : []));
    const timedOut = errors.some((e) => e.code === 'ETIMEOUT');
    // DNS says nothing: the system lookup still knows hosts-file and search-domain names.
    try {
      const found = await lookup(host, { all: true, verbatim: true });
      if (found.length) return unique(found.map((f) => normaliseAddress(f.address)));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!NOT_FOUND_CODES.has(code)) throw new DnsLookupError(host, 'failed', code || undefined);
    }
    if (timedOut) throw new DnsLookupError(host, 'timeout');
    const failed = errors.find((e) => !NOT_FOUND_CODES.has(e.code ?? ''));
    if (failed) throw new DnsLookupError(host, 'failed', failed.code);
    throw new DnsLookupError(host, 'not-found');
  }
}

export interface MapResolverOptions {
  /** Simulated latency per lookup, for benchmarks; default 0. */
  latencyMs?: number;
}

/**
 * A resolver over a fixed map, for tests and benchmarks. Keys are host names or wildcard suffixes
 * (`*.instance1.test` matches `a.instance1.test` and `a.b.instance1.test`, not `instance1.test`).
 * An exact entry wins over a wildcard, and the longest wildcard wins. Unknown hosts reject with
 * "not-found"; a host mapped to an Error rejects with it.
 */
export class MapResolver implements Resolver {
  private readonly exact = new Map<string, string[] | Error>();
  private readonly wildcards = new Map<string, string[] | Error>();
  private readonly latencyMs: number;
  /** Number of lookups answered, so tests can check what was resolved once. */
  lookups = 0;

  constructor(entries: Record<string, string[] | Error> = {}, options: MapResolverOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    for (const [host, value] of Object.entries(entries)) this.set(host, value);
  }

  /** Adds or replaces an entry. */
  set(host: string, value: string[] | Error): this {
    const key = normaliseHost(host);
    if (key.startsWith('*.')) this.wildcards.set(key.slice(1), value);
    else this.exact.set(key, value);
    return this;
  }

  delete(host: string): this {
    const key = normaliseHost(host);
    if (key.startsWith('*.')) this.wildcards.delete(key.slice(1));
    else this.exact.delete(key);
    return this;
  }

  async resolve(hostIn: string): Promise<string[]> {
    this.lookups++;
    if (this.latencyMs > 0) await new Promise((ok) => setTimeout(ok, this.latencyMs));
    const host = normaliseHost(hostIn);
    if (isIP(host)) return [normaliseAddress(host)];
    const value = this.exact.get(host) ?? this.matchWildcard(host);
    if (value === undefined) throw new DnsLookupError(host, 'not-found');
    if (value instanceof Error) throw value;
    return value.map(normaliseAddress);
  }

  private matchWildcard(host: string): string[] | Error | undefined {
    let best: { suffix: string; value: string[] | Error } | undefined;
    for (const [suffix, value] of this.wildcards) {
      if (host.endsWith(suffix) && host.length > suffix.length && (!best || suffix.length > best.suffix.length))
        best = { suffix, value };
    }
    return best?.value;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
