/**
 * What can be done with a tenant's installation token, from the record's state and what is known of
 * the token: one pure rule the services enforce (a refusal) and the window follows (what it offers),
 * so that nothing is offered only to be refused. Zod-free: the Tenants screen loads it.
 *
 * A new fact about the token is one more field of TokenFacts, one more TokenState and one more line
 * in `why`: the token holder (shared/tenants/token-holder.ts) is one, `heldBy`.
 */
import type { TokenHolder } from '../team/team';
import { operatorLabel, otherHolder, type HOLDER_ONLY_ACTIONS } from './token-holder';
import type { TenantState } from '../text/vocabulary';

/** What the installation token is now (never its value). */
export type TokenState =
  /** in the keychain (or not asked), not expired, not used */
  | 'valid'
  /** past its expiry, never used */
  | 'expired'
  /** used for the install: Tracardi takes a token once */
  | 'spent'
  /** revoked by the operator */
  | 'revoked'
  /** held by another operator's console: only in that keychain (a rotate issues one this console holds) */
  | 'elsewhere'
  /** the record expects one but this keychain holds none (a repair issues a fresh one) */
  | 'missing'
  /** adopted without it: the console never knew it */
  | 'not-known'
  /** the keychain could not be asked */
  | 'unknown';

export const TOKEN_ACTIONS = ['reveal', 'copy', 'export', 'hand-over', 'rotate', 'revoke', 'delete'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];

/** What the rule needs to know: the record's own fields, the instance's tenancy, the keychain's answer. */
export interface TokenFacts {
  state: TenantState;
  installedAt?: string | undefined;
  tokenExpiresAt: string | null;
  /** An adopted record's token knowledge ('unknown': adopted without it). */
  adoptedToken?: 'unknown' | 'supplied' | 'checked' | 'issued' | undefined;
  /** A single-tenant instance: its one token is its INSTALLATION_TOKEN, which the console does not change. */
  singleTenant: boolean;
  /** Whether this keychain holds the token; null when not asked or it could not answer. */
  inKeychain: boolean | null;
  /** The operator whose console holds the token when it is not this one (the record's token holder). */
  heldBy?: TokenHolder | null | undefined;
}

/** The token's state: the first that applies of revoked, spent, elsewhere, not known, missing, expired, unknown, valid. */
export function tokenState(f: TokenFacts, now: Date): TokenState {
  if (f.state === 'revoked') return 'revoked';
  if (f.state === 'installed' || f.installedAt) return 'spent';
  if (f.heldBy) return 'elsewhere';
  if (f.adoptedToken === 'unknown' && f.inKeychain !== true) return 'not-known';
  if (f.inKeychain === false) return 'missing';
  if (f.tokenExpiresAt && new Date(f.tokenExpiresAt).getTime() <= now.getTime()) return 'expired';
  return f.inKeychain === null ? 'unknown' : 'valid';
}

// Each action and the token states it is refused in, with why (after "Tenant x on y").
const HAND_OVER_REFUSED: Partial<Record<TokenState, string>> = {
  revoked: 'is revoked: it has no token',
  spent: 'is installed: its installation token is spent (Tracardi takes it once), so there is no token to hand over',
  'not-known': 'was adopted without its installation token: the console does not know it',
  missing: 'has no installation token in this keychain: a repair issues a fresh one',
  expired: 'has an expired installation token: rotate it to hand over a new one',
};

const VERB: Record<(typeof HOLDER_ONLY_ACTIONS)[number], string> = {
  reveal: 'reveal it',
  copy: 'copy it',
  export: 'export it in a hand-over sheet',
  'hand-over': 'hand it over',
};

/**
 * Why `action` is not done on a tenant with these facts, as the end of a sentence that starts with
 * "Tenant <name> on <instance>"; null when it is done (and so offered).
 */
export function whyNot(action: TokenAction, f: TokenFacts, now: Date): string | null {
  const token = tokenState(f, now);
  switch (action) {
    case 'reveal':
    case 'copy':
    case 'export':
    case 'hand-over':
      if (token === 'elsewhere' && f.heldBy)
        return `has its installation token held by ${operatorLabel(f.heldBy)}: it lives only in that operator's keychain, so only they can ${VERB[action]}`;
      return HAND_OVER_REFUSED[token] ?? null;
    case 'rotate':
      if (f.singleTenant) return "is on a single-tenant instance: its token is the instance's INSTALLATION_TOKEN";
      if (token === 'revoked') return 'is revoked; delete it and create it again to issue a new token';
      if (token === 'spent')
        return 'is installed: its installation token is spent and is not rotated (revoke it instead)';
      return null;
    case 'revoke':
      if (f.singleTenant) return "is on a single-tenant instance: its token is the instance's INSTALLATION_TOKEN";
      if (token === 'revoked') return 'is revoked already';
      return null;
    case 'delete':
      return null;
  }
}

/** The actions offered on a tenant with these facts, in TOKEN_ACTIONS order. */
export function offeredActions(f: TokenFacts, now: Date): TokenAction[] {
  return TOKEN_ACTIONS.filter((a) => whyNot(a, f, now) === null);
}

/**
 * The facts a tenant record gives (the keychain's answer and the tenancy come from elsewhere);
 * `keychain` is this console's keychain id, against which the record's token holder is read.
 */
export function factsOf(
  record: {
    state: TenantState;
    installedAt?: string | undefined;
    tokenExpiresAt?: string | null | undefined;
    adopted?: { token: TokenFacts['adoptedToken'] } | true | undefined;
    tokenHolder?: TokenHolder | undefined;
  },
  extra: { singleTenant: boolean; inKeychain: boolean | null; keychain?: string | undefined },
): TokenFacts {
  const { keychain, ...rest } = extra;
  return {
    state: record.state,
    installedAt: record.installedAt,
    tokenExpiresAt: record.tokenExpiresAt ?? null,
    adoptedToken: typeof record.adopted === 'object' ? record.adopted.token : undefined,
    heldBy: keychain === undefined ? null : otherHolder({ holder: record.tokenHolder, keychain }),
    ...rest,
  };
}
