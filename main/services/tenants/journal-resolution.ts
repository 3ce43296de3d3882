/**
 * Settling a saga that did not finish (its process crashed, or it gave up and left the journal
 * entry): what reconcile proposes for a pending journal entry, and doing it.
 */
import { ConsoleError } from '../../../shared/errors';
import { accountFor } from '../keychain';
import type { TmsTenant } from '../tms-client';
import { findRecord, removeJournalEntry } from './records';
import { sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import { finishDelete, finishRevoke } from './token-operations';
import type { JournalEntry } from './types';

/** What resolving the entry will do, in words (the repair text of a pending-journal finding). */
export function journalRepairText(j: JournalEntry): string {
  switch (j.op) {
    case 'create':
      return 'undo the interrupted create (remove the TMS entry it posted and its keychain token); then create it again';
    case 'rotate':
      return 'complete the rotation if the keychain holds the new token, else put the keychain token back in the TMS';
    case 'revoke':
      return 'complete the revocation';
    case 'delete':
      return 'complete the deletion';
  }
}

/**
 * Settle an interrupted saga. create: undone (the operator never saw it succeed), unless the TMS
 * cannot delete, in which case it is completed so the TMS entry has a record. rotate: completed
 * when the keychain already holds the new token, else the keychain token goes back to the TMS.
 * revoke and delete: completed (the operator asked for the token to die).
 */
export async function resolveJournal(ctx: TenantContext, entry: JournalEntry): Promise<string> {
  if (ctx.journal.isLive(entry)) {
    throw new ConsoleError(
      'conflict',
      `A ${entry.op} of ${entry.tenant} on ${entry.instanceId} is still running (process ${entry.pid} on ${entry.host}); try again when it ends.`,
      { instanceId: entry.instanceId, tenant: entry.tenant },
    );
  }
  const key = { instanceId: entry.instanceId, tenant: entry.tenant };
  const account = accountFor.token(key.instanceId, key.tenant);
  const settings = ctx.fresh();
  const record = findRecord(settings, key);
  const instanceKnown = settings.instances.some((i) => i.id === key.instanceId);
  // revoke and delete without a record: only a keychain token can be left over.
  const forgetToken = async (result: string) => {
    await ctx.secrets.delete(account);
    ctx.journal.drop(entry.id);
    return result;
  };
  switch (entry.op) {
    case 'create': {
      if (record) {
        // Killed after the record step: the create finished; only the entry itself is left.
        ctx.journal.drop(entry.id);
        return 'record already written: journal entry cleared';
      }
      const token = await ctx.secrets.get(account);
      const ours = (t: TmsTenant) =>
        (entry.tmsId !== undefined && t.id === entry.tmsId) ||
        (t.installToken !== null && entry.tokenSha256 !== undefined && sha256(t.installToken) === entry.tokenSha256) ||
        (token !== null && t.installToken === token);
      let tmsNote = 'no TMS entry';
      if (instanceKnown) {
        const tms = await ctx.tms(key.instanceId);
        const inTms = await tms.getTenant(key.tenant);
        if (inTms && ours(inTms)) {
          try {
            await tms.deleteTenant(key.tenant);
            tmsNote = 'TMS entry removed';
          } catch (err) {
            if (!(err instanceof ConsoleError) || err.code !== 'tms-unsupported' || !entry.record) throw err;
            // The TMS keeps what the saga posted: complete the create so the console knows it.
            const created = entry.record;
            let live = token;
            if (live === null || inTms.installToken !== live) {
              live = ctx.newToken();
              await tms.upsertTenant(tmsEntryFor(created, live));
              await ctx.secrets.set(account, live);
            }
            ctx.settings.update((draft) => {
              removeJournalEntry(draft, entry.id);
              draft.tenants.push(created);
            });
            return 'the TMS cannot delete: create completed instead (record written)';
          }
        } else if (inTms) {
          tmsNote = 'TMS entry left alone (not the one this create posted)';
        }
      } else {
        tmsNote = 'instance gone: TMS not checked';
      }
      await ctx.secrets.delete(account);
      ctx.journal.drop(entry.id);
      return `create undone (${tmsNote}, keychain token removed)`;
    }
    case 'rotate': {
      if (!record) {
        ctx.journal.drop(entry.id);
        return 'no record: journal entry cleared';
      }
      const token = await ctx.secrets.get(account);
      if (token === null) {
        ctx.journal.drop(entry.id);
        return 'journal entry cleared; the record has no token (see record-without-token)';
      }
      // Either way the keychain token is the one the TMS must hold.
      const tms = await ctx.tms(key.instanceId);
      await tms.upsertTenant(tmsEntryFor(record, token));
      if (entry.tokenSha256 !== undefined && sha256(token) === entry.tokenSha256) {
        ctx.updateRecord(
          key,
          (r) => {
            r.rotatedAt = entry.startedAt;
            r.state = 'registered';
            delete r.handedOverAt;
          },
          entry.id,
        );
        return 'rotation completed (the new token is in the keychain and the TMS)';
      }
      ctx.journal.drop(entry.id);
      return 'rotation undone (the previous token is back in the TMS); rotate again';
    }
    case 'revoke': {
      if (!record) return forgetToken('no record: keychain token removed, journal entry cleared');
      await finishRevoke(ctx, record, entry.id);
      return 'revocation completed';
    }
    case 'delete': {
      if (!record) return forgetToken('record already gone: keychain token removed, journal entry cleared');
      await finishDelete(ctx, record, entry.id);
      return 'deletion completed';
    }
  }
}
