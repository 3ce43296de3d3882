/** Wires the pure shortcut matcher to the page: navigation, refresh, search focus and the help list. */
import { useEffect, useRef } from 'react';
import { createShortcutMatcher, APP_SHORTCUTS, type AppAction } from '../../lib/shortcuts';
import { navigate, type Route } from '../../lib/router';
import { requestRefresh } from '../../lib/refresh';

const GO: Partial<Record<AppAction, Route>> = {
  'go-fleet': { screen: 'fleet' },
  'go-tenants': { screen: 'tenants' },
  'go-new-tenant': { screen: 'new-tenant' },
  'go-verify': { screen: 'verify' },
  'go-changes': { screen: 'changes' },
  'go-instances': { screen: 'instances' },
  'go-audit': { screen: 'audit' },
  'go-settings': { screen: 'settings' },
};

/** Ctrl+K (Cmd+K on a Mac): the search box, from anywhere, a text field too (as in Lens and Grafana). */
function isSearchKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
}

function focusSearch(): boolean {
  const input = document.querySelector<HTMLInputElement>('[data-shortcut-search]');
  if (!input) return false;
  input.focus();
  input.select();
  return true;
}

export function useAppShortcuts(onHelp: () => void, onSearch: () => void): void {
  const helpRef = useRef(onHelp);
  const searchRef = useRef(onSearch);
  useEffect(() => {
    helpRef.current = onHelp;
    searchRef.current = onSearch;
  });

  useEffect(() => {
    const matcher = createShortcutMatcher(APP_SHORTCUTS);
    function onKey(event: KeyboardEvent) {
      // A modal dialog owns the keyboard (the page behind it is inert).
      if (document.getElementById('root')?.hasAttribute('inert')) return;
      if (isSearchKey(event)) {
        event.preventDefault();
        searchRef.current();
        return;
      }
      const target = event.target instanceof HTMLElement ? event.target : null;
      const { action, consumed } = matcher.feed({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target: target
          ? {
              tagName: target.tagName,
              isContentEditable: target.isContentEditable,
              type: (target as HTMLInputElement).type,
            }
          : null,
      });
      if (consumed) event.preventDefault();
      if (!action) return;
      const route = GO[action];
      if (route) navigate(route);
      else if (action === 'refresh') requestRefresh();
      else if (action === 'show-help') helpRef.current();
      else if (action === 'open-search') searchRef.current();
      else if (action === 'focus-search' && !focusSearch()) {
        navigate({ screen: 'tenants' });
        requestAnimationFrame(() => requestAnimationFrame(() => focusSearch()));
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
