/** Which registries came back (pure: the frame's poll in registry-status.ts, and its unit test). */
import type { RegistryStatus } from '../../shared/contract/contract';

/**
 * The instances whose registry is unreachable now, and whether one that was (in `before`) answers
 * again: the list then fetched from its cache is fetched anew.
 */
export function registriesBack(
  before: ReadonlySet<string>,
  statuses: readonly RegistryStatus[],
): { unreachable: ReadonlySet<string>; back: boolean } {
  const unreachable = new Set(statuses.filter((s) => s.health.state === 'unreachable').map((s) => s.instanceId));
  return { unreachable, back: [...before].some((id) => !unreachable.has(id)) };
}
