/**
 * The wire form of a ConsoleError as a zod schema: what the contract checks a failed call against.
 * Apart from errors.ts so that code that only throws (tenantctl derive, say) does not load zod.
 */
import { z } from 'zod';
import { ERROR_CODES, REMEDIES } from './error-codes';

export const consoleErrorDataSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** What the operator can do about it, for the shell to word (see REMEDIES). */
  remedy: z.enum(REMEDIES).optional(),
  /** Instance the error concerns, when there is one. */
  instanceId: z.string().optional(),
  /** Tenant the error concerns, when there is one. */
  tenant: z.string().optional(),
});
export type ConsoleErrorData = z.infer<typeof consoleErrorDataSchema>;
