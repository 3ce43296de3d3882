/**
 * What the operator does with a tenant's installation token once it exists: reveal it, copy it,
 * export the hand-over sheet, mark it handed over, rotate it, revoke it, delete the tenant. Every
 * action is audited in the instance's team trail; the token itself never reaches the registry, the
 * audit trail or an error. Only the console whose keychain holds the token (the record's holder)
 * reveals, copies or hands it over; another operator rotates to hold a new one.
 *
 * Each multi-step change first writes its pending change onto the tenant's document (conditional
 * on the version read), so a crash is found by any console's reconcile:
 *
 *   rotate:  pending → TMS POST (new token) → keychain set → record updated, holder this console
 *   revoke:  pending → TMS token replaced by an unknown one → keychain delete → record 'revoked'
 *   delete:  pending → TMS DELETE → keychain delete → tombstone (who deleted it, when)
 */
import { randomUUID } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConsoleError } from '../../../shared/errors/errors';
import type { RegistryTenantDoc } from '../../../shared/team/registry';
import type { PendingOp } from '../../../shared/team/team';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { accountFor } from '../keychain';
import type { InstanceRegistry, Stored } from '../registry';
import type { TmsClient } from '../tms-client';
import { renderHandoffSheet } from './handoff-sheet';
import { addDays, pendingError, sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import type { RevealedToken, TenantKey } from './types';

/** What an action on a tenant may carry from the screen: the version of the record the operator saw. */
export interface ActionOptions {
  expectedVersion?: string;
}

/** The installation token and where to use it (audited as 'reveal'). */
export async function revealToken(ctx: TenantContext, key: TenantKey): Promise<RevealedToken> {
  return ctx.audited('reveal', key, async () => {
    await onTheRecord(ctx, key);
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
      await onTheRecord(ctx, key);
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
      await onTheRecord(ctx, key);
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

/**
 * Every look at a token is on the team's record: refused while the instance's registry cannot take
 * the audit entry (unreachable, or this user may not write it).
 */
export async function onTheRecord(ctx: TenantContext, key: TenantKey): Promise<void> {
  await (await ctx.registry(key.instanceId)).requireWritable();
}

/** The operator handed the token over: state 'handed-over'. */
export async function markHandedOver(
  ctx: TenantContext,
  key: TenantKey,
  options: ActionOptions = {},
): Promise<TenantRecord> {
  return ctx.audited('hand-over', key, async () => {
    const { registry, stored } = await ctx.current(key);
    await registry.requireWritable();
    ctx.checkExpected(key, stored, options.expectedVersion);
    ctx.refuseTokenAction('hand-over', ctx.record(key.instanceId, stored));
    ctx.refuseBusy(key, stored.doc);
    const written = await ctx.change(
      registry,
      stored,
      'marked the token handed over',
      (d) => {
        d.record.state = 'handed-over';
        d.record.handedOverAt = ctx.now();
      },
      { refresh: true },
    );
    return ctx.record(key.instanceId, written);
  });
}

/** Set the pending change on the document (conditional): the journal of a multi-step change. */
async function startPending(
  ctx: TenantContext,
  registry: InstanceRegistry,
  stored: Stored<RegistryTenantDoc>,
  pending: PendingOp,
  what: string,
): Promise<Stored<RegistryTenantDoc>> {
  const written = await ctx.change(registry, stored, what, (d) => {
    d.pending = pending;
  });
  ctx.running(pending);
  return written;
}

/** Record the last completed step of the pending change. */
async function stepPending(
  ctx: TenantContext,
  registry: InstanceRegistry,
  stored: Stored<RegistryTenantDoc>,
  step: string,
): Promise<Stored<RegistryTenantDoc>> {
  return ctx.change(
    registry,
    stored,
    stored.doc.change,
    (d) => {
      if (d.pending) d.pending = { ...d.pending, step };
    },
    { step: true },
  );
}

/** Leave the pending change for reconcile, marked as no longer running (so nobody waits for it). */
async function endPending(
  ctx: TenantContext,
  registry: InstanceRegistry,
  stored: Stored<RegistryTenantDoc>,
): Promise<void> {
  try {
    await ctx.change(
      registry,
      stored,
      stored.doc.change,
      (d) => {
        if (d.pending) d.pending = { ...d.pending, endedAt: ctx.now() };
      },
      { step: true },
    );
  } catch {
    // the document stays as it is; past its age, or with its process gone, it counts as ended anyway
  }
}

/**
 * A new token for a tenant not yet installed: TMS first (so the old token dies at once), then the
 * keychain. State goes back to 'registered' (the new token has not been handed over), and this
 * console holds the token from now on, whoever held the old one.
 */
export async function rotateToken(
  ctx: TenantContext,
  key: TenantKey,
  options: { tokenLifetimeDays?: number } & ActionOptions,
): Promise<TenantRecord> {
  const { instanceId, tenant } = key;
  return ctx.audited('rotate', key, async () => {
    const { registry, stored: read } = await ctx.current(key);
    await registry.requireWritable();
    ctx.checkExpected(key, read, options.expectedVersion);
    const record = ctx.record(instanceId, read);
    ctx.refuseSingleTenant(
      (await ctx.instances.get(instanceId)).instance,
      'its token is not rotated by the console',
      key,
    );
    ctx.refuseTokenAction('rotate', record);
    ctx.refuseBusy(key, read.doc);
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
    const pending = ctx.pendingOp('rotate', { tokenSha256: sha256(token) });
    let stored = await startPending(ctx, registry, read, pending, 'is rotating the token');
    try {
      // Only the holder's keychain has the previous token to put back when the TMS fails.
      const previous = ctx.holdsToken(read.doc) ? await ctx.secrets.get(accountFor.token(instanceId, tenant)) : null;
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
      stored = await stepPending(ctx, registry, stored, 'tms');
      try {
        await ctx.secrets.set(accountFor.token(instanceId, tenant), token);
      } catch (err) {
        await restorePrevious();
        throw err;
      }
      stored = await stepPending(ctx, registry, stored, 'keychain');
      const written = await ctx.change(
        registry,
        stored,
        'rotated the token',
        (d) => {
          d.record.rotatedAt = now.toISOString();
          d.record.tokenExpiresAt = expiresAt;
          d.record.state = 'registered';
          delete d.record.handedOverAt;
          // From now on the console issued the token it holds.
          if (d.record.adopted) d.record.adopted.token = 'issued';
          d.holder = ctx.holder();
          d.pending = null;
        },
        { refresh: true },
      );
      return ctx.record(instanceId, written);
    } catch (err) {
      await dropPendingIfConsistent(ctx, registry, tms, stored);
      throw err;
    } finally {
      ctx.settled(pending);
    }
  });
}

/** After a failed rotate: clear the pending change when keychain and TMS agree again, else leave it ended. */
async function dropPendingIfConsistent(
  ctx: TenantContext,
  registry: InstanceRegistry,
  tms: TmsClient,
  stored: Stored<RegistryTenantDoc>,
): Promise<void> {
  try {
    const token = await ctx.secrets.get(accountFor.token(registry.instanceId, stored.doc.tenant));
    const inTms = await tms.getTenant(stored.doc.tenant);
    if (token !== null && inTms && inTms.installToken === token && ctx.holdsToken(stored.doc)) {
      await ctx.change(registry, stored, 'gave up rotating the token (nothing changed)', (d) => {
        d.pending = null;
      });
      return;
    }
  } catch {
    // could not tell: keep the pending change for reconcile
  }
  await endPending(ctx, registry, stored);
}

/**
 * Kill the token everywhere (allowed at any time, installed or not): the TMS entry gets a new
 * random token nobody holds (never an empty one, which some Tracardi paths treat as "no check"),
 * this console's keychain entry is deleted, the record becomes 'revoked' and nobody holds a token.
 */
export async function revokeToken(
  ctx: TenantContext,
  key: TenantKey,
  options: ActionOptions = {},
): Promise<TenantRecord> {
  return ctx.audited('revoke', key, async () => {
    const { registry, stored: read } = await ctx.current(key);
    await registry.requireWritable();
    ctx.checkExpected(key, read, options.expectedVersion);
    ctx.refuseSingleTenant(
      (await ctx.instances.get(key.instanceId)).instance,
      'its token is revoked by changing INSTALLATION_TOKEN on the instance, not by the console',
      key,
    );
    ctx.refuseTokenAction('revoke', ctx.record(key.instanceId, read));
    ctx.refuseBusy(key, read.doc);
    const pending = ctx.pendingOp('revoke');
    const stored = await startPending(ctx, registry, read, pending, 'is revoking the token');
    try {
      return await finishRevoke(ctx, registry, stored);
    } catch (err) {
      // The TMS may have half-changed (a DELETE+POST replacement): the intent stays, so a later
      // repair finishes the revocation instead of putting the old token back.
      await endPending(ctx, registry, stored);
      throw pendingError(err, 'revocation', key);
    } finally {
      ctx.settled(pending);
    }
  });
}

/**
 * Remove the tenant from the TMS and this console's keychain and leave a tombstone in the registry
 * (who deleted it, when); an installed one only with `force`. An adopted tenant (or one of a
 * single-tenant instance) is only forgotten: its TMS entry stays (`forgotten`). Elasticsearch data
 * is never deleted.
 */
export async function deleteTenant(
  ctx: TenantContext,
  key: TenantKey,
  force: boolean,
  options: ActionOptions = {},
): Promise<{ deleted: string; forgotten?: true }> {
  return ctx.audited<{ deleted: string; forgotten?: true }>(
    'delete',
    key,
    async () => {
      const { registry, stored: read } = await ctx.current(key);
      await registry.requireWritable();
      ctx.checkExpected(key, read, options.expectedVersion);
      const record = read.doc.record;
      if ((record.state === 'installed' || record.installedAt) && !force) {
        throw new ConsoleError(
          'invalid-state',
          `Tenant ${key.tenant} on ${key.instanceId} is installed: deleting it removes the console's knowledge of a live tenant (its Elasticsearch data stays).`,
          { ...key, remedy: 'force-delete-tenant' },
        );
      }
      ctx.refuseBusy(key, read.doc);
      if (await forgetsOnly(ctx, key.instanceId, read.doc)) return forget(ctx, registry, read);
      const pending = ctx.pendingOp('delete', force ? { step: 'journal-forced' } : {});
      const stored = await startPending(ctx, registry, read, pending, 'is deleting it');
      try {
        return await finishDelete(ctx, registry, stored);
      } finally {
        ctx.settled(pending);
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
async function forgetsOnly(ctx: TenantContext, instanceId: string, doc: RegistryTenantDoc): Promise<boolean> {
  if (doc.record.adopted) return true;
  return (await ctx.instances.get(instanceId)).instance.tenancy === 'single-tenant';
}

/** The tombstone a deletion leaves: who deleted the tenant and when (discovery says why its data is there). */
function tombstone(ctx: TenantContext, d: RegistryTenantDoc): void {
  d.phase = 'deleted';
  d.pending = null;
  d.holder = null;
  d.deleted = { at: ctx.now(), by: ctx.stamp() };
}

async function forget(
  ctx: TenantContext,
  registry: InstanceRegistry,
  stored: Stored<RegistryTenantDoc>,
): Promise<{ deleted: string; forgotten: true }> {
  const key = { instanceId: registry.instanceId, tenant: stored.doc.tenant };
  if (ctx.holdsToken(stored.doc)) await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  await ctx.change(registry, stored, 'deleted it (adopted: its TMS entry and data stay)', (d) => tombstone(ctx, d), {
    refresh: true,
  });
  return { deleted: key.tenant, forgotten: true };
}

/** The revoke steps after the pending change (also how reconcile completes an interrupted revoke). */
export async function finishRevoke(
  ctx: TenantContext,
  registry: InstanceRegistry,
  from: Stored<RegistryTenantDoc>,
): Promise<TenantRecord> {
  let stored = from;
  const key = { instanceId: registry.instanceId, tenant: stored.doc.tenant };
  const record = ctx.record(key.instanceId, stored);
  const tms = await ctx.tms(key.instanceId);
  if (await tms.getTenant(key.tenant)) await tms.upsertTenant(tmsEntryFor(record, ctx.newToken()));
  stored = await stepPending(ctx, registry, stored, 'tms');
  // Another operator's keychain copy is theirs to drop: their reconcile finds it (revoked).
  if (ctx.holdsToken(stored.doc)) await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  stored = await stepPending(ctx, registry, stored, 'keychain');
  const written = await ctx.change(
    registry,
    stored,
    'revoked the token',
    (d) => {
      d.record.state = 'revoked';
      d.record.revokedAt = ctx.now();
      d.holder = null;
      d.pending = null;
    },
    { refresh: true },
  );
  return ctx.record(key.instanceId, written);
}

/** The delete steps after the pending change (also how reconcile completes an interrupted delete). */
export async function finishDelete(
  ctx: TenantContext,
  registry: InstanceRegistry,
  from: Stored<RegistryTenantDoc>,
): Promise<{ deleted: string }> {
  let stored = from;
  const key = { instanceId: registry.instanceId, tenant: stored.doc.tenant };
  const tms = await ctx.tms(key.instanceId);
  try {
    await tms.deleteTenant(key.tenant);
  } catch (err) {
    if (err instanceof ConsoleError && err.code === 'tms-unsupported') {
      // Nothing changed: keep record and token; the operator removes the TMS entry by hand and
      // a later delete finds it gone and completes.
      await ctx
        .change(registry, stored, 'gave up deleting it (the TMS cannot delete)', (d) => {
          d.pending = null;
        })
        .catch(() => undefined);
      throw err;
    }
    await endPending(ctx, registry, stored);
    throw pendingError(err, 'deletion', key);
  }
  stored = await stepPending(ctx, registry, stored, 'tms');
  try {
    if (ctx.holdsToken(stored.doc)) await ctx.secrets.delete(accountFor.token(key.instanceId, key.tenant));
  } catch (err) {
    await endPending(ctx, registry, stored);
    throw pendingError(err, 'deletion', key);
  }
  stored = await stepPending(ctx, registry, stored, 'keychain');
  await ctx.change(registry, stored, 'deleted it', (d) => tombstone(ctx, d), { refresh: true });
  return { deleted: key.tenant };
}
