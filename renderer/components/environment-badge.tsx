/**
 * The instance's environment, unmistakable: production is always a red "PRODUCTION" badge whatever
 * colour the instance was given; other environments show the instance's colour as the badge's
 * border and dot (never as the text colour: an operator's pick need not be readable on either theme).
 */
import type { CSSProperties } from 'react';
import type { Environment } from '../../shared/instances/instance';

export function EnvironmentBadge({ environment, colour }: { environment: Environment; colour?: string }) {
  const production = environment === 'production';
  return (
    <span
      className={`env-badge env-${environment}`}
      // CSSOM custom property, allowed by the CSP (no inline style attribute is written).
      style={production || !colour ? undefined : ({ '--env-colour': colour } as CSSProperties)}
    >
      {environment.toUpperCase()}
    </span>
  );
}
