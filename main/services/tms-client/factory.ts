/** Building TMS clients: the factory makes an instance's HttpTmsClient from its TMS URL and stored API key. */
import { ConsoleError } from '../../../shared/errors/errors';
import { HttpTmsClient, type HttpTmsClientOptions } from './http-client';
import { AccessTokenCache } from './token-cache';
import type { TmsClientFactory, TmsInstanceSource } from './types';

export interface TmsClientFactoryOptions {
  instances: TmsInstanceSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
  tokenTtlMs?: number;
  now?: () => number;
}

/** The factory the core hands to TenantService: one client per call, tokens cached per instance. */
export function createTmsClientFactory(opts: TmsClientFactoryOptions): TmsClientFactory {
  const cache = new AccessTokenCache(opts.tokenTtlMs ?? 60_000);
  return async (instanceId: string) => {
    const { instance } = await opts.instances.get(instanceId);
    if (instance.tmsUrl === undefined)
      throw new ConsoleError(
        'invalid-state',
        `Instance ${instanceId} is single-tenant: it has no TMS (its one token is the instance's INSTALLATION_TOKEN).`,
        { instanceId },
      );
    const secrets = await opts.instances.resolveSecrets(instanceId);
    const apiKey = secrets['tms-api-key'];
    if (!apiKey) {
      throw new ConsoleError(
        'validation',
        `Instance ${instanceId} has no TMS API key stored: add it to the instance first.`,
        { instanceId },
      );
    }
    const clientOpts: HttpTmsClientOptions = {
      instanceId,
      tmsUrl: instance.tmsUrl,
      apiKey,
      tokenCache: cache,
    };
    if (opts.timeoutMs !== undefined) clientOpts.timeoutMs = opts.timeoutMs;
    if (opts.fetch !== undefined) clientOpts.fetch = opts.fetch;
    if (opts.now !== undefined) clientOpts.now = opts.now;
    return new HttpTmsClient(clientOpts);
  };
}
