/** The repeatable `--resolve` option that `serve` and `tenants verify` share. */

export const RESOLVE_FLAGS = '--resolve <host:port:address>';

export const RESOLVE_HELP =
  "like curl's --resolve: DNS lookups of <host> answer <address>[,<address>…] and Tracardi requests to <host>:<port> connect there (host may be *.suffix; host=address also works); repeatable; other names use the system resolver";

/** Commander's collector: every `--resolve` given, in order. */
export function collectRule(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
