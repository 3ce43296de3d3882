// A copied token's pending clipboard clear can be done at once (the Electron shell does it before
// quitting, so the token does not outlive the app on the clipboard), and only while the clipboard
// still holds that token.
import { describe, expect, it } from 'vitest';
import type { TenantContext } from '../../../main/services/tenants/tenant-context';
import { TokenClipboard } from '../../../main/services/tenants/token-clipboard';

function setup() {
  const board = { text: '' };
  const clipboard = {
    writeText: async (t: string) => void (board.text = t),
    readText: async () => board.text,
    clear: async () => void (board.text = ''),
  };
  const ctx = {
    clipboard,
    tokenOf: async () => ({ record: {}, token: 'tok-secret-1' }),
    settings: { read: () => ({ preferences: { clipboardClearSeconds: 30 } }) },
    audited: async <T>(_a: string, _k: unknown, run: () => Promise<T>) => run(),
  } as unknown as TenantContext;
  return { board, tokens: new TokenClipboard(ctx) };
}

const key = { instanceId: 'eu1', tenant: 'companyx' };

describe('TokenClipboard.clearNow', () => {
  it('clears a copied token at once instead of in 30 s', async () => {
    const { board, tokens } = setup();
    await expect(tokens.copy(key, {})).resolves.toEqual({ clearsInSeconds: 30 });
    expect(board.text).toBe('tok-secret-1');
    await expect(tokens.clearNow()).resolves.toBe(true);
    expect(board.text).toBe('');
    await expect(tokens.clearNow()).resolves.toBe(false); // nothing pending any more
  });

  it('leaves what the operator copied since', async () => {
    const { board, tokens } = setup();
    await tokens.copy(key, {});
    board.text = 'something else';
    await tokens.clearNow();
    expect(board.text).toBe('something else');
  });

  it('has nothing to clear when the copy was never to be cleared', async () => {
    const { board, tokens } = setup();
    await tokens.copy(key, { clearAfterSeconds: 0 });
    await expect(tokens.clearNow()).resolves.toBe(false);
    expect(board.text).toBe('tok-secret-1');
  });
});
