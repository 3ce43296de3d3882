/**
 * The zod rule every schema uses for free text (see text-safety.ts for what it refuses). Apart from
 * text-safety.ts so that the terminal escaping tenantctl's printers use does not load zod.
 */
import { z } from 'zod';
import { unsafeCharacter, unsafeTextMessage } from './text-safety';

/** A zod string that refuses control and bidi-override characters, naming the field in the message. */
export function safeText(field: string): z.ZodString {
  return z.string().refine((v) => unsafeCharacter(v) === null, {
    error: (issue) => unsafeTextMessage(field, unsafeCharacter(String(issue.input)) ?? 'a control character'),
  });
}
