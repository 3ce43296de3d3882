/**
 * The instance's audit trail as a hash chain: entry `seq` carries the SHA-256 of entry `seq - 1`
 * (`prevHash`) and its own (`hash`, over every other field), so an entry edited, deleted or moved
 * directly in Elasticsearch breaks the chain at the first place it was touched. Appends are
 * create-only on `<scope>/<seq>`: two consoles appending at once never fork the chain, the loser
 * reads the entry that won and appends after it.
 */
import { createHash } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors/errors';
import {
  auditDocId,
  canonicalJson,
  chainedAuditEntrySchema,
  type ChainedAuditEntry,
} from '../../../shared/team/registry';
import type { RegistryBackend } from './backend';

export type AuditDraft = Omit<ChainedAuditEntry, 'scope' | 'seq' | 'prevHash' | 'hash'>;
export interface ChainHead {
  seq: number;
  hash: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The `prevHash` of a scope's first entry. */
export function genesisHash(scope: string): string {
  return sha256(`tracardi-console-audit-genesis:${scope}`);
}

/** The hash an entry must carry: over every field but `hash`, keys sorted. */
export function entryHash(entry: Omit<ChainedAuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  void _ignored;
  return sha256(canonicalJson(rest));
}

const MAX_APPEND_TRIES = 50;

/** Append after the chain's head (`hint`: this process's last known head, else read). */
export async function appendEntry(
  backend: RegistryBackend,
  scope: string,
  draft: AuditDraft,
  hint: ChainHead | null,
): Promise<ChainedAuditEntry> {
  let head = hint ?? (await readHead(backend, scope));
  for (let attempt = 0; attempt < MAX_APPEND_TRIES; attempt++) {
    const base = { ...draft, scope, seq: head.seq + 1, prevHash: head.hash };
    const entry: ChainedAuditEntry = { ...base, hash: entryHash(base) };
    if ((await backend.auditCreate(auditDocId(scope, entry.seq), entry)) === 'ok') return entry;
    // Another console took this place: follow the chain to its end.
    const taken = await backend.auditGet(auditDocId(scope, entry.seq));
    head = taken ? { seq: taken.seq, hash: taken.hash } : await readHead(backend, scope);
  }
  throw new ConsoleError(
    'es-error',
    `The team audit trail of ${scope} could not be appended to after ${MAX_APPEND_TRIES} tries (too many consoles writing at once); try again.`,
  );
}

async function readHead(backend: RegistryBackend, scope: string): Promise<ChainHead> {
  const head = await backend.auditHead(scope);
  return head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: genesisHash(scope) };
}

export interface ChainProblem {
  /** The first entry that is not as it was written. */
  seq: number;
  kind: 'edited' | 'deleted' | 'reordered';
  detail: string;
}

export interface ChainReport {
  scope: string;
  entries: number;
  head: ChainHead | null;
  /** Null when the chain is whole. */
  problem: ChainProblem | null;
}

/**
 * Walk the scope's chain from its first entry and name the first entry that was edited, deleted or
 * reordered. `seen` is the newest entry this console saw before: a chain that now ends before it,
 * or holds another entry there, was cut short or rewritten.
 */
export async function verifyChain(
  backend: RegistryBackend,
  scope: string,
  seen: ChainHead | null,
): Promise<ChainReport> {
  const hashes = new Map<string, number>();
  const rows: { id: string; entry: ChainedAuditEntry | null; raw: unknown }[] = [];
  await backend.auditAll(scope, (page) => {
    for (const { id, entry } of page) {
      const parsed = chainedAuditEntrySchema.safeParse(entry);
      rows.push({ id, entry: parsed.success ? parsed.data : null, raw: entry });
      if (parsed.success) hashes.set(parsed.data.hash, parsed.data.seq);
    }
  });
  let prev: ChainHead = { seq: 0, hash: genesisHash(scope) };
  const report = (problem: ChainProblem): ChainReport => ({ scope, entries: rows.length, head: prev, problem });
  for (const { id, entry, raw } of rows) {
    const idSeq = Number(id.slice(scope.length + 1));
    if (entry === null) {
      const claimed = Number((raw as { seq?: unknown } | null)?.seq);
      return report({
        seq: Number.isFinite(claimed) ? claimed : idSeq,
        kind: 'edited',
        detail: `the entry stored as ${id} is no longer a valid audit entry (a field was changed or removed).`,
      });
    }
    if (idSeq !== entry.seq)
      return report({
        seq: Math.min(idSeq, entry.seq),
        kind: 'reordered',
        detail: `the entry stored as ${id} says it is entry ${entry.seq}: entries were moved or renumbered.`,
      });
    if (entry.seq > prev.seq + 1)
      return report({
        seq: prev.seq + 1,
        kind: 'deleted',
        detail: `entries ${prev.seq + 1}${entry.seq - 1 > prev.seq + 1 ? `-${entry.seq - 1}` : ''} are missing: the chain goes from entry ${prev.seq} to entry ${entry.seq}.`,
      });
    if (entryHash(entry) !== entry.hash)
      return report({
        seq: entry.seq,
        kind: 'edited',
        detail: `entry ${entry.seq} (${entry.time}, ${entry.action}) does not match its own hash: it was changed after it was written.`,
      });
    if (entry.prevHash !== prev.hash) {
      const follows = hashes.get(entry.prevHash);
      return report(
        follows !== undefined
          ? {
              seq: entry.seq,
              kind: 'reordered',
              detail: `entry ${entry.seq} was written after entry ${follows}, not after entry ${prev.seq}: the order was changed.`,
            }
          : {
              seq: prev.seq,
              kind: 'edited',
              detail: `entry ${entry.seq} does not follow entry ${prev.seq} as written: entry ${prev.seq} was changed and its hash computed again.`,
            },
      );
    }
    prev = { seq: entry.seq, hash: entry.hash };
  }
  if (seen && seen.seq > prev.seq)
    return report({
      seq: prev.seq + 1,
      kind: 'deleted',
      detail: `the chain ends at entry ${prev.seq}, but this console saw it reach entry ${seen.seq}: entries ${prev.seq + 1}-${seen.seq} were deleted.`,
    });
  if (seen && seen.seq > 0) {
    const there = rows.find((r) => r.entry?.seq === seen.seq)?.entry;
    if (there && there.hash !== seen.hash)
      return report({
        seq: seen.seq,
        kind: 'edited',
        detail: `entry ${seen.seq} is not the one this console saw there: the chain was rewritten from there on.`,
      });
  }
  return { scope, entries: rows.length, head: rows.length ? prev : null, problem: null };
}
