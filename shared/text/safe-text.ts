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

/**
 * A zod string checked by one of the rules of input-rules.ts (null: fine; else the message), so the
 * contract refuses with the words the services use.
 */
export function ruledText(check: (value: string) => string | null): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const problem = check(value);
    // Worded as the schema's other messages: after the field's name, lower-case, no full stop.
    if (problem !== null)
      ctx.addIssue({
        code: 'custom',
        message: `${problem.charAt(0).toLowerCase()}${problem.slice(1).replace(/\.$/, '')}`,
      });
  });
}
