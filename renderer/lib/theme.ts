/**
 * Dark and light themes: CSS variables switched by `data-theme` on <html>; "system" follows
 * `prefers-color-scheme`. The choice is stored in the core's settings via `preferences.set`.
 */
import { createStore, useStore } from './store';

export type ThemePreference = 'system' | 'light' | 'dark';

const store = createStore<ThemePreference>('system');

function apply(pref: ThemePreference): void {
  document.documentElement.dataset.theme = pref;
}

/** Set the theme shown now (the caller stores it through the contract). */
export function setThemePreference(pref: ThemePreference): void {
  store.set(pref);
  apply(pref);
}

export function useThemePreference(): ThemePreference {
  return useStore(store, (s) => s);
}

export function isThemePreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark';
}
