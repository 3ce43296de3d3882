/**
 * What the Settings screen says about the OS keychain: whether the console can use it now and
 * under which service name its secrets are kept. Never a secret: which secrets an instance holds
 * comes with `instances.list` (presence only).
 */
import { z } from 'zod';
import { consoleErrorDataSchema } from '../errors/error-data';

export const keychainStatusSchema = z.object({
  /** The keychain service every secret of this console is stored under. */
  service: z.string(),
  /** True when a secret could be read and stored now; false: locked, missing or failing. */
  available: z.boolean(),
  /** Why it is not available (the console then refuses to store secrets: there is no fallback). */
  problem: consoleErrorDataSchema.optional(),
});
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;
