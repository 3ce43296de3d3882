/**
 * Secrets for tenantctl come from stdin (one line each, in flag order) or from a hidden prompt on a
 * terminal, never from argv, which any local user can read in `ps`.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { ConsoleError } from '../../shared/errors';

/** Read one line per label from a piped stdin (stops after the last one; no need for EOF). */
export async function readSecretLines(input: NodeJS.ReadableStream, labels: string[]): Promise<string[]> {
  if (labels.length === 0) return [];
  const rl = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
  const lines: string[] = [];
  try {
    for await (const line of rl) {
      lines.push(line.replace(/\r$/, ''));
      if (lines.length === labels.length) break;
    }
  } finally {
    rl.close();
  }
  if (lines.length < labels.length) {
    throw new ConsoleError(
      'validation',
      `Expected ${labels.length} line(s) on stdin (${labels.join(', ')}, in that order), got ${lines.length}.`,
    );
  }
  labels.forEach((label, i) => {
    if (lines[i]!.length === 0)
      throw new ConsoleError('validation', `The line on stdin for ${label} is empty; an empty secret is not stored.`);
  });
  return lines;
}

/** Ask on the terminal without echoing what is typed. */
export async function promptHidden(
  label: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
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
    return answer;
  } finally {
    rl.close();
  }
}

/** Secrets from stdin when piped, from hidden prompts on a terminal. */
export async function readSecrets(labels: string[]): Promise<string[]> {
  if (labels.length === 0) return [];
  if (process.stdin.isTTY) {
    const values: string[] = [];
    for (const label of labels) values.push(await promptHidden(label, process.stdin, process.stderr));
    return values;
  }
  return readSecretLines(process.stdin, labels);
}
