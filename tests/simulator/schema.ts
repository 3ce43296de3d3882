// A tenant's Elasticsearch footprint (contract section 4): what is expected, what exists, creating
// the missing parts idempotently, and removing everything again for test cleanup.
import type { Es } from './es';
import { mapLimit, targets } from './es';
import { TenantNames, isPartitionOf, partitionSuffix, type Context, type Partitioning } from './naming';
import { shardsFor, type ShardSettings, type VersionProfile } from './profiles';

/** One type of one context: its index (or partition base), alias and template. */
export interface TypeArtefact {
  context: Context | 'static';
  type: string;
  /** Plain index name, or the base of the partitions when `partitioned`. */
  index: string;
  alias: string;
  template: string | null;
  partitioned: boolean;
  shards: number;
}

export interface CreatedArtefacts {
  templates: string[];
  indices: string[];
  aliases: string[];
}

export interface SchemaState {
  indices: Set<string>;
  aliases: Set<string>;
  templates: Set<string>;
}

/** Parallel requests when creating or deleting: enough to be quick, few enough for a 2-core box. */
const CONCURRENCY = 8;
/** Above every template a bare test cluster has; our patterns never overlap each other. */
const TEMPLATE_PRIORITY = 200;

export function namesFor(profile: VersionProfile, tenant: string): TenantNames {
  return new TenantNames(profile.dbVersion, tenant, profile.aliasHasVersion);
}

/** Every artefact one install creates, both contexts (76 types for 0.8.2, 12 for 0.9). */
export function expectedArtefacts(profile: VersionProfile, tenant: string, shards: ShardSettings): TypeArtefact[] {
  const names = namesFor(profile, tenant);
  const out: TypeArtefact[] = [];
  const add = (context: Context | 'static', type: string, partitioned: boolean) =>
    out.push({
      context,
      type,
      index: names.index(context, type),
      alias: names.alias(context, type),
      template: partitioned && context !== 'static' ? names.template(context, type) : null,
      partitioned,
      shards: shardsFor(profile, type, shards),
    });
  for (const context of ['staging', 'production'] as const) {
    for (const type of profile.partitioned) add(context, type, true);
    for (const type of profile.plain) add(context, type, false);
  }
  for (const type of profile.static) add('static', type, false);
  return out;
}

/** Reads which of this tenant's indices, aliases and templates exist (three requests). */
export async function readState(es: Es, names: TenantNames): Promise<SchemaState> {
  type Resolved = { indices: { name: string }[]; aliases: { name: string }[] };
  type Templates = { index_templates: { name: string }[] };
  const [resolved, ...templateReplies] = await Promise.all([
    es.ok<Resolved>('GET', `/_resolve/index/${targets(names.indexPatterns())}?expand_wildcards=all`),
    ...names.templatePatterns().map((p) => es.request<Templates>('GET', `/_index_template/${encodeURIComponent(p)}`)),
  ]);
  const templates = new Set<string>();
  for (const reply of templateReplies) {
    if (reply.status === 200) for (const t of reply.body.index_templates) templates.add(t.name);
  }
  return {
    indices: new Set(resolved.indices.map((i) => i.name)),
    aliases: new Set(resolved.aliases.map((a) => a.name)),
    templates,
  };
}

/** Names of expected artefacts that do not exist; a partitioned type needs at least one partition. */
export function missingArtefacts(expected: readonly TypeArtefact[], state: SchemaState): string[] {
  const missing: string[] = [];
  for (const a of expected) {
    if (a.template && !state.templates.has(a.template)) missing.push(a.template);
    if (!state.aliases.has(a.alias)) missing.push(a.alias);
    const hasIndex = a.partitioned
      ? [...state.indices].some((i) => isPartitionOf(i, a.index))
      : state.indices.has(a.index);
    if (!hasIndex) missing.push(a.partitioned ? `${a.index}-*` : a.index);
  }
  return missing;
}

export interface InstallStep {
  es: Es;
  /** Artefacts of the context being installed (static ones go with staging). */
  artefacts: readonly TypeArtefact[];
  replicas: number;
  /** Period of each partitioned type (profiles.periodsFor). */
  periods: Readonly<Record<string, Partitioning>>;
  now: Date;
  names: TenantNames;
}

/** Creates what is missing of `artefacts`: templates first, then indices with their aliases. */
export async function installArtefacts(step: InstallStep): Promise<CreatedArtefacts> {
  const { es, artefacts, replicas } = step;
  const before = await readState(es, step.names);
  const created: CreatedArtefacts = { templates: [], indices: [], aliases: [] };
  const settings = (shards: number) => ({ index: { number_of_shards: shards, number_of_replicas: replicas } });

  const templates = artefacts.filter((a) => a.template && !before.templates.has(a.template));
  await mapLimit(templates, CONCURRENCY, async (a) => {
    await es.ok('PUT', `/_index_template/${encodeURIComponent(a.template as string)}`, {
      // `-2*` (a year), not `-*`: `...tracardi-event-*` would also catch event-redirect, event-management...
      index_patterns: [`${a.index}-2*`],
      priority: TEMPLATE_PRIORITY,
      template: { settings: settings(a.shards), aliases: { [a.alias]: {} } },
      _meta: { simulator: 'tracardi-sim', type: a.type, context: a.context },
    });
    created.templates.push(a.template as string);
  });

  const toCreate = artefacts.flatMap((a) => {
    const name = a.partitioned ? `${a.index}${partitionSuffix(step.now, step.periods[a.type] ?? 'month')}` : a.index;
    return before.indices.has(name) ? [] : [{ a, name }];
  });
  await mapLimit(toCreate, CONCURRENCY, async ({ a, name }) => {
    const reply = await es.request('PUT', `/${encodeURIComponent(name)}?wait_for_active_shards=0`, {
      settings: settings(a.shards),
      aliases: { [a.alias]: {} },
    });
    if (reply.status === 200) created.indices.push(name);
    else if (!isAlreadyExists(reply.body))
      throw new Error(`creating index ${name}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  });

  // Aliases lost on their own (index kept) are put back on every index of the type.
  const after = await readState(es, step.names);
  const actions = artefacts
    .filter((a) => !after.aliases.has(a.alias))
    .flatMap((a) =>
      [...after.indices]
        .filter((i) => (a.partitioned ? isPartitionOf(i, a.index) : i === a.index))
        .map((index) => ({ add: { index, alias: a.alias } })),
    );
  if (actions.length > 0) await es.ok('POST', '/_aliases', { actions });
  for (const a of artefacts) if (!before.aliases.has(a.alias)) created.aliases.push(a.alias);

  for (const list of Object.values(created)) list.sort();
  return created;
}

function isAlreadyExists(body: unknown): boolean {
  return JSON.stringify(body).includes('resource_already_exists_exception');
}

/** Deletes every index (aliases go with them) and template of a tenant; for test cleanup. */
export async function deleteTenantSchema(es: Es, names: TenantNames): Promise<void> {
  const state = await readState(es, names);
  const indices = [...state.indices];
  // destructive_requires_name forbids wildcard deletes: name the indices, a few dozen per request.
  const chunks: string[][] = [];
  for (let i = 0; i < indices.length; i += 40) chunks.push(indices.slice(i, i + 40));
  await mapLimit(chunks, 2, (chunk) => es.ok('DELETE', `/${targets(chunk)}?ignore_unavailable=true`));
  await mapLimit([...state.templates], CONCURRENCY, async (t) => {
    const reply = await es.request('DELETE', `/_index_template/${encodeURIComponent(t)}`);
    if (reply.status !== 200 && reply.status !== 404) throw new Error(`deleting template ${t}: HTTP ${reply.status}`);
  });
}
