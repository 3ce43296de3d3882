// The browser shell's desktop notifications (renderer/features/changes/page-notifications.ts) with a
// stand-in for the page's Notifications API: shown only when allowed, and clicking one focuses the
// page and opens the Changes screen (its route, `#/changes`).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoute } from '../../../renderer/lib/routes';
import type { WatchNotice } from '../../../shared/watch/watch-text';

// Loaded by a computed path: the module uses the DOM's globals, and the tests compile with the node
// tsconfig (no DOM lib); its types are not needed here beyond this one function.
const modulePath = '../../../renderer/features/changes/page-notifications';
const { showPageNotices } = (await import(/* @vite-ignore */ modulePath)) as {
  showPageNotices: (notices: readonly WatchNotice[]) => number;
};

class FakeNotification {
  static permission: 'granted' | 'denied' | 'default' = 'granted';
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: { body: string; tag: string },
  ) {
    FakeNotification.shown.push(this);
  }
}

const page = { location: { hash: '#/new-tenant' }, focused: 0 };

beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  page.location.hash = '#/new-tenant';
  page.focused = 0;
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('location', page.location);
  vi.stubGlobal('window', { focus: () => page.focused++ });
});
afterEach(() => vi.unstubAllGlobals());

const notice = {
  id: 3,
  tone: 'problem' as const,
  title: 'Tracardi: problem',
  body: 'shop on EU 1: installed -> drift',
};

describe('page notifications', () => {
  it('a click focuses the page and opens the Changes screen', () => {
    expect(showPageNotices([notice])).toBe(1);
    const [shown] = FakeNotification.shown;
    expect(shown!.title).toBe('Tracardi: problem');
    expect(shown!.options).toEqual({ body: 'shop on EU 1: installed -> drift', tag: 'tracardi-watch-3' });
    expect(parseRoute(page.location.hash)).toEqual({ screen: 'new-tenant' });
    shown!.onclick!();
    expect(page.focused).toBe(1);
    expect(parseRoute(page.location.hash)).toEqual({ screen: 'changes' });
  });

  it('nothing is shown unless the operator allowed it', () => {
    FakeNotification.permission = 'default';
    expect(showPageNotices([notice])).toBe(0);
    expect(FakeNotification.shown).toEqual([]);
  });
});
