// The token holder is one more fact of the token-action rule (shared/tenants/token-actions.ts): only the
// console whose keychain holds a tenant's token may reveal, copy, export or hand it over.
import { describe, expect, it } from 'vitest';
import { factsOf, offeredActions, tokenState, TOKEN_ACTIONS, whyNot } from '../../../shared/tenants/token-actions';
import { holdsTokenHere, operatorLabel, otherHolder } from '../../../shared/tenants/token-holder';

const now = new Date('2026-12-07T12:00:00Z');
const mine = 'ann@ws-1/tracardi-tenant-console';
const bob = {
  name: 'Bob Beta',
  email: 'bob@example.com',
  workstation: 'ws-2',
  keychain: 'bob@ws-2/tracardi-tenant-console',
  since: '2026-12-07T10:00:00.000Z',
};
const record = (tokenHolder: typeof bob | undefined, patch: Partial<{ state: 'registered' | 'installed' }> = {}) => ({
  state: 'registered' as const,
  tokenExpiresAt: '2027-01-06T12:00:00Z',
  ...(tokenHolder ? { tokenHolder } : {}),
  ...patch,
});
const factsHere = (r: ReturnType<typeof record>, inKeychain: boolean | null = true) =>
  factsOf(r, { singleTenant: false, inKeychain, keychain: mine });

describe('the token holder rule', () => {
  it('a record held by this keychain, or naming no holder, is this console’s: every action is offered', () => {
    for (const holder of [undefined, { ...bob, keychain: mine }]) {
      expect(holdsTokenHere({ holder, keychain: mine })).toBe(true);
      expect(otherHolder({ holder, keychain: mine })).toBeNull();
      const f = factsHere(record(holder));
      expect(f.heldBy).toBeNull();
      expect(offeredActions(f, now)).toEqual([...TOKEN_ACTIONS]);
    }
  });

  it('another keychain holds it: reveal, copy, export and hand-over are refused naming the holder; rotate, revoke and delete stay', () => {
    const f = factsHere(record(bob), false);
    expect(holdsTokenHere({ holder: bob, keychain: mine })).toBe(false);
    expect(f.heldBy).toBe(bob);
    // Not 'missing': this keychain is not where the token lives.
    expect(tokenState(f, now)).toBe('elsewhere');
    expect(offeredActions(f, now)).toEqual(['rotate', 'revoke', 'delete']);
    expect(whyNot('reveal', f, now)).toBe(
      "has its installation token held by Bob Beta (bob@example.com) on ws-2: it lives only in that operator's keychain, so only they can reveal it",
    );
    expect(whyNot('hand-over', f, now)).toMatch(/so only they can hand it over$/);
    expect(whyNot('rotate', f, now)).toBeNull();
  });

  it('the token’s state still decides first: an installed tenant held by another offers no rotate either', () => {
    const f = factsHere(record(bob, { state: 'installed' }));
    expect(tokenState(f, now)).toBe('spent');
    expect(offeredActions(f, now)).toEqual(['revoke', 'delete']);
  });

  it('without this console’s keychain id the holder is not read (a shell that does not know it)', () => {
    expect(factsOf(record(bob), { singleTenant: false, inKeychain: true }).heldBy).toBeNull();
  });

  it('the same operator name on another keychain (another workstation or keychain service) is another holder', () => {
    const other = { ...bob, name: 'Ann Alpha', keychain: 'ann@ws-9/tracardi-tenant-console' };
    expect(holdsTokenHere({ holder: other, keychain: mine })).toBe(false);
    expect(tokenState(factsHere(record(other)), now)).toBe('elsewhere');
  });

  it('names an operator with or without an e-mail', () => {
    expect(operatorLabel({ name: 'Ann', workstation: 'ws-1' })).toBe('Ann on ws-1');
    expect(operatorLabel({ name: 'Ann', email: 'a@x.io', workstation: 'ws-1' })).toBe('Ann (a@x.io) on ws-1');
  });
});
