/**
 * Preload: exposes exactly the contract's calls, each a function that sends its name and arguments
 * over one IPC channel. No ipcRenderer, no Node, no generic "send" reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { RENDERER_CALLS } from '../../shared/contract/call-names';
import type { CallResponse } from '../../shared/contract/contract';
import { IPC_CHANNEL } from './channel';

const api: Record<string, (args: unknown) => Promise<CallResponse>> = {};
for (const name of RENDERER_CALLS) {
  api[name] = (args: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, args) as Promise<CallResponse>;
}

contextBridge.exposeInMainWorld('tenantConsole', Object.freeze({ shell: 'electron', calls: Object.freeze(api) }));
