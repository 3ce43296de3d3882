/**
 * Which colour a word is shown in: the one place that says it. widgets.css has one rule a tone
 * (`.tone-ok` … `.tone-muted`); components ask here for the class of a status, an outcome or a health.
 */
export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'muted';

/** A probe's or the audit log's outcome (verification evidence, the Audit screen). */
const OUTCOME_TONE: Record<string, Tone> = {
  ok: 'ok',
  installed: 'ok',
  complete: 'ok',
  partial: 'warn',
  refused: 'warn',
  'could-not-tell': 'warn',
  failed: 'danger',
  misrouted: 'danger',
  'unknown-tenant': 'danger',
};

/** The identity probe's answer: another Tracardi answering is the danger. */
const IDENTITY_TONE: Record<string, Tone> = { match: 'ok', mismatch: 'danger', 'could-not-tell': 'warn' };

/** Elasticsearch cluster health. */
const HEALTH_TONE: Record<string, Tone> = { green: 'ok', yellow: 'warn', red: 'danger' };

function withTone(base: string, tone: Tone | undefined): string {
  return tone === undefined ? base : `${base} tone-${tone}`;
}

/** Class of an outcome word; an outcome with no tone (not-installed, none, not-checked) keeps the text colour. */
export const outcomeClass = (outcome: string): string => withTone('outcome', OUTCOME_TONE[outcome]);

export const identityOutcomeClass = (outcome: string): string => withTone('outcome', IDENTITY_TONE[outcome]);

export const healthClass = (status: string): string => withTone('health', HEALTH_TONE[status]);
