/**
 * UI-wide notices: a polite live-region message for async results, and problems the operator must
 * see wherever they are (keychain and settings failures), collected from every failed call.
 */
import { createStore, useStore } from './store';
import { isApiError } from './transport';

interface NoticesState {
  /** The latest announcement; `seq` makes a repeated message announce again. */
  announcement: { text: string; seq: number };
  /** Keychain/settings problems seen in failed calls, newest first, deduplicated by code. */
  problems: { code: string; message: string }[];
}

const store = createStore<NoticesState>({ announcement: { text: '', seq: 0 }, problems: [] });

const SURFACED = /^(keychain-|settings-)/;

/** Announce an async result to screen readers (and the status line). */
export function announce(text: string): void {
  store.set((s) => ({ ...s, announcement: { text, seq: s.announcement.seq + 1 } }));
}

/** Record a failed call: keychain and settings problems stay visible in the status bar. */
export function reportError(error: unknown): void {
  if (isApiError(error)) reportProblem(error);
}

/** Keep a keychain or settings problem visible in the status bar (one per code, newest first). */
export function reportProblem({ code, message }: { code: string; message: string }): void {
  if (!SURFACED.test(code)) return;
  store.set((s) => ({
    ...s,
    problems: [{ code, message }, ...s.problems.filter((p) => p.code !== code)].slice(0, 5),
  }));
}

/** Forget the surfaced problems (the operator dismissed them). */
export function dismissProblems(): void {
  store.set((s) => ({ ...s, problems: [] }));
}

export function useAnnouncement() {
  return useStore(store, (s) => s.announcement);
}

export function useProblems() {
  return useStore(store, (s) => s.problems);
}
