/**
 * The shell-independent side of the contract: validate a call's arguments with the contract's
 * schema, run its handler, and answer with a value or an operator-facing error. Electron's IPC
 * and the browser shell's HTTP transport both go through `dispatch`.
 */
import {
  contract,
  describeIssues,
  isCallName,
  type CallName,
  type CallResponse,
  type CallResult,
  type ParsedArgs,
} from '../../shared/contract/contract';
import { ConsoleError, toConsoleError } from '../../shared/errors/errors';
import { fieldWords } from '../../shared/text/schema-words';

export type Handlers = { [N in CallName]: (args: ParsedArgs<N>) => Promise<CallResult<N>> };

export interface DispatchOptions {
  /** Called with every failure, for the shell's log. Receives only the code and message. */
  onError?: (name: string, error: ConsoleError) => void;
  /**
   * Check every result against the call's result schema and answer `internal` when it does not
   * match. On in tests and development (the schemas compile on first use: ~0.3 s for a
   * 10,000-row list), off in a packaged build.
   */
  checkResults?: boolean;
}

/** Run one call from an untrusted caller: unknown names and bad arguments are refused. */
export async function dispatch(
  handlers: Handlers,
  name: unknown,
  rawArgs: unknown,
  options: DispatchOptions = {},
): Promise<CallResponse> {
  try {
    if (!isCallName(name)) {
      throw new ConsoleError('validation', `Unknown call "${String(name).slice(0, 60)}".`);
    }
    const parsed = contract[name].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      // Worded for the operator (the field, what it must be); the call's name goes to the shell's log.
      throw new ConsoleError('validation', `Not accepted: ${describeIssues(parsed.error, fieldWords)}.`);
    }
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (options.checkResults) {
      const checked = contract[name].result.safeParse(value);
      if (!checked.success) {
        throw new ConsoleError(
          'internal',
          `The console's answer to ${name} does not match the contract: ${describeIssues(checked.error)}`,
        );
      }
    }
    return { ok: true, value };
  } catch (err) {
    const error = toConsoleError(err);
    options.onError?.(typeof name === 'string' ? name : '?', error);
    return { ok: false, error: error.toJSON() };
  }
}
