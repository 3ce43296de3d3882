// The preload (main/electron/preload.ts) with a mocked `electron`: it exposes exactly the contract's
// renderer calls (the list shared/contract/contract.ts exports, not a copy), frozen, each one invoke on the
// single IPC channel, and nothing else of Electron or Node.
import { describe, expect, it, vi } from 'vitest';
import { RENDERER_CALLS } from '../../../shared/contract/contract';
import { IPC_CHANNEL } from '../../../main/electron/channel';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'answer' }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: { invoke, send: vi.fn(), on: vi.fn() },
}));

describe('preload', () => {
  it('exposes one frozen object: the shell name and exactly the contract calls', async () => {
    await import('../../../main/electron/preload');
    expect([...exposed.keys()]).toEqual(['tenantConsole']);
    const api = exposed.get('tenantConsole') as {
      shell: string;
      calls: Record<string, (args: unknown) => Promise<unknown>>;
    };
    expect(Object.keys(api).sort()).toEqual(['calls', 'shell']);
    expect(api.shell).toBe('electron');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.calls)).toBe(true);
    expect(Object.keys(api.calls).sort()).toEqual([...RENDERER_CALLS].sort());
    expect(RENDERER_CALLS.length).toBeGreaterThan(0);
    for (const name of Object.keys(api.calls)) expect(typeof api.calls[name], name).toBe('function');
  });

  it('sends each call as (channel, name, args) and hands back the answer untouched', async () => {
    await import('../../../main/electron/preload');
    const api = exposed.get('tenantConsole') as { calls: Record<string, (args: unknown) => Promise<unknown>> };
    for (const name of RENDERER_CALLS) {
      invoke.mockClear();
      const args = { probe: name };
      await expect(api.calls[name]!(args)).resolves.toEqual({ ok: true, value: 'answer' });
      expect(invoke).toHaveBeenCalledExactlyOnceWith(IPC_CHANNEL, name, args);
    }
  });
});
