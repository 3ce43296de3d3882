/**
 * Text that reaches a terminal, a log line or a screen: which characters free text may not hold,
 * the zod rule every schema uses for them, and the one escaping function printers apply to text
 * they did not validate themselves. Pure.
 *
 * Refused: C0 controls (U+0000-001F, so newline, tab and ESC too), DEL and the C1 controls
 * (U+007F-009F), and the bidirectional embeddings, overrides and isolates (U+202A-202E,
 * U+2066-2069) that make text display in another order than it is stored ("Trojan Source").
 * A newline forges a second line in a listing or the audit log; an ESC sequence recolours,
 * moves the cursor or retitles the operator's terminal.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** `U+001B` style name of a code point. */
export function codePointName(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first refused character in `text` (as `U+XXXX`), or null when the text is safe. */
export function unsafeCharacter(text: string): string | null {
  const found = UNSAFE.exec(text);
  return found ? codePointName(found[0]) : null;
}

/** One-line message for a field holding a refused character. */
export function unsafeTextMessage(field: string, found: string): string {
  return `${field} must not contain control or bidirectional-override characters (found ${found}); type it on one line, as plain text`;
}

/** Throws-free check for services: null when safe, else the message. */
export function checkSafeText(field: string, text: string): string | null {
  const found = unsafeCharacter(text);
  return found ? unsafeTextMessage(field, found) : null;
}

/**
 * Make text safe to print: every refused character becomes a visible escape (`\n`, `\t`, `\x1b`,
 * `\u{202e}`), and a backslash before such an escape is not special (the output is for eyes, not
 * for parsing). Everything else, including non-Latin letters, is kept as is.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE_ALL, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const cp = ch.codePointAt(0) ?? 0;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  });
}
