/**
 * Tenant records and journal entries as the settings file holds them. Both arrays are passthrough
 * (`unknown[]`): an entry the schema rejects (hand-edited, written by another version) is skipped
 * when reading and left untouched when writing.
 */
import type { z } from 'zod';
import { ConsoleError } from '../../../shared/errors';
import { tenantRecordSchema, type TenantRecord } from '../../../shared/tenant';
import type { SettingsFile } from '../settings-store';
import { journalEntrySchema, type JournalEntry, type TenantKey } from './types';

function parseEach<S extends z.ZodType>(schema: S, raws: readonly unknown[]): z.output<S>[] {
  const out: z.output<S>[] = [];
  for (const raw of raws) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The records of the settings file that parse. */
export function recordsOf(settings: SettingsFile): TenantRecord[] {
  return parseEach(tenantRecordSchema, settings.tenants);
}

/** The journal entries of the settings file that parse. */
export function journalOf(settings: SettingsFile): JournalEntry[] {
  return parseEach(journalEntrySchema, settings.journal);
}

/** The record of one tenant, if the console has it. */
export function findRecord(settings: SettingsFile, key: TenantKey): TenantRecord | undefined {
  return recordsOf(settings).find((r) => r.instanceId === key.instanceId && r.tenant === key.tenant);
}

/** The record of one tenant; not-found when the console does not know it. */
export function requireRecord(settings: SettingsFile, key: TenantKey): TenantRecord {
  const found = findRecord(settings, key);
  if (!found)
    throw new ConsoleError(
      'not-found',
      `No tenant ${key.tenant.slice(0, 60)} on instance ${key.instanceId.slice(0, 63)}.`,
      key,
    );
  return found;
}

/** The journal entry of a saga on this tenant (at most one is allowed). */
export function pendingEntryFor(settings: SettingsFile, key: TenantKey): JournalEntry | undefined {
  return journalOf(settings).find((j) => j.instanceId === key.instanceId && j.tenant === key.tenant);
}

/** Drop a journal entry from a settings draft (inside `settings.update`). */
export function removeJournalEntry(draft: SettingsFile, id: string): void {
  draft.journal = draft.journal.filter((j) => (j as { id?: unknown }).id !== id);
}

/** Change a journal entry of a settings draft in place (inside `settings.update`). */
export function editJournalEntry(
  draft: SettingsFile,
  id: string,
  change: (entry: { step: string; endedAt?: string }) => void,
): void {
  for (const j of draft.journal) {
    if (typeof j === 'object' && j !== null && (j as { id?: unknown }).id === id)
      change(j as { step: string; endedAt?: string });
  }
}
