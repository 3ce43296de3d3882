/**
 * Who is at the console: the operator's name and e-mail, set once per workstation, and the
 * workstation itself. Every registry change and every audit entry carries this stamp, so a team
 * sharing a fleet sees who did what, from where, and when.
 */
import { z } from 'zod';
import { contactEmailProblem, MAX_EMAIL_LENGTH } from '../text/input-rules';
import { ruledText, safeText } from '../text/safe-text';

/** RFC 5321 (shared/text/input-rules.ts). */
export const MAX_EMAIL_CHARS = MAX_EMAIL_LENGTH;
export const MAX_OPERATOR_NAME_CHARS = 80;
/** Host names are at most 253 characters (RFC 1035). */
export const MAX_WORKSTATION_CHARS = 253;

/** What the operator sets: a name (null: back to the default) and an e-mail (null or '': none). */
export const operatorInputSchema = z
  .object({
    name: safeText('the operator name')
      .trim()
      .min(1, 'a name is required (or reset it to the default)')
      .max(MAX_OPERATOR_NAME_CHARS, `a name is at most ${MAX_OPERATOR_NAME_CHARS} characters`)
      .nullable(),
    // The one contact e-mail rule (shared/text/input-rules.ts); '' or null: none.
    email: ruledText((v) => contactEmailProblem(v, false)).nullable(),
  })
  .strict();
export type OperatorInput = z.input<typeof operatorInputSchema>;

/** Who did something, from where: what a record change and an audit entry carry. */
export const operatorStampSchema = z.object({
  name: z.string().max(MAX_OPERATOR_NAME_CHARS),
  email: z.string().max(MAX_EMAIL_CHARS).optional(),
  workstation: z.string().max(MAX_WORKSTATION_CHARS),
});
export type OperatorStamp = z.infer<typeof operatorStampSchema>;

/** The operator as the Settings screen and `tenantctl operator show` present them. */
export const operatorViewSchema = z.object({
  name: z.string(),
  email: z.string().nullable(),
  workstation: z.string(),
  /** True while the name is the default (OS user at host name), not one the operator set. */
  isDefault: z.boolean(),
  /** The default name, shown next to the field until the operator sets one. */
  defaultName: z.string(),
});
export type OperatorView = z.infer<typeof operatorViewSchema>;

/** "Ann Smith (ann@example.com) on ws-12", or without the e-mail: how the UI and CLI name an operator. */
export function describeOperator(stamp: OperatorStamp): string {
  return `${stamp.name}${stamp.email ? ` (${stamp.email})` : ''} on ${stamp.workstation}`;
}

/** Two stamps name the same operator at the same workstation. */
export function sameOperator(a: OperatorStamp, b: OperatorStamp): boolean {
  return a.name === b.name && (a.email ?? '') === (b.email ?? '') && a.workstation === b.workstation;
}
