/**
 * Settling a change that did not finish (its console crashed, or gave up and left the pending
 * change on the tenant's document): what reconcile proposes for it, and doing it. Any console of
 * the team can settle it from the registry; what sits in the keychain of the console that ran it
 * (a new token) is that console's to drop, and its own reconcile finds it (orphan-token).
 */
import { ConsoleError } from '../../../shared/errors/errors';
import { describeOperator } from '../../../shared/team/operator';
import type { RegistryTenantDoc } from '../../../shared/team/registry';
import type { PendingOp } from '../../../shared/team/team';
import { accountFor } from '../keychain';
import type { Stored } from '../registry';
import type { TmsTenant } from '../tms-client';
import { sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import { finishDelete, finishRevoke } from './token-operations';

/** What resolving the pending change will do, in words (the repair text of a pending-journal finding). */
export function journalRepairText(p: PendingOp, mine: boolean): string {
  switch (p.op) {
    case 'create':
      return 'undo the interrupted create (remove the TMS entry it posted, its claim on the name and, in this keychain, its token); then create it again';
    case 'rotate':
      return mine
        ? 'complete the rotation if the keychain holds the new token, else put the keychain token back in the TMS'
        : `issue a fresh token that this console holds (the rotation by ${describeOperator(p.by)} left the TMS token unknown here)`;
    case 'revoke':
      return 'complete the revocation';
    case 'delete':
      return 'complete the deletion';
  }
}

/**
 * Settle an interrupted change. create: undone (the operator never saw it succeed), unless the TMS
 * cannot delete, in which case it is completed so the TMS entry has a record. rotate: completed when
 * this keychain holds the new token, else a fresh token (this console's) goes to the TMS. revoke
 * and delete: completed (the operator asked for the token to die).
 */
export async function resolvePending(
  ctx: TenantContext,
  instanceId: string,
  from: Stored<RegistryTenantDoc>,
): Promise<string> {
  const pending = from.doc.pending;
  const tenant = from.doc.tenant;
  const key = { instanceId, tenant };
  if (!pending) return 'nothing pending';
  if (ctx.isLive(pending)) {
    throw new ConsoleError(
      'conflict',
      `A ${pending.op} of ${tenant} on ${instanceId} by ${describeOperator(pending.by)} is still running (process ${pending.pid} on ${pending.host}); try again when it ends.`,
      key,
    );
  }
  const registry = await ctx.registry(instanceId);
  await registry.requireWritable();
  const account = accountFor.token(instanceId, tenant);
  const mine = pending.keychain === ctx.keychainId;
  let stored = from;
  switch (pending.op) {
    case 'create': {
      if (from.doc.phase === 'active') {
        // Killed after the record step: the create finished; only the pending mark is left.
        await ctx.change(registry, stored, 'cleared a finished create', (d) => {
          d.pending = null;
        });
        return 'record already active: pending mark cleared';
      }
      const token = mine ? await ctx.secrets.get(account) : null;
      const ours = (t: TmsTenant) =>
        (pending.tmsId !== undefined && t.id === pending.tmsId) ||
        (t.installToken !== null &&
          pending.tokenSha256 !== undefined &&
          sha256(t.installToken) === pending.tokenSha256) ||
        (token !== null && t.installToken === token);
      let tmsNote = 'no TMS entry';
      const tms = await ctx.tms(instanceId);
      const inTms = await tms.getTenant(tenant);
      if (inTms && ours(inTms)) {
        try {
          await tms.deleteTenant(tenant);
          tmsNote = 'TMS entry removed';
        } catch (err) {
          if (!(err instanceof ConsoleError) || err.code !== 'tms-unsupported') throw err;
          // The TMS keeps what the create posted: complete it so the team knows the tenant. This
          // keychain's token when it is the one the TMS holds, else a fresh one this console holds.
          if (token === null || inTms.installToken !== token) {
            const live = ctx.newToken();
            await tms.upsertTenant(tmsEntryFor(ctx.record(instanceId, stored), live));
            await ctx.secrets.set(account, live);
          }
          await ctx.change(
            registry,
            stored,
            'completed an interrupted create (the TMS cannot delete)',
            (d) => {
              d.phase = 'active';
              d.pending = null;
              d.holder = ctx.holder();
            },
            { refresh: true },
          );
          return 'the TMS cannot delete: create completed instead (record active, its token in this keychain)';
        }
      } else if (inTms) {
        tmsNote = 'TMS entry left alone (not the one this create posted)';
      }
      if (mine) await ctx.secrets.delete(account);
      await registry.unclaim(stored);
      return `create undone (${tmsNote}, claim withdrawn${mine ? ', keychain token removed' : ''})`;
    }
    case 'rotate': {
      const record = ctx.record(instanceId, stored);
      const tms = await ctx.tms(instanceId);
      const token = mine || ctx.holdsToken(stored.doc) ? await ctx.secrets.get(account) : null;
      if (mine && token !== null && pending.tokenSha256 !== undefined && sha256(token) === pending.tokenSha256) {
        await tms.upsertTenant(tmsEntryFor(record, token));
        await ctx.change(
          registry,
          stored,
          'completed an interrupted rotation',
          (d) => {
            d.record.rotatedAt = pending.startedAt;
            d.record.state = 'registered';
            delete d.record.handedOverAt;
            d.holder = ctx.holder();
            d.pending = null;
          },
          { refresh: true },
        );
        return 'rotation completed (the new token is in the keychain and the TMS)';
      }
      if (token !== null && ctx.holdsToken(stored.doc)) {
        // The TMS must hold the keychain's token: the rotation is undone.
        await tms.upsertTenant(tmsEntryFor(record, token));
        await ctx.change(registry, stored, 'undid an interrupted rotation', (d) => {
          d.pending = null;
        });
        return 'rotation undone (the previous token is back in the TMS); rotate again';
      }
      // Nothing here knows the token the TMS holds now: issue one this console holds.
      const fresh = ctx.newToken();
      await tms.upsertTenant(tmsEntryFor(record, fresh));
      await ctx.secrets.set(account, fresh);
      stored = await ctx.change(
        registry,
        stored,
        'issued a fresh token after an interrupted rotation',
        (d) => {
          d.record.rotatedAt = ctx.now();
          d.record.state = 'registered';
          delete d.record.handedOverAt;
          d.holder = ctx.holder();
          d.pending = null;
        },
        { refresh: true },
      );
      return 'fresh token issued to the TMS and this keychain (hand it over again)';
    }
    case 'revoke':
      await finishRevoke(ctx, registry, stored);
      return 'revocation completed';
    case 'delete':
      await finishDelete(ctx, registry, stored);
      return 'deletion completed';
  }
}
