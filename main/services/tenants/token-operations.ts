/**
 * What the operator does with a tenant's installation token once it exists: reveal it, copy it,
 * export the hand-over sheet, mark it handed over, rotate it, revoke it, delete the tenant. Every
 * action is audited; the token itself never reaches the audit log, the settings or an error.
 *
 *   rotate:  journal → TMS POST (new token) → keychain set → record updated + journal removed
 *   revoke:  journal → TMS token replaced by an unknown one → keychain delete → record 'revoked'
 *   delete:  journal → TMS DELETE → keychain delete → record removed + journal removed
 */
import { randomUUID } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConsoleError } from '../../../shared/errors';
import type { TenantRecord } from '../../../shared/tenant';
import { accountFor } from '../keychain';
import type { TmsClient } from '../tms-client';
import { renderHandoffSheet } from './handoff-sheet';
import { removeJournalEntry, requireRecord } from './records';
import { addDays, pendingError, sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import type { JournalEntry, RevealedToken, TenantKey } from './types';

/** The installation token and where to use it (audited as 'reveal'). */
export async function revealToken(ctx: TenantContext, key: TenantKey): Promise<RevealedToken> {
  return ctx.audited('reveal', key, async () => {
    const { record, token } = await ctx.tokenOf(key);
    return {
      instanceId: key.instanceId,
      tenant: key.tenant,
      token,
      apiUrl: record.apiUrl,
      guiUrl: record.guiUrl,
      expiresAt: record.tokenExpiresAt,
    };
  });
}

/** The hand-over sheet (Markdown, holds the token; audited as 'reveal'). */
export async function handoffSheet(ctx: TenantContext, key: TenantKey): Promise<string> {
  return ctx.audited(
    'reveal',
    key,
    async () => {
      const { record, token } = await ctx.tokenOf(key, 'export');
      return renderHandoffSheet(record, token);
    },
    () => 'hand-over sheet',
  );
}

/**
 * Write the hand-over sheet to `filePath` with mode 0600. Refuses an existing file unless
 * `overwrite`; an overwrite goes through a 0600 temp file renamed over the target.
 */
export async function exportHandoff(
  ctx: TenantContext,
  key: TenantKey,
  filePath: string,
  options: { overwrite?: boolean },
): Promise<{ path: string }> {
  return ctx.audited(
    'export',
    key,
    async () => {
      const { record, token } = await ctx.tokenOf(key, 'export');
      await writePrivateFile(filePath, renderHandoffSheet(record, token), Boolean(options.overwrite), key);
      return { path: filePath };
    },
    (r) => `hand-over sheet written to ${r.path}`,
  );
}

// Mode 0600 from the first byte: the file holds a token.
async function writePrivateFile(filePath: string, text: string, overwrite: boolean, key: TenantKey): Promise<void> {
  const cannotWrite = (err: unknown) =>
    new ConsoleError(
      'validation',
      `Cannot write ${filePath} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      key,
    );
  if (!overwrite) {
    try {
      await writeFile(filePath, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ConsoleError('conflict', `${filePath} exists; choose another file or allow overwriting it.`, key);
      }
      throw cannotWrite(err);
    }
    await chmod(filePath, 0o600);
    return;
  }
  const tmp = join(dirname(filePath), `.${basename(filePath)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, filePath);
  } catch (err) {
    await rm(tmp, { force: true });
    throw cannotWrite(err);
  }
}

/** The operator handed the token over: state 'handed-over'. */
export async function markHandedOver(ctx: TenantContext, key: TenantKey): Promise<TenantRecord> {
  return ctx.audited('hand-over', key, async () => {
    ctx.refuseTokenAction('hand-over', requireRecord(ctx.fresh(), key));
    return ctx.updateRecord(key, (r) => {
      r.state = 'handed-over';
      r.handedOverAt = ctx.now();
    });
  });
}

/**
 * A new token for a tenant not yet installed: TMS first (so the old token dies at once), then the
 * keychain. State goes back to 'registered' (the new token has not been handed over).
 */
export async function rotateToken(
  ctx: TenantContext,
  key: TenantKey,
  options: { tokenLifetimeDays?: number },
): Promise<TenantRecord> {
  const { instanceId, tenant } = key;
  return ctx.audited('rotate', key, async () => {
    ctx.settings.assertWritable();
    const record = requireRecord(ctx.fresh(), key);
    ctx.refuseSingleTenant(
      (await ctx.instances.get(instanceId)).instance,
      'its token is not rotated by the console',
      key,
    );
    ctx.refuseTokenAction('rotate', record);
    ctx.journal.refuseBusy(ctx.fresh(), key);
    const tms = await ctx.tms(instanceId);
    const token = ctx.newToken();
    const now = ctx.clock();
    // Without a new lifetime the token keeps the one it had, counted from now.
    const lifetimeMs = record.tokenExpiresAt
      ? new Date(record.tokenExpiresAt).getTime() - new Date(record.rotatedAt ?? record.createdAt).getTime()
      : null;
    const expiresAt =
      options.tokenLifetimeDays !== undefined
        ? addDays(now, options.tokenLifetimeDays).toISOString()
        : lifetimeMs !== null && lifetimeMs > 0
          ? new Date(now.getTime() + lifetimeMs).toISOString()
          : record.tokenExpiresAt;
    const entry = ctx.journal.start('rotate', key, { tokenSha256: sha256(token) });
    try {
      const previous = await ctx.secrets.get(accountFor.token(instanceId, tenant));
      const restorePrevious = async () => {
        if (previous) await tms.upsertTenant(tmsEntryFor(record, previous));
      };
      try {
        await tms.upsertTenant(tmsEntryFor(record, token, { expire: expiresAt }));
      } catch (err) {
        // Unknown whether the TMS took it: put the previous token back where possible.
        await restorePrevious().catch(() => undefined);
        throw err;
      }
      ctx.journal.setStep(entry.id, 'tms');
      try {
        await ctx.secrets.set(accountFor.token(instanceId, tenant), token);
      } catch (err) {
        await restorePrevious();
        throw err;
      }
      ctx.journal.setStep(entry.id, 'keychain');
      return ctx.updateRecord(
        key,
        (r) => {
          r.rotatedAt = now.toISOString();
          r.tokenExpiresAt = expiresAt;
          r.state = 'registered';
          delete r.handedOverAt;
          // From now on the console issued the token it holds.
          if (r.adopted) r.adopted.token = 'issued';
        },
        entry.id,
      );
    } catch (err) {
      await dropJournalIfConsistent(ctx, tms, entry);
      throw err;
    } finally {
      ctx.journal.active.delete(entry.id);
    }
  });
}

/** After a failed rotate: drop the journal entry when keychain and TMS agree again. */
async function dropJournalIfConsistent(ctx: TenantContext, tms: TmsClient, entry: JournalEntry): Promise<void> {
  try {
    const token = await ctx.secrets.get(accountFor.token(entry.instanceId, entry.tenant));
    const inTms = await tms.getTenant(entry.tenant);
    if (token !== null && inTms && inTms.installToken === token) return ctx.journal.drop(entry.id);
  } catch {
    // could not tell: keep the entry for reconcile
  }
  ctx.journal.end(entry.id);
}

/**
 * Kill the token everywhere (allowed at any time, installed or not): the TMS entry gets a new
 * random token nobody holds (never an empty one, which some Tracardi paths treat as "no check"),
 * the keychain entry is deleted, the record becomes 'revoked'.
 */
export async function revokeToken(ctx: TenantContext, key: TenantKey): Promise<TenantRecord> {
  return ctx.audited('revoke', key, async () => {
    ctx.settings.assertWritable();
    const record = requireRecord(ctx.fresh(), key);
    ctx.refuseSingleTenant(
      (await ctx.instances.get(key.instanceId)).instance,
      'its token is revoked by changing INSTALLATION_TOKEN on the instance, not by the console',
      key,
    );
    ctx.refuseTokenAction('revoke', record);
    ctx.journal.refuseBusy(ctx.fresh(), key);
    const entry = ctx.journal.start('revoke', key);
    try {
      return await finishRevoke(ctx, record, entry.id);
    } catch (err) {
      // The TMS may have half-changed (a DELETE+POST replacement): the intent stays, so a later
      // repair finishes the revocation instead of putting the old token back.
      ctx.journal.end(entry.id);
      throw pendingError(err, 'revocation', key);
    } finally {
      ctx.journal.active.delete(entry.id);
    }
  });
}

/**
 * Remove the tenant from the TMS, the keychain and the records. An installed tenant is refused
 * unless `force`. A TMS without DELETE refuses with tms-unsupported and nothing changes: the
 * operator removes the entry by hand, and the next delete finds it gone and completes.
 */
export async function deleteTenant(
  ctx: TenantContext,
  key: TenantKey,
  force: boolean,
): Promise<{ deleted: string; forgotten?: true }> {
  return ctx.audited<{ deleted: string; forgotten?: true }>(
    'delete',
    key,
    async () => {
      ctx.settings.assertWritable();
      const record = requireRecord(ctx.fresh(), key);
      if ((record.state === 'installed' || record.installedAt) && !force) {
        throw new ConsoleError(
          'invalid-state',
          `Tenant ${key.tenant} on ${key.instanceId} is installed: deleting it removes the console's knowledge of a live tenant (its Elasticsearch data stays).`,
          { ...key, remedy: 'force-delete-tenant' },
        );
      }
      ctx.journal.refuseBusy(ctx.fresh(), key);
      if (await forgetsOnly(ctx, record)) return forget(ctx, record);
      const entry = ctx.journal.start('delete', key, force ? { step: 'journal-forced' } : {});
      try {
        return await finishDelete(ctx, record, entry.id);
      } finally {
        ctx.journal.active.delete(entry.id);
      }
    },
    (r) =>
      r.forgotten
        ? 'record and keychain token removed; the TMS entry and the Elasticsearch data stay (adopted tenant)'
        : 'deleted from the TMS, the keychain and the records; the Elasticsearch data stays',
  );
}

/**
 * An adopted tenant (or any tenant of a single-tenant instance, which has no TMS) existed before the
 * console: deleting it removes only what adopting added, the record and the keychain token. Its TMS
 * entry and its Elasticsearch data stay, and it keeps working.
 */
async function forgetsOnly(ctx: TenantContext, record: TenantRecord): Promise<boolean> {
  if (record.adopted) return true;
  return (await ctx.instances.get(record.instanceId)).instance.tenancy === 'single-tenant';
}

async function forget(ctx: TenantContext, record: TenantRecord): Promise<{ deleted: string; forgotten: true }> {
  const key = { instanceId: record.instanceId, tenant: record.tenant };
  // The record first says "token unknown": a failure between the steps leaves a consistent pair.
  if (record.adopted?.token !== 'unknown')
    ctx.updateRecord(key, (r) => {
      r.adopted = { at: r.adopted?.at ?? ctx.now(), by: r.adopted?.by ?? ctx.audit.userName(), token: 'unknown' };
    });
  await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  ctx.settings.update((draft) => {
    draft.tenants = draft.tenants.filter((t) => {
      const r = t as { instanceId?: unknown; tenant?: unknown };
      return !(r.instanceId === key.instanceId && r.tenant === key.tenant);
    });
  });
  return { deleted: key.tenant, forgotten: true };
}

/** The revoke steps after the journal entry (also how reconcile completes an interrupted revoke). */
export async function finishRevoke(ctx: TenantContext, record: TenantRecord, journalId: string): Promise<TenantRecord> {
  const key = { instanceId: record.instanceId, tenant: record.tenant };
  const tms = await ctx.tms(key.instanceId);
  if (await tms.getTenant(key.tenant)) await tms.upsertTenant(tmsEntryFor(record, ctx.newToken()));
  ctx.journal.setStep(journalId, 'tms');
  await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  ctx.journal.setStep(journalId, 'keychain');
  return ctx.updateRecord(
    key,
    (r) => {
      r.state = 'revoked';
      r.revokedAt = ctx.now();
    },
    journalId,
  );
}

/** The delete steps after the journal entry (also how reconcile completes an interrupted delete). */
export async function finishDelete(
  ctx: TenantContext,
  record: TenantRecord,
  journalId: string,
): Promise<{ deleted: string }> {
  const key = { instanceId: record.instanceId, tenant: record.tenant };
  const tms = await ctx.tms(key.instanceId);
  try {
    await tms.deleteTenant(key.tenant);
  } catch (err) {
    if (err instanceof ConsoleError && err.code === 'tms-unsupported') {
      // Nothing changed: keep record and token; the operator removes the TMS entry by hand and
      // a later delete finds it gone and completes.
      ctx.journal.drop(journalId);
      throw err;
    }
    ctx.journal.end(journalId);
    throw pendingError(err, 'deletion', key);
  }
  ctx.journal.setStep(journalId, 'tms');
  try {
    await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  } catch (err) {
    ctx.journal.end(journalId);
    throw pendingError(err, 'deletion', key);
  }
  ctx.journal.setStep(journalId, 'keychain');
  ctx.settings.update((draft) => {
    removeJournalEntry(draft, journalId);
    draft.tenants = draft.tenants.filter((t) => {
      const r = t as { instanceId?: unknown; tenant?: unknown };
      return !(r.instanceId === key.instanceId && r.tenant === key.tenant);
    });
  });
  return { deleted: key.tenant };
}
