/**
 * What a team sharing a fleet needs on each tenant record: who holds its installation token, and
 * which multi-step change is under way on it (the saga journal, kept with the record). Apart from
 * registry.ts so that tenant.ts can carry them without an import circle.
 */
import { z } from 'zod';
import { isoTimeSchema } from '../text/iso-time';
import { operatorStampSchema } from './operator';

/**
 * Who holds the tenant's current installation token: the operator and the keychain it lives in
 * (`<os user>@<host>/<keychain service>`). Only that keychain can reveal, copy or hand it over;
 * another operator rotates to hold a new one.
 */
export const tokenHolderSchema = operatorStampSchema.extend({
  keychain: z.string().max(400),
  since: isoTimeSchema,
});
export type TokenHolder = z.infer<typeof tokenHolderSchema>;

/** A multi-step change in flight on the tenant (the saga journal, kept on the tenant's document). */
export const PENDING_OPS = ['create', 'rotate', 'revoke', 'delete'] as const;
export const pendingOpSchema = z.object({
  op: z.enum(PENDING_OPS),
  /** Last step completed. */
  step: z.string().max(40),
  startedAt: isoTimeSchema,
  by: operatorStampSchema,
  /** The process running it, on `host`, holding `keychain`: whether it may still be at work. */
  pid: z.number().int(),
  host: z.string().max(253),
  keychain: z.string().max(400),
  /** create: the `id` sent to the TMS. */
  tmsId: z.string().max(64).optional(),
  /** create/rotate: SHA-256 (hex) of the new token, to recognise the TMS entry it produced. Never the token. */
  tokenSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Set when the process gave up and left the change for reconcile. */
  endedAt: isoTimeSchema.optional(),
});
export type PendingOp = z.infer<typeof pendingOpSchema>;
