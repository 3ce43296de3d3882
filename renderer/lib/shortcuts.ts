/**
 * Keyboard shortcuts: a pure matcher for single keys and two-key sequences ("g f"), that never
 * fires while the operator types in a field or holds Ctrl/Alt/Meta (those belong to the browser).
 */

export interface Shortcut<A extends string = string> {
  /** Space-separated key sequence as `KeyboardEvent.key` values, e.g. "g f", "n", "/", "?". */
  keys: string;
  action: A;
  description: string;
}

/** The parts of an event target the matcher looks at. */
export interface TargetInfo {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
}

/** The parts of a `KeyboardEvent` the matcher looks at. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: TargetInfo | null;
}

export interface MatchResult<A extends string> {
  /** The shortcut completed by this key, if any. */
  action: A | null;
  /** True when the key was part of a shortcut (completed or pending): the caller prevents its default. */
  consumed: boolean;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True when keys pressed on this target are typing (text fields, text areas, selects, editable content). */
export function isTypingTarget(target: TargetInfo | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return false;
}

export interface ShortcutMatcher<A extends string> {
  feed(input: KeyInput, now?: number): MatchResult<A>;
  reset(): void;
}

/** A matcher over `shortcuts`; a pending sequence is dropped after `sequenceTimeoutMs`. */
export function createShortcutMatcher<A extends string>(
  shortcuts: readonly Shortcut<A>[],
  sequenceTimeoutMs = 1200,
): ShortcutMatcher<A> {
  const sequences = shortcuts.map((s) => ({ keys: s.keys.split(' ').filter(Boolean), action: s.action }));
  let pending: string[] = [];
  let lastAt = 0;

  function tryMatch(candidate: string[]): MatchResult<A> | null {
    const exact = sequences.find(
      (s) => s.keys.length === candidate.length && s.keys.every((k, i) => k === candidate[i]),
    );
    if (exact) {
      pending = [];
      return { action: exact.action, consumed: true };
    }
    const prefix = sequences.some(
      (s) => s.keys.length > candidate.length && candidate.every((k, i) => s.keys[i] === k),
    );
    if (prefix) {
      pending = candidate;
      return { action: null, consumed: true };
    }
    return null;
  }

  return {
    feed(input, now = Date.now()) {
      const none: MatchResult<A> = { action: null, consumed: false };
      if (input.ctrlKey || input.metaKey || input.altKey || isTypingTarget(input.target)) {
        pending = [];
        return none;
      }
      // Modifier keys on their own (Shift for "?") neither match nor break a sequence.
      if (input.key === 'Shift' || input.key === 'Control' || input.key === 'Alt' || input.key === 'Meta') return none;
      if (pending.length && now - lastAt > sequenceTimeoutMs) pending = [];
      lastAt = now;
      const result = tryMatch([...pending, input.key]) ?? (pending.length ? tryMatch([input.key]) : null);
      if (result) return result;
      pending = [];
      return none;
    },
    reset() {
      pending = [];
    },
  };
}

export type AppAction =
  | 'go-fleet'
  | 'go-tenants'
  | 'go-new-tenant'
  | 'go-verify'
  | 'go-changes'
  | 'go-instances'
  | 'go-audit'
  | 'go-settings'
  | 'open-search'
  | 'refresh'
  | 'focus-search'
  | 'show-help';

/** The console's shortcuts, shown by "?". */
export const APP_SHORTCUTS: readonly Shortcut<AppAction>[] = [
  { keys: 'g f', action: 'go-fleet', description: 'Go to Fleet' },
  { keys: 'g t', action: 'go-tenants', description: 'Go to Tenants' },
  { keys: 'g v', action: 'go-verify', description: 'Go to Verify' },
  { keys: 'g c', action: 'go-changes', description: 'Go to Changes' },
  { keys: 'g i', action: 'go-instances', description: 'Go to Instances' },
  { keys: 'g a', action: 'go-audit', description: 'Go to Audit log' },
  { keys: 'g s', action: 'go-settings', description: 'Go to Settings' },
  { keys: 'n', action: 'go-new-tenant', description: 'New tenant' },
  { keys: 'r', action: 'refresh', description: 'Refresh the current screen' },
  { keys: '/', action: 'focus-search', description: "Focus the screen's filter box" },
  // Ctrl+K itself is caught before the matcher (it has a modifier); `s` is the same without one.
  { keys: 's', action: 'open-search', description: 'Search instances, tenants and domains (also Ctrl+K)' },
  { keys: '?', action: 'show-help', description: 'Show keyboard shortcuts' },
];
