/**
 * The saga journal: one entry in the settings file per multi-step change in flight, so a failure
 * can be undone on the spot and a crash finished (or undone) by reconcile. An entry records the
 * operation, its last completed step and the process running it; `isLive` decides whether that
 * process may still be at work.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ConsoleError } from '../../../shared/errors';
import type { SettingsFile, SettingsStore } from '../settings-store';
import { editJournalEntry, pendingEntryFor, removeJournalEntry } from './records';
import type { JournalEntry, TenantKey } from './types';

// A crashed process may not be told apart from a live one with a recycled pid: past this age a
// journal entry is treated as abandoned whatever its pid.
const JOURNAL_STALE_MS = 60 * 60 * 1000;
// Journal entries from another host cannot be probed; give them this long.
const FOREIGN_JOURNAL_GRACE_MS = 10 * 60 * 1000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Journal entries of one settings store, and the sagas of this process that own some of them. */
export class SagaJournal {
  /** Journal ids of sagas running in this process. */
  readonly active = new Set<string>();
  private readonly settings: SettingsStore;
  private readonly clock: () => Date;

  constructor(settings: SettingsStore, clock: () => Date) {
    this.settings = settings;
    this.clock = clock;
  }

  /** A new entry owned by this process, at step 'journal'; not yet written. */
  newEntry(op: JournalEntry['op'], key: TenantKey, extra: Partial<JournalEntry> = {}): JournalEntry {
    return {
      id: randomUUID(),
      op,
      instanceId: key.instanceId,
      tenant: key.tenant,
      startedAt: this.clock().toISOString(),
      step: 'journal',
      pid: process.pid,
      host: hostname(),
      ...extra,
    };
  }

  /** Write a new entry and mark it active; conflict when the tenant already has one. */
  start(op: JournalEntry['op'], key: TenantKey, extra: Partial<JournalEntry> = {}): JournalEntry {
    const entry = this.newEntry(op, key, extra);
    this.settings.update((draft) => {
      const clash = pendingEntryFor(draft, key);
      if (clash)
        throw new ConsoleError(
          'conflict',
          `A ${clash.op} of ${key.tenant} on ${key.instanceId} is already pending.`,
          key,
        );
      draft.journal.push(entry);
    });
    this.active.add(entry.id);
    return entry;
  }

  /** Whether the saga behind the entry may still be running (then nobody else touches the tenant). */
  isLive(entry: JournalEntry): boolean {
    if (this.active.has(entry.id)) return true;
    if (entry.endedAt !== undefined) return false;
    const age = this.clock().getTime() - new Date(entry.startedAt).getTime();
    if (!(age < JOURNAL_STALE_MS)) return false;
    if (entry.host !== hostname()) return age < FOREIGN_JOURNAL_GRACE_MS;
    if (entry.pid === process.pid) return false; // ours, and not in `active`: a saga that died with its promise
    return pidAlive(entry.pid);
  }

  /** Conflict when a saga is running for the tenant; an interrupted one must be reconciled first. */
  refuseBusy(settings: SettingsFile, key: TenantKey): void {
    const pending = pendingEntryFor(settings, key);
    if (!pending) return;
    const live = this.isLive(pending);
    throw new ConsoleError(
      'conflict',
      live
        ? `A ${pending.op} of ${key.tenant} on ${key.instanceId} is in progress (process ${pending.pid}); try again when it ends.`
        : `An interrupted ${pending.op} of ${key.tenant} on ${key.instanceId} is pending: it needs a repair first.`,
      live ? key : { ...key, remedy: 'reconcile-repair' },
    );
  }

  /** Record the last completed step. */
  setStep(id: string, step: string): void {
    this.settings.update((draft) => {
      editJournalEntry(draft, id, (j) => {
        j.step = step;
      });
    });
  }

  /** Leave the entry for reconcile, marked as no longer running (so no one waits for it). */
  end(id: string, step?: string): void {
    try {
      this.settings.update((draft) => {
        editJournalEntry(draft, id, (j) => {
          j.endedAt = this.clock().toISOString();
          if (step) j.step = step;
        });
      });
    } catch {
      // the entry stays as it is; past its age or with its process gone it counts as ended anyway
    }
  }

  /** Remove the entry: the saga is settled. */
  drop(id: string): void {
    this.settings.update((draft) => removeJournalEntry(draft, id));
  }
}
