/**
 * Copy from the page when the shell cannot write the clipboard itself (browser shell): write the
 * token, then clear the clipboard after the delay if it still holds the token. Only a digest of the
 * token is kept for that comparison. Reading the clipboard may be refused: then it is left alone.
 */

async function digest(text: string): Promise<string | null> {
  try {
    const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

/** Write `text` to the clipboard and schedule its removal after `clearSeconds`. Throws if writing is refused. */
export async function copyWithAutoClear(text: string, clearSeconds: number): Promise<void> {
  if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
  await navigator.clipboard.writeText(text);
  const fingerprint = await digest(text);
  // Without a digest (no WebCrypto), the comparison has to hold the text itself until the timer fires.
  const kept: string | null = fingerprint === null ? text : null;
  setTimeout(() => {
    void (async () => {
      try {
        const current = await navigator.clipboard.readText();
        const same = kept !== null ? current === kept : (await digest(current)) === fingerprint;
        if (same) await navigator.clipboard.writeText('');
      } catch {
        // Reading the clipboard needs a permission the operator may refuse: leave it as it is.
      }
    })();
  }, clearSeconds * 1000);
}
