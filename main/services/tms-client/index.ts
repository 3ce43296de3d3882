/**
 * Client for an instance's Tenant Management Service (tracardi-contract.md, section 2):
 * `import { createTmsClientFactory } from './services/tms-client'`.
 *
 * Small and tolerant on purpose: the TMS calls made by Tracardi's closed core are not public, so
 * the client reads only the fields it needs, accepts `install_key` as an alias of `install_token`,
 * and treats DELETE as optional. The API key travels in the URL path of the exchange call, so no
 * URL of that call, no key and no token ever reaches an error message.
 */
export { HttpTmsClient, type HttpTmsClientOptions } from './http-client';
export { AccessTokenCache } from './token-cache';
export { createTmsClientFactory, type TmsClientFactoryOptions } from './factory';
export { parseTenant } from './reply';
export type { TmsClient, TmsClientFactory, TmsInstanceSource, TmsTenant, TmsTenantInput } from './types';
