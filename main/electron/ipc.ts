/**
 * The one IPC handler: a call is answered only when it comes from the top frame of one of the
 * console's own windows showing app://console, and then only after the contract has validated its
 * name and arguments (`dispatch`). Takes plain values, so tests drive it with fake events.
 */
import type { CallResponse } from '../../shared/contract/contract';
import { dispatch, type Handlers } from '../transport/dispatch';
import { isTrustedSender } from './security';

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcCallEvent {
  sender: { id: number; isDestroyed?(): boolean; mainFrame?: unknown };
  /** null when the frame has navigated away or was destroyed before the message was handled. */
  senderFrame: { url: string } | null;
}

export const UNTRUSTED_SENDER_MESSAGE = 'Refused a call from an untrusted frame.';

export function createIpcHandler(
  handlers: Handlers,
  trustedWebContents: ReadonlySet<number>,
  options: { checkResults?: boolean } = {},
): (event: IpcCallEvent, name: unknown, args: unknown) => Promise<CallResponse> {
  return async (event, name, args) => {
    const frame = event.senderFrame;
    const trusted =
      event.sender.isDestroyed?.() !== true &&
      isTrustedSender(
        {
          webContentsId: event.sender.id,
          frameUrl: frame?.url ?? null,
          isMainFrame: frame !== null && frame === event.sender.mainFrame,
        },
        trustedWebContents,
      );
    if (!trusted) return { ok: false, error: { code: 'validation', message: UNTRUSTED_SENDER_MESSAGE } };
    return dispatch(handlers, name, args, { checkResults: options.checkResults === true });
  };
}
