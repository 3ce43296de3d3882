// One rule for what can be done with a tenant's token: the services refuse what it refuses and the
// window offers what it offers, so nothing is offered only to be refused.
import { describe, expect, it } from 'vitest';
import { factsOf, offeredActions, tokenState, whyNot, type TokenFacts } from '../../../shared/tenants/token-actions';

const now = new Date('2026-12-07T12:00:00Z');
const facts = (patch: Partial<TokenFacts> = {}): TokenFacts => ({
  state: 'registered',
  tokenExpiresAt: '2027-01-06T12:00:00Z',
  singleTenant: false,
  inKeychain: true,
  ...patch,
});

describe('token state', () => {
  it('is the first of revoked, spent, elsewhere, not known, missing, expired, unknown, valid', () => {
    expect(tokenState(facts(), now)).toBe('valid');
    expect(tokenState(facts({ inKeychain: null }), now)).toBe('unknown');
    expect(tokenState(facts({ inKeychain: false }), now)).toBe('missing');
    expect(tokenState(facts({ tokenExpiresAt: '2026-12-01T00:00:00Z' }), now)).toBe('expired');
    expect(tokenState(facts({ tokenExpiresAt: '2026-12-01T00:00:00Z', inKeychain: null }), now)).toBe('expired');
    expect(tokenState(facts({ state: 'installed' }), now)).toBe('spent');
    expect(tokenState(facts({ state: 'handed-over', installedAt: '2026-12-02T00:00:00Z' }), now)).toBe('spent');
    expect(tokenState(facts({ state: 'revoked', installedAt: '2026-12-02T00:00:00Z' }), now)).toBe('revoked');
    expect(tokenState(facts({ adoptedToken: 'unknown', inKeychain: false }), now)).toBe('not-known');
    expect(tokenState(facts({ tokenExpiresAt: null }), now)).toBe('valid');
  });
});

describe('what is offered', () => {
  it('a fresh token: everything', () => {
    expect(offeredActions(facts(), now)).toEqual([
      'reveal',
      'copy',
      'export',
      'hand-over',
      'rotate',
      'revoke',
      'delete',
    ]);
  });
  it('spent by the install: no hand-over and no rotate; revoke and delete stay', () => {
    const spent = facts({ state: 'installed', installedAt: '2026-12-02T00:00:00Z' });
    expect(offeredActions(spent, now)).toEqual(['revoke', 'delete']);
    expect(whyNot('rotate', spent, now)).toBe(
      'is installed: its installation token is spent and is not rotated (revoke it instead)',
    );
    expect(whyNot('reveal', spent, now)).toMatch(/^is installed: its installation token is spent/);
  });
  it('revoked: only delete', () => {
    expect(offeredActions(facts({ state: 'revoked', inKeychain: false }), now)).toEqual(['delete']);
  });
  it('expired: rotate it, nothing to hand over', () => {
    expect(offeredActions(facts({ tokenExpiresAt: '2026-12-01T00:00:00Z' }), now)).toEqual([
      'rotate',
      'revoke',
      'delete',
    ]);
  });
  it('missing from this keychain, or adopted without it: rotate issues one; nothing to reveal', () => {
    expect(offeredActions(facts({ inKeychain: false }), now)).toEqual(['rotate', 'revoke', 'delete']);
    expect(offeredActions(facts({ adoptedToken: 'unknown', inKeychain: false }), now)).toEqual([
      'rotate',
      'revoke',
      'delete',
    ]);
  });
  it('a keychain that could not answer: the service decides (offered)', () => {
    expect(offeredActions(facts({ inKeychain: null }), now)).toContain('reveal');
  });
  it('a single-tenant instance: its INSTALLATION_TOKEN is neither rotated nor revoked by the console', () => {
    expect(offeredActions(facts({ singleTenant: true }), now)).toEqual([
      'reveal',
      'copy',
      'export',
      'hand-over',
      'delete',
    ]);
  });
  it('reads a record, a list row (adopted: true) or a full record (adopted: { token })', () => {
    const record = { state: 'registered' as const, tokenExpiresAt: null, adopted: { token: 'unknown' as const } };
    expect(factsOf(record, { singleTenant: false, inKeychain: false }).adoptedToken).toBe('unknown');
    expect(factsOf({ state: 'installed', adopted: true }, { singleTenant: false, inKeychain: null })).toMatchObject({
      state: 'installed',
      adoptedToken: undefined,
      tokenExpiresAt: null,
    });
  });
});
