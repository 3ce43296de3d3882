// tenantctl's secrets from a piped stdin: one line each, never held past the length rule
// (shared/text/input-rules.ts), so a file piped in by mistake is refused as it arrives, not read whole.
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecretLines } from '../../../main/cli/secret-input';
import { MAX_TOKEN_LENGTH } from '../../../shared/text/input-rules';

/** 50 MB of one line without a newline, 64 KiB at a time; counts what was pulled from it. */
function endlessLine(): { stream: Readable; pulled: () => number } {
  let sent = 0;
  const chunk = 't'.repeat(64 * 1024);
  const stream = new Readable({
    read() {
      if (sent >= 50 * 1024 * 1024) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

describe('readSecretLines', () => {
  it('refuses a line over the limit as soon as it is seen, having read little of it', async () => {
    const { stream, pulled } = endlessLine();
    const err = await readSecretLines(stream, ['installation token'], MAX_TOKEN_LENGTH).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      'The installation token on stdin is longer than 500 characters, the most it may have; nothing was stored.',
    );
    // The stream's own buffer (16 KiB) and a chunk or two: not 50 MB.
    expect(pulled()).toBeLessThan(1024 * 1024);
  });

  it('reads one line per label, CRLF or not, the last without its newline, and stops after the last', async () => {
    const input = new PassThrough();
    input.end('first\r\nsecond\nnot read\n');
    expect(await readSecretLines(input, ['a', 'b'])).toEqual(['first', 'second']);
    const last = new PassThrough();
    last.end('only');
    expect(await readSecretLines(last, ['a'])).toEqual(['only']);
    const exact = new PassThrough();
    exact.end(`${'t'.repeat(MAX_TOKEN_LENGTH)}\r\n`);
    expect((await readSecretLines(exact, ['token'], MAX_TOKEN_LENGTH))[0]).toHaveLength(MAX_TOKEN_LENGTH);
  });

  it('refuses an empty line and too few lines', async () => {
    const empty = new PassThrough();
    empty.end('\nsecond\n');
    await expect(readSecretLines(empty, ['TMS API key', 'b'])).rejects.toThrow(
      'The line on stdin for TMS API key is empty; an empty secret is not stored.',
    );
    const short = new PassThrough();
    short.end('one\n');
    await expect(readSecretLines(short, ['a', 'b'])).rejects.toThrow(
      'Expected 2 line(s) on stdin (a, b, in that order), got 1.',
    );
  });
});
