import { describe, expect, it } from 'vitest';
import { APP_SHORTCUTS, createShortcutMatcher, isTypingTarget, type KeyInput } from '../../../renderer/lib/shortcuts';

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({ key: k, target: { tagName: 'BODY' }, ...extra });

describe('shortcut matcher', () => {
  it('matches single keys and two-key sequences', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    expect(m.feed(key('n'), 0)).toEqual({ action: 'go-new-tenant', consumed: true });
    expect(m.feed(key('g'), 10)).toEqual({ action: null, consumed: true });
    expect(m.feed(key('f'), 20)).toEqual({ action: 'go-fleet', consumed: true });
    expect(m.feed(key('g'), 30).action).toBeNull();
    expect(m.feed(key('t'), 40).action).toBe('go-tenants');
    expect(m.feed(key('/'), 50).action).toBe('focus-search');
    expect(m.feed(key('?'), 60).action).toBe('show-help');
    expect(m.feed(key('r'), 70).action).toBe('refresh');
  });

  it('does not fire a sequence key on its own ("f" alone is nothing)', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    expect(m.feed(key('f'), 0)).toEqual({ action: null, consumed: false });
    expect(m.feed(key('x'), 10)).toEqual({ action: null, consumed: false });
  });

  it('drops a pending sequence after the timeout', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS, 1000);
    m.feed(key('g'), 0);
    expect(m.feed(key('f'), 1500).action).toBeNull();
    m.feed(key('g'), 2000);
    expect(m.feed(key('f'), 2500).action).toBe('go-fleet');
  });

  it('restarts with the new key when a pending sequence is broken by another shortcut', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    m.feed(key('g'), 0);
    expect(m.feed(key('n'), 10).action).toBe('go-new-tenant');
    m.feed(key('g'), 20);
    expect(m.feed(key('g'), 30)).toEqual({ action: null, consumed: true });
    expect(m.feed(key('a'), 40).action).toBe('go-audit');
    m.feed(key('g'), 50);
    expect(m.feed(key('c'), 60).action).toBe('go-changes');
  });

  it('never fires while the operator types in a field, and a field keystroke clears a pending sequence', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT', type: 'search' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      expect(m.feed(key('n', { target }), 0)).toEqual({ action: null, consumed: false });
      expect(m.feed(key('/', { target }), 0).action).toBeNull();
    }
    m.feed(key('g'), 0);
    m.feed(key('f', { target: { tagName: 'INPUT' } }), 10);
    expect(m.feed(key('f'), 20).action).toBeNull();
  });

  it('fires on non-text inputs (a focused checkbox or button)', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    expect(m.feed(key('n', { target: { tagName: 'INPUT', type: 'checkbox' } }), 0).action).toBe('go-new-tenant');
    expect(m.feed(key('r', { target: { tagName: 'BUTTON' } }), 10).action).toBe('refresh');
  });

  it('leaves Ctrl/Alt/Meta combinations to the browser', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    expect(m.feed(key('r', { ctrlKey: true }), 0)).toEqual({ action: null, consumed: false });
    expect(m.feed(key('r', { metaKey: true }), 0).action).toBeNull();
    expect(m.feed(key('n', { altKey: true }), 0).action).toBeNull();
  });

  it('ignores a lone Shift between the keys of a sequence', () => {
    const m = createShortcutMatcher(APP_SHORTCUTS);
    m.feed(key('g'), 0);
    m.feed(key('Shift'), 5);
    expect(m.feed(key('t'), 10).action).toBe('go-tenants');
  });
});

describe('isTypingTarget', () => {
  it('tells text entry from other controls', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input', type: 'EMAIL' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'A' })).toBe(false);
  });
});
