/**
 * A `facts` list: terms and what they say, in a grid (`compact`: wider cells). A fact given as
 * null, false or undefined is left out, so a list can hold facts that only some records have.
 */
import type { ReactNode } from 'react';

export type Fact = readonly [term: string, value: ReactNode];

export function Facts({
  facts,
  compact = false,
}: {
  facts: readonly (Fact | null | false | undefined)[];
  compact?: boolean;
}) {
  return (
    <dl className={compact ? 'facts compact' : 'facts'}>
      {facts.map((fact) =>
        fact ? (
          <div key={fact[0]}>
            <dt>{fact[0]}</dt>
            <dd>{fact[1]}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

/** A record's warnings under its facts (nothing when it has none). */
export function FactWarnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings">
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}
