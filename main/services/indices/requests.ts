/**
 * The index browser's three requests, whatever the number of indices: the indices of a pattern
 * (`_cat/indices`, the columns asked for by name and trimmed again by `filter_path`), the aliases
 * and the index templates of the same pattern. Paths are written out so docs/ui-testing.md can
 * quote them; the replies are read defensively (a field missing is null, never a crash).
 */
import type { IndexRow } from '../../../shared/instances/index-listing';

const CAT_COLUMNS = 'index,health,status,docs.count,store.size,pri,rep';
// filter_path reads a dot as a level: the flat `docs.count` and `store.size` keys are named by wildcard.
const CAT_FILTER = 'index,health,status,pri,rep,docs*,store*';

/** The three requests for one pattern (expand_wildcards=all: closed and hidden indices count too). */
export function indexRequests(pattern: string) {
  const target = encodeURIComponent(pattern).replace(/%2A/g, '*');
  return {
    indices: {
      path: `/_cat/indices/${target}`,
      querystring: {
        format: 'json',
        h: CAT_COLUMNS,
        bytes: 'b',
        s: 'index',
        expand_wildcards: 'all',
        filter_path: CAT_FILTER,
      },
    },
    aliases: {
      path: `/_cat/aliases/${target}`,
      querystring: {
        format: 'json',
        h: 'alias,index',
        s: 'alias',
        expand_wildcards: 'all',
        filter_path: 'alias,index',
      },
    },
    // A pattern that matches no template answers 404: that is "none", not a failure.
    templates: {
      path: `/_index_template/${target}`,
      querystring: { filter_path: 'index_templates.name' },
    },
  } as const;
}

function whole(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The `_cat/indices` reply as rows (a closed index has no health, docs or size). */
export function readIndexRows(reply: unknown): IndexRow[] {
  const rows = Array.isArray(reply) ? (reply as Record<string, unknown>[]) : [];
  return rows.flatMap((r) => {
    const name = text(r?.index);
    if (!name) return [];
    return [
      {
        name,
        health: text(r.health),
        status: text(r.status),
        docs: whole(r['docs.count']),
        sizeBytes: whole(r['store.size']),
        primaries: whole(r.pri),
        replicas: whole(r.rep),
      },
    ];
  });
}

/** The `_cat/aliases` reply: one row per alias and index. */
export function readAliasRows(reply: unknown): { alias: string; index: string }[] {
  const rows = Array.isArray(reply) ? (reply as Record<string, unknown>[]) : [];
  return rows.flatMap((r) => {
    const alias = text(r?.alias);
    const index = text(r?.index);
    return alias && index ? [{ alias, index }] : [];
  });
}

/** The template names of the `_index_template` reply, sorted. */
export function readTemplateNames(reply: unknown): string[] {
  const list = (reply as { index_templates?: { name?: unknown }[] } | null)?.index_templates ?? [];
  return list.flatMap((t) => (typeof t?.name === 'string' ? [t.name] : [])).sort();
}
