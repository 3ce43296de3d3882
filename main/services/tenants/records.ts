/**
 * The records and journal entries a console kept in its settings file before the team registry
 * (settings.tenants, settings.journal). Both arrays are passthrough (`unknown[]`): an entry the
 * schema rejects (hand-edited, written by another version) is skipped when reading and left
 * untouched when writing. move-in.ts publishes them to each instance's registry on first connect.
 */
import type { z } from 'zod';
import { tenantRecordSchema, type TenantRecord } from '../../../shared/tenants/tenant';
import type { SettingsFile } from '../settings-store';
import { journalEntrySchema, type JournalEntry } from './types';

function parseEach<S extends z.ZodType>(schema: S, raws: readonly unknown[]): z.output<S>[] {
  const out: z.output<S>[] = [];
  for (const raw of raws) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The raw entries of one instance (or all): picked before parsing, so each instance parses only its own. */
function ofInstance(raws: readonly unknown[], instanceId: string | undefined): readonly unknown[] {
  if (instanceId === undefined) return raws;
  return raws.filter((raw) => (raw as { instanceId?: unknown } | null)?.instanceId === instanceId);
}

/** The local records of the settings file that parse (not yet published to a registry). */
export function legacyRecordsOf(settings: SettingsFile, instanceId?: string): TenantRecord[] {
  return parseEach(tenantRecordSchema, ofInstance(settings.tenants, instanceId));
}

/** An instance without local records (one array, so the list's memo sees no change). */
const NONE: readonly TenantRecord[] = Object.freeze([]);

/**
 * Parsed local records by instance, per settings.tenants array: the settings store hands out one
 * frozen view until the file changes, so 10,000 records are grouped and parsed once, not per call.
 */
const listedByInstance = new WeakMap<readonly unknown[], Map<string, readonly TenantRecord[]>>();

/**
 * The list's view of one instance's local records: as `legacyRecordsOf`, parsed once per settings
 * state and shared between calls (the list's own records are shared the same way): never changed.
 */
export function listedLegacyRecordsOf(settings: SettingsFile, instanceId: string): readonly TenantRecord[] {
  let byInstance = listedByInstance.get(settings.tenants);
  if (!byInstance) {
    const raws = new Map<unknown, unknown[]>();
    for (const raw of settings.tenants) {
      const id = (raw as { instanceId?: unknown } | null)?.instanceId;
      const list = raws.get(id);
      if (list) list.push(raw);
      else raws.set(id, [raw]);
    }
    byInstance = new Map();
    for (const [id, list] of raws) if (typeof id === 'string') byInstance.set(id, parseEach(tenantRecordSchema, list));
    listedByInstance.set(settings.tenants, byInstance);
  }
  return byInstance.get(instanceId) ?? NONE;
}

/** The local journal entries of the settings file that parse. */
export function legacyJournalOf(settings: SettingsFile, instanceId?: string): JournalEntry[] {
  return parseEach(journalEntrySchema, ofInstance(settings.journal, instanceId));
}

/** Drop one instance's published local records and journal entries from a settings draft. */
export function dropLegacy(draft: SettingsFile, instanceId: string, tenants: ReadonlySet<string>): void {
  const published = (raw: unknown) => {
    const r = raw as { instanceId?: unknown; tenant?: unknown };
    return r?.instanceId === instanceId && typeof r.tenant === 'string' && tenants.has(r.tenant);
  };
  draft.tenants = draft.tenants.filter((t) => !published(t));
  draft.journal = draft.journal.filter((j) => !published(j));
}
