/**
 * Create a tenant, all or nothing, as a saga whose journal is the tenant's own document in the
 * instance's team registry:
 *
 *   claim (create-only document, phase creating) → keychain set → TMS POST → document active
 *
 * The claim comes first and is atomic: of two consoles creating the same tenant at once exactly one
 * gets it, and the other stops before touching its keychain or the TMS ("companyx was created by
 * Ann at …"). A failure is undone on the spot (TMS entry and keychain token removed, claim
 * withdrawn); what cannot be undone leaves the claim with its pending change for `reconcile()` +
 * `repair()`, which any console of the team can run. The pending change keeps a SHA-256 of the new
 * token and the TMS entry id, to recognise the TMS entry a crashed create made; never the token.
 *
 * Every step goes through the context's dependencies (registry, secret store, TMS client), so tests
 * inject faults there: tests/support/crash-after-step.ts kills the process right after a chosen
 * step by wrapping the registry's backend.
 */
import { randomUUID } from 'node:crypto';
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors/errors';
import { registryPartOf, type RegistryTenantDoc } from '../../../shared/team/registry';
import { tenantRecordSchema, type TenantRecord } from '../../../shared/tenants/tenant';
import { contactEmailProblem, overrideReasonProblem } from '../../../shared/text/input-rules';
import { refuseVersionMismatch } from '../identity';
import { accountFor } from '../keychain';
import type { InstanceRegistry, Stored } from '../registry';
import type { TmsClient } from '../tms-client';
import { resolvePending } from './journal-resolution';
import { admitCreate, planTenant, registryCollisions } from './preview';
import { addDays, sha256, tmsEntryFor, type TenantContext } from './tenant-context';
import { MIN_OVERRIDE_REASON, type CreateInput } from './types';

/**
 * Create a tenant, all or nothing: name claimed in the registry, token in the keychain, entry in the
 * TMS, record active. Refuses collisions and, unless an override reason is given, a full instance.
 */
export async function createTenant(ctx: TenantContext, input: CreateInput): Promise<TenantRecord> {
  // The tenant is known only once derived; the audit entry reads the key when the create ends.
  const key = { instanceId: input.instanceId, tenant: '' };
  return ctx.audited('create', key, async () => {
    const { instance } = await ctx.instances.get(input.instanceId);
    ctx.refuseSingleTenant(
      instance,
      'it serves exactly one tenant, fixed by the instance, so no tenant is created on it',
    );
    const email = input.email.trim();
    // The rules every shell shares (shared/text/input-rules.ts); control characters are named first.
    const refused =
      contactEmailProblem(email, true) ?? overrideReasonProblem(input.capacityOverrideReason?.trim() ?? '');
    if (refused) throw new ConsoleError('validation', refused);
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
    const registry = await ctx.registry(instance.id);
    await registry.requireWritable();

    // A create of the same tenant that a crash left is settled (undone) first, so a retry succeeds.
    const left = await registry.read(tenant);
    if (left?.doc.phase === 'creating' && left.doc.pending && !ctx.isLive(left.doc.pending))
      await resolvePending(ctx, instance.id, left);

    const collisions = await registryCollisions(ctx, instance.id, tenant, plan.apiDomain);
    if (collisions.length)
      throw new ConsoleError('tenant-collision', collisions[0]!.detail, { instanceId: instance.id, tenant });
    const tms = await ctx.tms(instance.id);
    if (await tms.getTenant(tenant)) {
      // Another console may have claimed and posted it a moment ago: then say who.
      const now = await registryCollisions(ctx, instance.id, tenant, plan.apiDomain);
      throw new ConsoleError(
        'tenant-collision',
        now[0]?.detail ??
          `The TMS of instance ${instance.id} already has a tenant named ${tenant}, unknown to the team's registry.`,
        { instanceId: instance.id, tenant, ...(now.length ? {} : { remedy: 'adopt-tenant' as const }) },
      );
    }

    await refuseVersionMismatch(ctx.versions, instance, plan.apiDomain);
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
    return runCreate(ctx, registry, tms, record);
  });
}

async function runCreate(
  ctx: TenantContext,
  registry: InstanceRegistry,
  tms: TmsClient,
  record: TenantRecord,
): Promise<TenantRecord> {
  const token = ctx.newToken();
  const key = { instanceId: record.instanceId, tenant: record.tenant };
  const account = accountFor.token(key.instanceId, key.tenant);
  const tmsId = randomUUID();
  const pending = ctx.pendingOp('create', { tmsId, tokenSha256: sha256(token) });
  const stamp = ctx.stamp();
  const claim: RegistryTenantDoc = {
    scope: registry.scope,
    tenant: record.tenant,
    phase: 'creating',
    record: registryPartOf(record),
    createdBy: stamp,
    updatedBy: stamp,
    updatedAt: ctx.now(),
    change: 'started creating it',
    rev: 1,
    verifiedBy: null,
    holder: null,
    pending,
    deleted: null,
  };

  // (1) the claim: refused (nothing else done) when another console has the name.
  let stored: Stored<RegistryTenantDoc> = await registry.claim(claim);
  ctx.running(pending);
  let done: 'none' | 'keychain' | 'tms' = 'none';
  const step = async (name: string) => {
    stored = await ctx.change(
      registry,
      stored,
      stored.doc.change,
      (d) => {
        d.pending = { ...d.pending!, step: name };
      },
      { step: true },
    );
  };
  try {
    // (2) keychain
    await ctx.secrets.set(account, token);
    done = 'keychain';
    await step('keychain');
    // (3) TMS
    await tms.postTenant(tmsEntryFor(record, token, { id: tmsId }));
    done = 'tms';
    await step('tms');
    // (4) the record: active, held by this console, nothing pending; visible to every console's next list.
    stored = await ctx.change(
      registry,
      stored,
      'created it',
      (d) => {
        d.phase = 'active';
        d.pending = null;
        d.holder = ctx.holder();
      },
      { refresh: true },
    );
    return ctx.record(key.instanceId, stored);
  } catch (err) {
    const e = toConsoleError(err);
    // No answer to the POST: the TMS may still store the tenant later, so the claim stays.
    const uncertain = done === 'keychain' && e.code === 'tms-unreachable';
    const undo = await undoCreate(ctx, registry, tms, stored, token, done, uncertain);
    const message = `${oneLine(e.message)}${undo ? ` ${undo}` : ' Nothing was created.'}`;
    // Left half done: the repair is what to do now, whatever the first error suggested.
    const remedy = undo ? 'reconcile-repair' : e.remedy;
    throw new ConsoleError(e.code, message, { ...key, ...(remedy ? { remedy } : {}), cause: err });
  } finally {
    ctx.settled(pending);
  }
}

/**
 * Compensate a failed create. Returns a note when something could not be undone (the claim then
 * stays, its pending change ended, for reconcile), or '' when everything was undone and the claim
 * withdrawn.
 */
async function undoCreate(
  ctx: TenantContext,
  registry: InstanceRegistry,
  tms: TmsClient,
  stored: Stored<RegistryTenantDoc>,
  token: string,
  done: 'none' | 'keychain' | 'tms',
  uncertain: boolean,
): Promise<string> {
  const tenant = stored.doc.tenant;
  const problems: string[] = [];
  if (done !== 'none') {
    try {
      // A failed or timed-out POST may still have stored the tenant: ask before deciding.
      const found = await tms.getTenant(tenant);
      const tmsId = stored.doc.pending?.tmsId;
      if (found && (found.installToken === token || (found.id !== null && found.id === tmsId))) {
        await tms.deleteTenant(tenant);
      }
    } catch (err) {
      problems.push(`the TMS entry could not be checked or removed (${toConsoleError(err).code})`);
    }
  }
  // Even a failed keychain set may have stored the token: always delete.
  try {
    await ctx.secrets.delete(accountFor.token(registry.instanceId, tenant));
  } catch (err) {
    problems.push(`the keychain token could not be removed (${toConsoleError(err).code})`);
  }
  const leave = async (step: string, note: string) => {
    try {
      await ctx.change(registry, stored, 'left its create for a repair', (d) => {
        d.pending = { ...d.pending!, step, endedAt: ctx.now() };
      });
    } catch {
      // The registry itself failed: the claim stays as it is; past its age it counts as ended anyway.
    }
    return note;
  };
  if (problems.length) return leave('undo-incomplete', `Partly undone: ${problems.join('; ')}; a repair finishes it.`);
  if (uncertain)
    return leave(
      'tms-uncertain',
      'The keychain token was removed; the TMS gave no answer and may still store the tenant, so the operation stays pending: a repair (or a retry) settles it.',
    );
  try {
    await registry.unclaim(stored);
  } catch {
    return 'Everything was undone, but the claim on the name could not be withdrawn from the team registry; a repair clears it.';
  }
  return '';
}
