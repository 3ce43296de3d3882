/**
 * The renderer's side of the contract: a typed `ConsoleApi` over whichever shell hosts the page.
 * Electron's preload exposes `window.tenantConsole.calls`; the browser shell answers
 * `POST /api/call/<name>`. Either way an `ok: false` answer becomes a thrown `ApiError` whose
 * message is shown to the operator as is.
 *
 * Kept free of DOM types (the host is passed in) so unit tests run it under Node.
 */
import { RENDERER_CALLS } from '../../shared/contract/call-names';
import type { CallName, CallResponse, ConsoleApi } from '../../shared/contract/contract';
import { REMEDIES, type ConsoleErrorData, type ErrorCode, type Remedy } from '../../shared/errors/errors';
import { withUiRemedy } from './remedies';

/** Codes a call can fail with: the core's, plus `transport` when the shell itself could not be reached. */
export type ApiErrorCode = ErrorCode | 'transport';

/** A failed call, with the core's stable code and its operator-facing one-line message. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly instanceId?: string;
  readonly tenant?: string;
  /** What the operator can do about it; `errorMessage` words it with this window's controls. */
  readonly remedy?: Remedy;

  constructor(
    code: ApiErrorCode,
    message: string,
    extra: { instanceId?: string; tenant?: string; remedy?: Remedy } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    if (extra.instanceId !== undefined) this.instanceId = extra.instanceId;
    if (extra.tenant !== undefined) this.tenant = extra.tenant;
    if (extra.remedy !== undefined) this.remedy = extra.remedy;
  }

  static from(data: ConsoleErrorData): ApiError {
    return new ApiError(data.code, data.message, {
      instanceId: data.instanceId,
      tenant: data.tenant,
      // A remedy this build has no words for (a newer core) is left out, not shown as a code.
      remedy: REMEDIES.find((r) => r === data.remedy),
    });
  }
}

/** True for an `ApiError` (or anything shaped like one after crossing a boundary). */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The one line to show an operator for any failure, its remedy in this window's words. */
export function errorMessage(value: unknown): string {
  if (value instanceof ApiError) return withUiRemedy(value.message, value.remedy);
  if (value instanceof Error) return `Unexpected error: ${value.message}`;
  return `Unexpected error: ${String(value)}`;
}

/** What Electron's preload exposes on `window.tenantConsole`. */
export interface ElectronBridge {
  shell: 'electron';
  calls: Readonly<Record<string, (args: unknown) => Promise<CallResponse>>>;
}

/** The part of `fetch` the browser transport needs (so tests can hand a fake). */
export type FetchLike = (
  input: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; credentials: 'include' | 'same-origin' },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export type ShellKind = 'electron' | 'browser';

export interface ConsoleClient {
  shell: ShellKind;
  api: ConsoleApi;
}

/** Where the page runs: the parts of `window` the transport reads. */
export interface TransportHost {
  tenantConsole?: unknown;
  fetch?: FetchLike;
}

function isElectronBridge(value: unknown): value is ElectronBridge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { shell?: unknown; calls?: unknown };
  return v.shell === 'electron' && typeof v.calls === 'object' && v.calls !== null;
}

function isCallResponse(value: unknown): value is CallResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: unknown };
  if (v.ok === true) return 'value' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

/** Unwrap a call response: its value, or the error it carries thrown as an `ApiError`. */
export function unwrap<R>(response: unknown, name: string): R {
  if (!isCallResponse(response)) {
    throw new ApiError('transport', `The console answered ${name} with something that is not a call response.`);
  }
  if (response.ok) return response.value as R;
  throw ApiError.from(response.error);
}

type Invoke = (name: CallName, args: unknown) => Promise<unknown>;

function electronInvoke(bridge: ElectronBridge): Invoke {
  return async (name, args) => {
    const fn = bridge.calls[name];
    if (typeof fn !== 'function')
      throw new ApiError('transport', `This console build does not offer the call ${name}.`);
    let response: CallResponse;
    try {
      response = await fn(args ?? {});
    } catch (err) {
      throw new ApiError(
        'transport',
        `The console's main process did not answer ${name}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return unwrap(response, name);
  };
}

function browserInvoke(fetchFn: FetchLike, baseUrl: string): Invoke {
  return async (name, args) => {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await fetchFn(`${baseUrl}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'include',
      });
    } catch {
      throw new ApiError(
        'transport',
        'Could not reach the console server: it may have stopped. Start it again, then reload this page.',
      );
    }
    const text = await res.text().catch(() => '');
    const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
    if (isJson) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError('transport', `The console server answered ${name} with invalid JSON (HTTP ${res.status}).`);
      }
      if (isCallResponse(body)) return unwrap(body, name);
    }
    // The shell refuses before dispatch with a plain-text line meant for the operator (e.g. 401).
    const line = text.split('\n')[0]?.trim();
    throw new ApiError(
      'transport',
      line ? `${line} (HTTP ${res.status})` : `The console server answered ${name} with HTTP ${res.status}.`,
    );
  };
}

/** Build a typed API from an invoke function: one method per contract call. */
function apiFrom(invoke: Invoke): ConsoleApi {
  const api: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const name of RENDERER_CALLS) api[name] = (args: unknown) => invoke(name, args);
  return Object.freeze(api) as unknown as ConsoleApi;
}

/**
 * The client for the shell hosting this page: Electron's bridge when the preload exposed one,
 * else the browser shell over same-origin HTTP (its HttpOnly session cookie goes along).
 */
export function createConsoleClient(host: TransportHost, baseUrl = ''): ConsoleClient {
  if (isElectronBridge(host.tenantConsole)) {
    return { shell: 'electron', api: apiFrom(electronInvoke(host.tenantConsole)) };
  }
  if (typeof host.fetch !== 'function')
    throw new Error('No transport: neither the Electron bridge nor fetch is available.');
  const fetchFn = host.fetch;
  return { shell: 'browser', api: apiFrom(browserInvoke((input, init) => fetchFn(input, init), baseUrl)) };
}
