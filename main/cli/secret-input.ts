/**
 * Secrets for tenantctl come from stdin (one line each, in flag order) or from a hidden prompt on a
 * terminal, never from argv, which any local user can read in `ps`.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { ConsoleError } from '../../shared/errors/errors';
import { MAX_SECRET_LENGTH } from '../../shared/text/input-rules';

/**
 * Read one line per label from a piped stdin (stops after the last one; no need for EOF). A line is
 * never held past `maxLength` characters (shared/text/input-rules.ts): a longer one is refused as soon as
 * it is seen, so a stray file piped in is not read whole into memory.
 */
export async function readSecretLines(
  input: NodeJS.ReadableStream,
  labels: string[],
  maxLength: number = MAX_SECRET_LENGTH,
): Promise<string[]> {
  if (labels.length === 0) return [];
  const lines: string[] = [];
  let current = '';
  let ended = true;
  const tooLong = (label: string) =>
    new ConsoleError(
      'validation',
      `The ${label} on stdin is longer than ${maxLength} characters, the most it may have; nothing was stored.`,
    );
  input.setEncoding('utf8');
  for await (const chunk of input) {
    let text = String(chunk);
    while (text !== '' && lines.length < labels.length) {
      const newline = text.indexOf('\n');
      current += newline === -1 ? text : text.slice(0, newline);
      // One more for the \r of a CRLF line.
      if (current.length > maxLength + 1) throw tooLong(labels[lines.length]!);
      if (newline === -1) break;
      lines.push(current.replace(/\r$/, ''));
      current = '';
      text = text.slice(newline + 1);
    }
    if (lines.length === labels.length) {
      ended = false;
      break;
    }
  }
  // A last line without its newline counts (as readline gives it).
  if (ended && current !== '' && lines.length < labels.length) lines.push(current.replace(/\r$/, ''));
  if (lines.length < labels.length) {
    throw new ConsoleError(
      'validation',
      `Expected ${labels.length} line(s) on stdin (${labels.join(', ')}, in that order), got ${lines.length}.`,
    );
  }
  labels.forEach((label, i) => {
    if (lines[i]!.length === 0)
      throw new ConsoleError('validation', `The line on stdin for ${label} is empty; an empty secret is not stored.`);
    if (lines[i]!.length > maxLength) throw tooLong(label);
  });
  return lines;
}

/** Ask on the terminal without echoing what is typed. */
export async function promptHidden(
  label: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
  maxLength: number = MAX_SECRET_LENGTH,
): Promise<string> {
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void) {
      if (!muted) output.write(chunk, encoding);
      callback();
    },
  });
  const rl = readline.createInterface({ input, output: sink, terminal: true });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      rl.question(`${label}: `, resolve);
      rl.once('close', () => reject(new ConsoleError('validation', `No value entered for ${label}.`)));
      rl.once('SIGINT', () => reject(new ConsoleError('validation', `Cancelled while asking for ${label}.`)));
      muted = true;
    });
    output.write('\n');
    if (answer.length === 0)
      throw new ConsoleError('validation', `No value entered for ${label}; an empty secret is not stored.`);
    if (answer.length > maxLength)
      throw new ConsoleError(
        'validation',
        `The ${label} entered is longer than ${maxLength} characters, the most it may have; nothing was stored.`,
      );
    return answer;
  } finally {
    rl.close();
  }
}

/** Secrets from stdin when piped, from hidden prompts on a terminal; each at most `maxLength` characters. */
export async function readSecrets(labels: string[], maxLength: number = MAX_SECRET_LENGTH): Promise<string[]> {
  if (labels.length === 0) return [];
  if (process.stdin.isTTY) {
    const values: string[] = [];
    for (const label of labels) values.push(await promptHidden(label, process.stdin, process.stderr, maxLength));
    return values;
  }
  return readSecretLines(process.stdin, labels, maxLength);
}
