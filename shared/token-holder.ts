/**
 * Who may act on a tenant's installation token when a team shares the fleet: the token lives only in
 * the keychain of the console that holds it (the record's `tokenHolder`), so only that console can
 * reveal, copy, export or hand it over; another operator's console is told who holds it and may
 * rotate, which issues a new token that it then holds. Revoke and delete need no token.
 *
 * One pure rule, zod-free (the Tenants screen loads it), the same the services enforce
 * (main/services/tenants: `holdsToken`, `requireHolder`). Written to merge into the token-action
 * rule (shared/token-actions.ts) as one more fact: the action names are the same.
 */
import type { TokenHolder } from './team';

/** The token actions, named as shared/token-actions.ts names them. */
export type HolderTokenAction = 'reveal' | 'copy' | 'export' | 'hand-over' | 'rotate' | 'revoke' | 'delete';

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

const VERB: Record<(typeof HOLDER_ONLY_ACTIONS)[number], string> = {
  reveal: 'reveal it',
  copy: 'copy it',
  export: 'export it in a hand-off sheet',
  'hand-over': 'hand it over',
};

/**
 * Why `action` is not offered to this console, as the end of a sentence that starts with "The
 * installation token of <tenant>"; null when the holder rule allows it (the token's state may still
 * refuse it: shared/token-actions.ts).
 */
export function holderWhyNot(action: HolderTokenAction, f: HolderFacts): string | null {
  const other = otherHolder(f);
  if (!other) return null;
  const needsToken = (HOLDER_ONLY_ACTIONS as readonly string[]).includes(action);
  if (!needsToken) return null;
  return `is held by ${operatorLabel(other)}: only that operator can ${VERB[action as keyof typeof VERB]}; Rotate token issues a new token that you hold`;
}

/** The actions the holder rule leaves to this console, in the order given. */
export function holderAllows<A extends HolderTokenAction>(actions: readonly A[], f: HolderFacts): A[] {
  return actions.filter((a) => holderWhyNot(a, f) === null);
}
