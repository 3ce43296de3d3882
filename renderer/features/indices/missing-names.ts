/** Which of the names a verification found missing are there now, pure (a `prefix-*` name: any partition). */
import type { IndexListing } from '../../../shared/instances/index-listing';

export interface MissingName {
  name: string;
  /** True when the live listing holds it now (an index, alias or template of that name). */
  presentNow: boolean;
}

/** Each missing name against what the instance holds now. */
export function checkMissing(missing: readonly string[], listing: IndexListing): MissingName[] {
  const names = new Set([
    ...listing.indices.map((i) => i.name),
    ...listing.aliases.map((a) => a.alias),
    ...listing.templates,
  ]);
  return missing.map((name) => {
    if (name.endsWith('-*')) {
      const prefix = name.slice(0, -1);
      return { name, presentNow: listing.indices.some((i) => i.name.startsWith(prefix)) };
    }
    return { name, presentNow: names.has(name) };
  });
}
