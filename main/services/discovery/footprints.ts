/**
 * From the names on a cluster to tenants and their evidence: every name is read with the parsers of
 * shared/instances/index-naming.ts (the same ones capacity and verification use). A name that fits no version
 * profile, or names a type the profile does not create, is reported as unrecognised: its tenant is
 * never guessed from it.
 */
import type { FootprintEvidence, UnrecognisedName } from '../../../shared/tenants/adoption';
import type { TracardiVersion } from '../../../shared/instances/instance';
import {
  parseAliasName,
  parseIndexName,
  parseTemplateName,
  type ParsedName,
} from '../../../shared/instances/index-naming';
import { isRegistryIndex } from '../../../shared/team/registry';
import { TRACARDI_VERSIONS } from '../../../shared/instances/instance';
import { VERSION_PROFILES, type IndexContext } from '../../../shared/instances/version-profiles';
import type { IndexFacts } from './requests';

const CONTEXT_ORDER: IndexContext[] = ['staging', 'production', 'static'];
const KNOWN_DB = new Map(TRACARDI_VERSIONS.map((v) => [VERSION_PROFILES[v].dbVersion as string, v]));

/** tenant → version → its footprint. */
export type Footprints = Map<string, Map<TracardiVersion, FootprintEvidence>>;

export interface ReadNames {
  footprints: Footprints;
  unrecognised: UnrecognisedName[];
  /** The names that fit a profile, for verification's listing (buildListing). */
  known: { indices: string[]; aliases: string[]; templates: string[] };
}

/** Why a `.tracardi-` name fits no profile, in words. */
function whyNot(name: string, kind: UnrecognisedName['kind']): string {
  const db = /^(?:prod-|static-)?(?:template\.)?([^.]+)\./.exec(name)?.[1];
  const dbs = [...KNOWN_DB.keys()].join(', ');
  if (kind !== 'alias' && db !== undefined && !KNOWN_DB.has(db))
    return `db_version "${db}" is not one of a supported profile (${dbs})`;
  return `does not fit the ${kind} names of Tracardi ${TRACARDI_VERSIONS.join(' or ')}`;
}

function unknownType(parsed: Pick<ParsedName, 'type' | 'version'>): string {
  return `type "${parsed.type}" is not one Tracardi ${parsed.version} creates`;
}

/** Group the cluster's `.tracardi-` names by tenant and version profile, with their evidence. */
export function readNames(
  indices: readonly IndexFacts[],
  aliases: readonly string[],
  templates: readonly string[],
): ReadNames {
  const footprints: Footprints = new Map();
  const unrecognised: UnrecognisedName[] = [];
  const known: ReadNames['known'] = { indices: [], aliases: [], templates: [] };
  const contexts = new Map<FootprintEvidence, Set<IndexContext>>();
  const entry = (tenant: string, version: TracardiVersion): FootprintEvidence => {
    let byVersion = footprints.get(tenant);
    if (!byVersion) footprints.set(tenant, (byVersion = new Map()));
    let fp = byVersion.get(version);
    if (!fp) {
      fp = {
        version,
        contexts: [],
        indices: 0,
        aliases: 0,
        templates: 0,
        primaries: 0,
        sizeBytes: 0,
        oldestIndexCreated: null,
      };
      byVersion.set(version, fp);
      contexts.set(fp, new Set());
    }
    return fp;
  };
  const oldest = new Map<FootprintEvidence, number>();
  /** The name's reading when it fits a profile; otherwise it is listed as unrecognised and null. */
  const recognise = <P extends Omit<ParsedName, 'partition'>>(
    name: string,
    kind: UnrecognisedName['kind'],
    parse: (name: string) => P | null,
  ): P | null => {
    const parsed = parse(name);
    if (parsed?.known) return parsed;
    unrecognised.push({ name, kind, why: parsed ? unknownType(parsed) : whyNot(name, kind) });
    return null;
  };

  for (const index of indices) {
    // The console's own registry indices match `*.tracardi-*` too: they are no tenant's, and no stray.
    if (isRegistryIndex(index.name)) continue;
    const parsed = recognise(index.name, 'index', parseIndexName);
    if (!parsed) continue;
    known.indices.push(index.name);
    const fp = entry(parsed.tenant, parsed.version);
    fp.indices++;
    fp.primaries += index.primaries;
    fp.sizeBytes += index.sizeBytes;
    contexts.get(fp)!.add(parsed.context);
    if (index.created !== null && index.created < (oldest.get(fp) ?? Infinity)) oldest.set(fp, index.created);
  }
  for (const [names, kind, parse, count] of [
    [aliases, 'alias', parseAliasName, 'aliases'],
    [templates, 'template', parseTemplateName, 'templates'],
  ] as const) {
    for (const name of names) {
      if (isRegistryIndex(name)) continue;
      const parsed = recognise(name, kind, parse);
      if (!parsed) continue;
      known[count].push(name);
      entry(parsed.tenant, parsed.version)[count]++;
    }
  }
  for (const [fp, set] of contexts) {
    fp.contexts = CONTEXT_ORDER.filter((c) => set.has(c));
    const t = oldest.get(fp);
    fp.oldestIndexCreated = t === undefined ? null : new Date(t).toISOString();
  }
  unrecognised.sort((a, b) => a.name.localeCompare(b.name));
  return { footprints, unrecognised, known };
}
