/**
 * Who may act on a tenant's installation token when a team shares the fleet: the token lives only in
 * the keychain of the console that holds it (the record's `tokenHolder`), so only that console can
 * reveal, copy, export or hand it over; another operator's console is told who holds it and may
 * rotate, which issues a new token that it then holds. Revoke and delete need no token.
 *
 * Zod-free facts (the Tenants screen loads them): the token-action rule (shared/tenants/token-actions.ts)
 * takes the holder as one more fact, `heldBy`, so what is offered and what the services refuse
 * (main/services/tenants: `holdsToken`, `refuseTokenAction`) stay one rule.
 */
import type { TokenHolder } from '../team/team';

/** The actions that need the token itself, so the console that holds it. */
export const HOLDER_ONLY_ACTIONS = ['reveal', 'copy', 'export', 'hand-over'] as const;

/** What the rule needs: the record's token holder and this console's keychain id (`app.status`). */
export interface HolderFacts {
  holder: TokenHolder | null | undefined;
  keychain: string;
}

/**
 * True when this console's keychain holds the token. A record that names no holder (written before
 * the registry, or a tenant without a token) counts as this console's, as the services count it.
 */
export function holdsTokenHere(f: HolderFacts): boolean {
  return !f.holder || f.holder.keychain === f.keychain;
}

/** The operator who holds the token elsewhere, or null when this console holds it. */
export function otherHolder(f: HolderFacts): TokenHolder | null {
  return holdsTokenHere(f) ? null : (f.holder ?? null);
}

/** "Ann Smith (ann@example.com) on ws-12": how the window names an operator (zod-free). */
export function operatorLabel(s: { name: string; email?: string | undefined; workstation: string }): string {
  return `${s.name}${s.email ? ` (${s.email})` : ''} on ${s.workstation}`;
}
