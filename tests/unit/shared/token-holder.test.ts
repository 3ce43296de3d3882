import { describe, expect, it } from 'vitest';
import {
  holderAllows,
  holderWhyNot,
  holdsTokenHere,
  operatorLabel,
  otherHolder,
  type HolderTokenAction,
} from '../../../shared/token-holder';

const ALL: HolderTokenAction[] = ['reveal', 'copy', 'export', 'hand-over', 'rotate', 'revoke', 'delete'];
const mine = 'ann@ws-1/tracardi-tenant-console';
const bob = {
  name: 'Bob Beta',
  email: 'bob@example.com',
  workstation: 'ws-2',
  keychain: 'bob@ws-2/tracardi-tenant-console',
  since: '2026-12-07T10:00:00.000Z',
};

describe('the token holder rule', () => {
  it('a record held by this keychain, or naming no holder, is this console’s: every action is offered', () => {
    for (const holder of [undefined, null, { ...bob, keychain: mine }]) {
      const facts = { holder, keychain: mine };
      expect(holdsTokenHere(facts)).toBe(true);
      expect(otherHolder(facts)).toBeNull();
      expect(holderAllows(ALL, facts)).toEqual(ALL);
    }
  });

  it('another keychain holds it: reveal, copy, export and hand-over are refused naming the holder; rotate, revoke and delete stay', () => {
    const facts = { holder: bob, keychain: mine };
    expect(holdsTokenHere(facts)).toBe(false);
    expect(otherHolder(facts)).toBe(bob);
    expect(holderAllows(ALL, facts)).toEqual(['rotate', 'revoke', 'delete']);
    expect(holderWhyNot('reveal', facts)).toBe(
      'is held by Bob Beta (bob@example.com) on ws-2: only that operator can reveal it; Rotate token issues a new token that you hold',
    );
    expect(holderWhyNot('hand-over', facts)).toMatch(/only that operator can hand it over;/);
    expect(holderWhyNot('rotate', facts)).toBeNull();
  });

  it('the same operator name on another keychain (another workstation or keychain service) is another holder', () => {
    const facts = {
      holder: { ...bob, name: 'Ann Alpha', keychain: 'ann@ws-9/tracardi-tenant-console' },
      keychain: mine,
    };
    expect(holdsTokenHere(facts)).toBe(false);
  });

  it('names an operator with or without an e-mail', () => {
    expect(operatorLabel({ name: 'Ann', workstation: 'ws-1' })).toBe('Ann on ws-1');
    expect(operatorLabel({ name: 'Ann', email: 'a@x.io', workstation: 'ws-1' })).toBe('Ann (a@x.io) on ws-1');
  });
});
