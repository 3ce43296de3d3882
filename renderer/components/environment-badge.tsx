/**
 * The instance's environment, unmistakable: production is always a red "PRODUCTION" badge whatever
 * colour the instance was given; other environments use the instance's colour.
 */
import type { Environment } from '../../shared/instance';

export function EnvironmentBadge({ environment, colour }: { environment: Environment; colour?: string }) {
  const production = environment === 'production';
  return (
    <span
      className={`env-badge env-${environment}`}
      // CSSOM property, allowed by the CSP (no inline style attribute is written).
      style={production || !colour ? undefined : { borderColor: colour, color: colour }}
    >
      {environment.toUpperCase()}
    </span>
  );
}
