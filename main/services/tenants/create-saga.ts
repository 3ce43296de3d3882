/**
 * Create a tenant, all or nothing, as a saga with a journal entry:
 *
 *   journal → keychain set → TMS POST → record written + journal removed (one update)
 *
 * A failure is undone on the spot (TMS entry and keychain token removed, journal entry dropped);
 * what cannot be undone leaves the journal entry for `reconcile()` + `repair()`. The journal keeps
 * a SHA-256 of the new token and the TMS entry id, to recognise the TMS entry a crashed create made.
 *
 * Every step goes through the context's dependencies (settings store, secret store, TMS client),
 * so tests inject faults there: tests/support/crash-after-step.ts kills the process right after a
 * chosen step by wrapping the settings store.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors';
import { tenantRecordSchema, type TenantRecord } from '../../../shared/tenant';
import { checkSafeText } from '../../../shared/text-safety';
import { accountFor } from '../keychain';
import type { TmsClient } from '../tms-client';
import { resolveJournal } from './journal-resolution';
import { admitCreate, planTenant, recordCollisions } from './preview';
import { journalOf, removeJournalEntry } from './records';
import { addDays, sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import { MIN_OVERRIDE_REASON, type CreateInput, type JournalEntry } from './types';

/**
 * Create a tenant, all or nothing: token in the keychain, entry in the TMS, record in the
 * settings. Refuses collisions and, unless an override reason is given, a full instance.
 */
export async function createTenant(ctx: TenantContext, input: CreateInput): Promise<TenantRecord> {
  // The tenant is known only once derived; the audit entry reads the key when the create ends.
  const key = { instanceId: input.instanceId, tenant: '' };
  return ctx.audited('create', key, async () => {
    ctx.settings.assertWritable();
    const { instance } = await ctx.instances.get(input.instanceId);
    ctx.refuseSingleTenant(
      instance,
      'it serves exactly one tenant, fixed by the instance, so no tenant is created on it',
    );
    const email = input.email.trim();
    // Checked before the e-mail rule so the message says what is wrong with it.
    const unsafe =
      checkSafeText('The contact e-mail', email) ??
      checkSafeText('The capacity override reason', input.capacityOverrideReason ?? '');
    if (unsafe) throw new ConsoleError('validation', `${unsafe}.`);
    if (!z.email().safeParse(email).success)
      throw new ConsoleError('validation', 'A valid contact e-mail is required.');
    if (!Number.isInteger(input.tokenLifetimeDays) || input.tokenLifetimeDays < 1 || input.tokenLifetimeDays > 365) {
      throw new ConsoleError('validation', 'The token lifetime is a whole number of days from 1 to 365.');
    }
    const reason = input.capacityOverrideReason?.trim() ?? '';
    if (input.capacityOverrideReason !== undefined && reason.length < MIN_OVERRIDE_REASON) {
      throw new ConsoleError(
        'validation',
        `A capacity override needs a written reason of at least ${MIN_OVERRIDE_REASON} characters.`,
      );
    }
    const plan = planTenant(instance, input.domain, input.guiDomain, { allowOutsideSuffix: input.outsideSuffix });
    if (!plan.ok)
      throw new ConsoleError('validation', plan.error, {
        instanceId: instance.id,
        ...(plan.remedy ? { remedy: plan.remedy } : {}),
      });
    key.tenant = plan.tenant;
    const tenant = plan.tenant;

    // An interrupted create of the same tenant is finished (undone) first, so a retry succeeds.
    for (const entry of journalOf(ctx.fresh())) {
      if (entry.instanceId === instance.id && entry.tenant === tenant) await resolveJournal(ctx, entry);
    }

    const collisions = recordCollisions(ctx, ctx.fresh(), instance.id, tenant, plan.apiDomain);
    if (collisions.length)
      throw new ConsoleError('tenant-collision', collisions[0]!.detail, { instanceId: instance.id, tenant });
    const tms = await ctx.tms(instance.id);
    const inTms = await tms.getTenant(tenant);
    if (inTms) {
      throw new ConsoleError(
        'tenant-collision',
        `The TMS of instance ${instance.id} already has a tenant named ${tenant}, unknown to this console.`,
        { instanceId: instance.id, tenant, remedy: 'adopt-tenant' },
      );
    }

    const override = await admitCreate(ctx, { instanceId: instance.id, tenant }, reason);

    const created = ctx.clock();
    const record: TenantRecord = tenantRecordSchema.parse({
      instanceId: instance.id,
      tenant,
      apiDomain: plan.apiDomain,
      apiUrl: plan.apiUrl,
      guiDomain: plan.guiDomain,
      guiUrl: plan.guiUrl,
      email,
      createdAt: created.toISOString(),
      tokenExpiresAt: addDays(created, input.tokenLifetimeDays).toISOString(),
      state: 'registered',
      warnings: plan.warnings,
      ...(override ? { capacityOverride: override } : {}),
    });
    return runCreate(ctx, tms, record);
  });
}

async function runCreate(ctx: TenantContext, tms: TmsClient, record: TenantRecord): Promise<TenantRecord> {
  const token = ctx.newToken();
  const key = { instanceId: record.instanceId, tenant: record.tenant };
  const account = accountFor.token(key.instanceId, key.tenant);
  const entry = ctx.journal.newEntry('create', key, { tmsId: randomUUID(), record, tokenSha256: sha256(token) });

  // (1) journal, refused if another record or saga holds the name (checked inside the update).
  ctx.settings.update((draft) => {
    const clash = recordCollisions(ctx, draft, key.instanceId, key.tenant, record.apiDomain);
    if (clash.length) throw new ConsoleError('tenant-collision', clash[0]!.detail, key);
    draft.journal.push(entry);
  });
  ctx.journal.active.add(entry.id);
  let done: 'none' | 'keychain' | 'tms' = 'none';
  try {
    // (2) keychain
    await ctx.secrets.set(account, token);
    done = 'keychain';
    ctx.journal.setStep(entry.id, 'keychain');
    // (3) TMS
    await tms.postTenant(tmsEntryFor(record, token, { id: entry.tmsId! }));
    done = 'tms';
    ctx.journal.setStep(entry.id, 'tms');
    // (4) record + journal removal, one write
    ctx.settings.update((draft) => {
      removeJournalEntry(draft, entry.id);
      draft.tenants.push(record);
    });
    return record;
  } catch (err) {
    const e = toConsoleError(err);
    // No answer to the POST: the TMS may still store the tenant later, so the journal stays.
    const uncertain = done === 'keychain' && e.code === 'tms-unreachable';
    const undo = await undoCreate(
      ctx,
      tms,
      entry,
      token,
      done === 'none' ? 'none' : done === 'keychain' ? 'tms-attempted' : 'tms-done',
      uncertain,
    );
    const message = `${oneLine(e.message)}${undo ? ` ${undo}` : ' Nothing was created.'}`;
    // Left half done: the repair is what to do now, whatever the first error suggested.
    const remedy = undo ? 'reconcile-repair' : e.remedy;
    throw new ConsoleError(e.code, message, { ...key, ...(remedy ? { remedy } : {}), cause: err });
  } finally {
    ctx.journal.active.delete(entry.id);
  }
}

/**
 * Compensate a failed create. Returns a note when something could not be undone (the journal
 * entry then stays for reconcile), or '' when everything was undone and the entry removed.
 */
async function undoCreate(
  ctx: TenantContext,
  tms: TmsClient,
  entry: JournalEntry,
  token: string,
  stage: 'none' | 'tms-attempted' | 'tms-done',
  uncertain: boolean,
): Promise<string> {
  const problems: string[] = [];
  if (stage !== 'none') {
    try {
      // A failed or timed-out POST may still have stored the tenant: ask before deciding.
      const found = await tms.getTenant(entry.tenant);
      if (found && (found.installToken === token || (found.id !== null && found.id === entry.tmsId))) {
        await tms.deleteTenant(entry.tenant);
      }
    } catch (err) {
      problems.push(`the TMS entry could not be checked or removed (${toConsoleError(err).code})`);
    }
  }
  // Even a failed keychain set may have stored the token: always delete.
  try {
    await ctx.secrets.delete(accountFor.token(entry.instanceId, entry.tenant));
  } catch (err) {
    problems.push(`the keychain token could not be removed (${toConsoleError(err).code})`);
  }
  if (problems.length) {
    ctx.journal.end(entry.id, 'undo-incomplete');
    return `Partly undone: ${problems.join('; ')}; a repair finishes it.`;
  }
  if (uncertain) {
    ctx.journal.end(entry.id, 'tms-uncertain');
    return 'The keychain token was removed; the TMS gave no answer and may still store the tenant, so the operation stays pending: a repair (or a retry) settles it.';
  }
  try {
    ctx.journal.drop(entry.id);
  } catch {
    return 'Everything was undone, but the journal entry could not be removed; a repair clears it.';
  }
  return '';
}
