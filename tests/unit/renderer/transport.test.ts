import { describe, expect, it, vi } from 'vitest';
import { ApiError, createConsoleClient, errorMessage, type FetchLike } from '../../../renderer/lib/transport';
import { RENDERER_CALLS, type CallResponse } from '../../../shared/contract/contract';

type FetchCall = Parameters<FetchLike>;

/** A fake fetch answering with a fixed status, content type and body, recording each request. */
function fakeFetch(status: number, body: string, type = 'application/json') {
  const calls: FetchCall[] = [];
  const fn: FetchLike = async (...args) => {
    calls.push(args);
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? type : null) },
      text: async () => body,
    };
  };
  return { fn, calls };
}

function fakeBridge(answer: (name: string, args: unknown) => Promise<CallResponse>) {
  const calls: [string, unknown][] = [];
  const handlers: Record<string, (args: unknown) => Promise<CallResponse>> = {};
  for (const name of RENDERER_CALLS) {
    handlers[name] = (args) => {
      calls.push([name, args]);
      return answer(name, args);
    };
  }
  return { bridge: { shell: 'electron' as const, calls: handlers }, calls };
}

describe('Electron transport (window.tenantConsole)', () => {
  it('is chosen when the preload exposed the bridge, and answers the value of an ok response', async () => {
    const { bridge, calls } = fakeBridge(async () => ({ ok: true, value: { removed: 'instance1' } }));
    const fetchSpy = vi.fn();
    const client = createConsoleClient({ tenantConsole: bridge, fetch: fetchSpy });
    expect(client.shell).toBe('electron');
    await expect(client.api['instances.remove']({ id: 'instance1', force: true })).resolves.toEqual({
      removed: 'instance1',
    });
    expect(calls).toEqual([['instances.remove', { id: 'instance1', force: true }]]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('throws an ApiError carrying the code, message, instance and tenant of an ok:false response', async () => {
    const { bridge } = fakeBridge(async () => ({
      ok: false,
      error: {
        code: 'keychain-locked',
        message: 'The keychain is locked: unlock it and retry.',
        instanceId: 'instance1',
        tenant: 'acme',
      },
    }));
    const client = createConsoleClient({ tenantConsole: bridge });
    const error = await client.api['tenants.revealToken']({ instanceId: 'instance1', tenant: 'acme' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'keychain-locked',
      message: 'The keychain is locked: unlock it and retry.',
      instanceId: 'instance1',
      tenant: 'acme',
    });
    expect(errorMessage(error)).toBe('The keychain is locked: unlock it and retry.');
  });

  it('turns a rejected IPC call or a malformed answer into a transport ApiError', async () => {
    const rejecting = createConsoleClient({
      tenantConsole: fakeBridge(() => Promise.reject(new Error('channel closed'))).bridge,
    });
    await expect(rejecting.api['app.status']({})).rejects.toMatchObject({
      code: 'transport',
      message: expect.stringContaining('channel closed'),
    });
    const malformed = createConsoleClient({
      tenantConsole: fakeBridge(async () => ({ nope: 1 }) as unknown as CallResponse).bridge,
    });
    await expect(malformed.api['app.status']({})).rejects.toMatchObject({ code: 'transport' });
  });

  it('offers exactly the contract calls', () => {
    const client = createConsoleClient({ tenantConsole: fakeBridge(async () => ({ ok: true, value: null })).bridge });
    expect(Object.keys(client.api).sort()).toEqual([...RENDERER_CALLS].sort());
  });
});

describe('browser transport (POST /api/call/<name>)', () => {
  it('posts JSON to the call URL with credentials and answers the value', async () => {
    const { fn, calls } = fakeFetch(200, JSON.stringify({ ok: true, value: [{ tenant: 'acme' }] }));
    const client = createConsoleClient({ fetch: fn });
    expect(client.shell).toBe('browser');
    await expect(client.api['tenants.list']({ instanceId: 'instance1' })).resolves.toEqual([{ tenant: 'acme' }]);
    expect(calls).toHaveLength(1);
    const [url, init] = calls[0] as FetchCall;
    expect(url).toBe('/api/call/tenants.list');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('include');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body)).toEqual({ instanceId: 'instance1' });
  });

  it('throws the ApiError of an ok:false answer with its code and message as is', async () => {
    const { fn } = fakeFetch(
      200,
      JSON.stringify({ ok: false, error: { code: 'capacity-exceeded', message: 'No room on instance1: disk binds.' } }),
    );
    const client = createConsoleClient({ fetch: fn });
    const error = await client.api['tenants.create']({
      instanceId: 'instance1',
      domain: 'a.b.c',
      email: 'a@b.c',
      tokenLifetimeDays: 30,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'capacity-exceeded', message: 'No room on instance1: disk binds.' });
  });

  it('reads a JSON error answered with a non-200 status (bad JSON body → 400)', async () => {
    const { fn } = fakeFetch(
      400,
      JSON.stringify({ ok: false, error: { code: 'validation', message: 'The request body is not valid JSON.' } }),
    );
    await expect(createConsoleClient({ fetch: fn }).api['app.status']({})).rejects.toMatchObject({
      code: 'validation',
      message: 'The request body is not valid JSON.',
    });
  });

  it("shows the shell's own plain-text refusal (e.g. 401 without the session cookie)", async () => {
    const { fn } = fakeFetch(
      401,
      'Unauthorized: open the URL printed by `tenantctl serve` (it carries the access token).',
      'text/plain; charset=utf-8',
    );
    const error = await createConsoleClient({ fetch: fn })
      .api['app.status']({})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'transport',
      message: expect.stringContaining('open the URL printed by `tenantctl serve`'),
    });
    expect((error as ApiError).message).toContain('HTTP 401');
  });

  it('reports a network failure as a transport ApiError the operator can act on', async () => {
    const client = createConsoleClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(client.api['instances.list']({})).rejects.toMatchObject({
      code: 'transport',
      message: expect.stringContaining('Start it again, then reload this page.'),
    });
  });

  it('escapes the call name in the URL and sends {} when a call has no arguments', async () => {
    const { fn, calls } = fakeFetch(200, JSON.stringify({ ok: true, value: null }));
    await createConsoleClient({ fetch: fn }, 'http://127.0.0.1:1234').api['app.status'](undefined as never);
    expect(calls[0]?.[0]).toBe('http://127.0.0.1:1234/api/call/app.status');
    expect(calls[0]?.[1].body).toBe('{}');
  });

  it('ignores a tenantConsole global that is not the Electron bridge', () => {
    const { fn } = fakeFetch(200, '{}');
    expect(createConsoleClient({ tenantConsole: { shell: 'evil' }, fetch: fn }).shell).toBe('browser');
  });
});
