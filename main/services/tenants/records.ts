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
