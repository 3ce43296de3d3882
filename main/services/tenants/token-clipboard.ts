/**
 * Copying an installation token to the workstation clipboard, and clearing it again a little later
 * unless the operator has copied something else meanwhile.
 */
import { ConsoleError } from '../../../shared/errors/errors';
import type { TenantContext } from './tenant-context';
import type { TenantKey } from './types';

/** The clipboard side of the tokens: one pending clear at a time (the latest copy's). */
export class TokenClipboard {
  private readonly ctx: TenantContext;
  private clearTimer: NodeJS.Timeout | undefined;
  /** The token a pending clear is for (cleared at once by `clearNow`, e.g. when the app quits). */
  private pending: { token: string; clear: () => Promise<void> } | undefined;

  constructor(ctx: TenantContext) {
    this.ctx = ctx;
  }

  /**
   * Put the token on the clipboard and clear it after `clearAfterSeconds` (default: the
   * preference, 30 s; 0 = never), but only if the clipboard still holds the token then.
   */
  async copy(key: TenantKey, options: { clearAfterSeconds?: number }): Promise<{ clearsInSeconds: number }> {
    const ctx = this.ctx;
    return ctx.audited(
      'copy',
      key,
      async () => {
        const clipboard = ctx.clipboard;
        if (!clipboard)
          throw new ConsoleError(
            'validation',
            'This shell has no clipboard: reveal the token or export the hand-over sheet instead.',
          );
        const { token } = await ctx.tokenOf(key, 'copy');
        const seconds = options.clearAfterSeconds ?? ctx.settings.read().preferences.clipboardClearSeconds;
        await clipboard.writeText(token);
        if (this.clearTimer) clearTimeout(this.clearTimer);
        this.clearTimer = undefined;
        this.pending = undefined;
        if (seconds > 0) {
          const clear = async (): Promise<void> => {
            try {
              if ((await clipboard.readText()) === token) await clipboard.clear();
            } catch {
              // the clipboard went away (shell closing): nothing left to clear
            }
          };
          this.pending = { token, clear };
          this.clearTimer = setTimeout(() => {
            this.clearTimer = undefined;
            this.pending = undefined;
            void clear();
          }, seconds * 1000);
          // A pending clear must not keep the CLI or a test process alive.
          this.clearTimer.unref?.();
        }
        return { clearsInSeconds: seconds };
      },
      (r) =>
        r.clearsInSeconds > 0 ? `clipboard clears in ${r.clearsInSeconds} s` : 'clipboard not cleared automatically',
    );
  }

  /**
   * Do a pending clear now (the shell is quitting: its timer would die with the process and leave
   * the token on the clipboard). Only if the clipboard still holds that token; true when cleared.
   */
  async clearNow(): Promise<boolean> {
    const pending = this.pending;
    if (this.clearTimer) clearTimeout(this.clearTimer);
    this.clearTimer = undefined;
    this.pending = undefined;
    if (!pending) return false;
    await pending.clear();
    return true;
  }
}
