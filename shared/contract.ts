/**
 * The one contract between the UI and the core: call name → argument schema → result type.
 * The preload, main's IPC handlers, the browser shell's HTTP transport and the renderer's client
 * are all derived from this map; nothing re-declares it.
 */
import { z } from 'zod';
import type { ConsoleErrorData } from './errors';
import { instanceIdSchema, SECRET_KINDS, type Instance, type SecretPresence } from './instance';

/** Declares a call: its argument schema now, its result type through the phantom `result`. */
function call<A extends z.ZodType>(args: A) {
  return {
    returns<R>(): { args: A; result: R } {
      return { args, result: undefined as unknown as R };
    },
  };
}

const none = z.object({}).strict();
const byInstance = z.object({ id: instanceIdSchema }).strict();
const secretsInput = z.partialRecord(z.enum(SECRET_KINDS), z.string().min(1, 'an empty secret is not stored'));

/** What the UI sees of an instance: its settings, which secrets exist (never their values). */
export interface InstanceView {
  instance: Instance;
  secrets: SecretPresence;
  /** True when the operator turned TLS verification off for this instance: shown, never hidden. */
  tlsVerifyOff: boolean;
}

export interface ConnectionCheck {
  target: 'tracardi' | 'tms' | 'elasticsearch';
  ok: boolean;
  /** What was found (e.g. "Tracardi 0.9.0", "Elasticsearch 8.19.21, green") or why it failed. */
  detail: string;
  error?: ConsoleErrorData;
}

export const contract = {
  'instances.list': call(none).returns<InstanceView[]>(),
  'instances.get': call(byInstance).returns<InstanceView>(),
  'instances.add': call(z.object({ instance: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) }).strict()).returns<InstanceView>(),
  'instances.update': call(
    z.object({ id: instanceIdSchema, patch: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) }).strict(),
  ).returns<InstanceView>(),
  'instances.remove': call(z.object({ id: instanceIdSchema, force: z.boolean().default(false) }).strict()).returns<{ removed: string }>(),
  'instances.testConnection': call(
    z.object({ instance: z.record(z.string(), z.unknown()), secrets: secretsInput.default({}) }).strict(),
  ).returns<ConnectionCheck[]>(),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallArgs<N extends CallName> = z.input<Contract[N]['args']>;
export type ParsedArgs<N extends CallName> = z.output<Contract[N]['args']>;
export type CallResult<N extends CallName> = Contract[N]['result'];

/** Every call's answer on the wire: a value or an operator-facing error, never a stack. */
export type CallResponse<R = unknown> = { ok: true; value: R } | { ok: false; error: ConsoleErrorData };

/** The typed API a shell offers the renderer. */
export type ConsoleApi = { [N in CallName]: (args: CallArgs<N>) => Promise<CallResult<N>> };

/** The names, for the preload: it exposes these and nothing else. */
export const CALL_NAMES = Object.keys(contract) as CallName[];

/** True for a string that names a call (own keys only: `__proto__` and friends are not calls). */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Turn a zod failure into one line an operator can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
