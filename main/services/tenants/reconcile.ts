/**
 * Reconcile: where the places that hold a tenant (its document in the instance's team registry,
 * this console's keychain token, the TMS entry) and the pending changes disagree, each disagreement
 * a finding with a proposed repair; and the repairs. Any console of the team sees the pending
 * changes of every other (they are on the documents); only its own keychain is its to compare.
 */
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors/errors';
import { describeOperator } from '../../../shared/team/operator';
import type { RegistryTenantDoc } from '../../../shared/team/registry';
import { accountFor, parseAccount } from '../keychain';
import type { Stored } from '../registry';
import type { TmsClient, TmsTenant } from '../tms-client';
import { runPool } from '../verify';
import { journalRepairText, resolvePending } from './journal-resolution';
import { tmsEntryFor, type TenantContext } from './tenant-context';
import type { ReconcileFinding, ReconcileReport, RepairOutcome, RepairReport } from './types';

/** Where registry, keychain, TMS and pending changes disagree, each finding with a proposed repair. */
export async function findDisagreements(ctx: TenantContext): Promise<ReconcileReport> {
  const settings = ctx.settings.read();
  const accounts = (await ctx.secrets.list('token/'))
    .map(parseAccount)
    .filter((a): a is { type: 'token'; instanceId: string; tenant: string } => a?.type === 'token');
  const findings: ReconcileFinding[] = [];
  const notes: string[] = [];
  const known = new Set(settings.instances.map((i) => i.id));
  const instanceIds = [...new Set([...known, ...accounts.map((a) => a.instanceId)])].sort();

  for (const instanceId of instanceIds) {
    const accs = new Set(accounts.filter((a) => a.instanceId === instanceId).map((a) => a.tenant));
    if (!known.has(instanceId)) {
      notes.push(`${instanceId}: no such instance in the settings; its TMS and registry were not checked.`);
      for (const name of [...accs].sort())
        findings.push({
          instanceId,
          tenant: name,
          id: `orphan-token:${instanceId}:${name}`,
          kind: 'orphan-token',
          detail: `The keychain holds a token for ${name} on ${instanceId}, an instance this console no longer has.`,
          repair: 'delete the keychain token',
          repairable: true,
        });
      continue;
    }
    const registry = await ctx.registry(instanceId);
    const synced = await registry.sync();
    if (!synced.ok) {
      notes.push(
        `${instanceId}: the team registry did not answer (${synced.error ?? 'unreachable'}); nothing on this instance was compared.`,
      );
      continue;
    }
    const docs = new Map<string, Stored<RegistryTenantDoc>>();
    for (const d of registry.cached()) docs.set(d.doc.tenant, d);

    for (const d of docs.values()) {
      const p = d.doc.pending;
      if (!p) continue;
      const live = ctx.isLive(p);
      findings.push({
        id: `pending-journal:${instanceId}:${d.doc.tenant}:${p.startedAt}`,
        kind: 'pending-journal',
        instanceId,
        tenant: d.doc.tenant,
        detail: `An interrupted ${p.op} of ${d.doc.tenant} by ${describeOperator(p.by)} (started ${p.startedAt}, last step: ${p.step})${live ? `, still running in process ${p.pid} on ${p.host}` : ''}.`,
        repair: live
          ? `wait for it to finish, then reconcile again`
          : journalRepairText(p, p.keychain === ctx.keychainId),
        repairable: !live,
      });
    }

    // TMS view: one listing when the TMS has one, else one GET per name this console compares.
    let tms: TmsClient | null = null;
    let listing: Map<string, TmsTenant> | null = null;
    const tmsState = new Map<string, TmsTenant | null | 'unknown'>();
    const singleTenant = settings.instances.find((i) => i.id === instanceId)?.tenancy === 'single-tenant';
    if (singleTenant) {
      notes.push(`${instanceId}: single-tenant, it has no TMS; only the registry and the keychain were compared.`);
    } else {
      try {
        tms = await ctx.tms(instanceId);
        const listed = await tms.listTenants();
        if (listed) listing = new Map(listed.map((t) => [t.name, t]));
        else
          notes.push(
            `${instanceId}: this TMS has no tenant listing (GET /tenants), so entries only the TMS knows cannot be found.`,
          );
      } catch (err) {
        // Down, refusing the key, or failing: compare nothing rather than guess from errors.
        tms = null;
        notes.push(`${instanceId}: TMS not checked: ${oneLine(toConsoleError(err).message)}`);
      }
    }
    const active = (name: string) => {
      const d = docs.get(name);
      return d && d.doc.phase === 'active' && !d.doc.pending ? d : undefined;
    };
    // What this console compares with the TMS: tenants whose token it holds, and its own tokens.
    const names = [
      ...new Set([...accs, ...[...docs.keys()].filter((n) => active(n) && ctx.holdsToken(active(n)!.doc))]),
    ].sort();
    if (tms) {
      const client = tms;
      await runPool(names, 8, async (name) => {
        if (listing) tmsState.set(name, listing.get(name) ?? null);
        else {
          try {
            tmsState.set(name, await client.getTenant(name));
          } catch {
            tmsState.set(name, 'unknown');
          }
        }
      });
      if ([...tmsState.values()].includes('unknown'))
        notes.push(`${instanceId}: some TMS entries could not be read; their TMS side was not compared.`);
    }

    for (const name of names) {
      const d = docs.get(name);
      if (d?.doc.pending) continue; // the pending finding covers this tenant
      const hasToken = accs.has(name);
      const inTms = tms && tmsState.has(name) ? tmsState.get(name)! : 'unknown';
      const base = { instanceId, tenant: name };
      if (!d || d.doc.phase !== 'active') {
        if (!hasToken) continue;
        let tmsNote = '';
        if (inTms !== 'unknown' && inTms !== null) {
          const token = await ctx.secrets.get(accountFor.token(instanceId, name));
          tmsNote = token !== null && inTms.installToken === token ? ' and the TMS entry holding that same token' : '';
        }
        findings.push({
          ...base,
          id: `orphan-token:${instanceId}:${name}`,
          kind: 'orphan-token',
          detail:
            d?.doc.phase === 'deleted'
              ? `The keychain holds a token for ${name} on ${instanceId}, which ${describeOperator(d.doc.deleted?.by ?? d.doc.updatedBy)} deleted.`
              : `The keychain holds a token for ${name} on ${instanceId} but the team's registry has no record of it.`,
          repair: `delete the keychain token${tmsNote}`,
          repairable: true,
        });
        continue;
      }
      const record = d.doc.record;
      if (record.state === 'revoked') {
        if (hasToken)
          findings.push({
            ...base,
            id: `orphan-token:${instanceId}:${name}`,
            kind: 'orphan-token',
            detail: `${name} on ${instanceId} is revoked but the keychain still holds a token for it.`,
            repair: 'delete the keychain token and replace the TMS token with an unknown one',
            repairable: true,
          });
        continue;
      }
      if (!ctx.holdsToken(d.doc)) {
        if (hasToken)
          findings.push({
            ...base,
            id: `superseded-token:${instanceId}:${name}`,
            kind: 'superseded-token',
            detail: `The keychain holds an old token for ${name} on ${instanceId}: ${describeOperator(d.doc.holder!)} holds its current one (since ${d.doc.holder!.since}).`,
            repair: 'delete the old token from this keychain (the TMS and the other operator are not touched)',
            repairable: true,
          });
        continue;
      }
      // Adopted without its token: the console never held one, nothing disagrees.
      if (!hasToken && record.adopted?.token === 'unknown') continue;
      if (!hasToken) {
        findings.push({
          ...base,
          id: `record-without-token:${instanceId}:${name}`,
          kind: 'record-without-token',
          detail: `${name} on ${instanceId} is held by this console but its keychain has no token${inTms === null ? ' and the TMS has no entry' : ''}.`,
          repair: 'issue a fresh token to the TMS and the keychain (it must be handed over again)',
          repairable: inTms !== 'unknown',
        });
        continue;
      }
      if (inTms === 'unknown') continue;
      if (inTms === null) {
        findings.push({
          ...base,
          id: `missing-in-tms:${instanceId}:${name}`,
          kind: 'missing-in-tms',
          detail: `${name} on ${instanceId} has a record and a token but the TMS does not know it (an install would be refused).`,
          repair: 'add the tenant to the TMS with the keychain token',
          repairable: true,
        });
        continue;
      }
      const token = await ctx.secrets.get(accountFor.token(instanceId, name));
      if (token !== null && inTms.installToken !== token) {
        findings.push({
          ...base,
          id: `token-mismatch:${instanceId}:${name}`,
          kind: 'token-mismatch',
          detail: `The TMS holds a different installation token for ${name} on ${instanceId} than the keychain (the handed-over token would be refused).`,
          repair: 'store the keychain token in the TMS (the console is the source of truth)',
          repairable: true,
        });
      }
    }

    if (listing) {
      for (const name of [...listing.keys()].sort()) {
        const d = docs.get(name);
        if ((d && d.doc.phase !== 'deleted') || accs.has(name)) continue;
        findings.push({
          instanceId,
          tenant: name,
          id: `tms-only:${instanceId}:${name}`,
          kind: 'tms-only',
          detail: `The TMS of ${instanceId} has a tenant ${name} that the team's registry does not know${d ? ' (it was deleted there)' : ''}.`,
          repair:
            'not repaired automatically (another tool may own it): adopt it, remove it on the TMS by hand, or leave it',
          repairable: false,
        });
      }
    }
  }
  return { checkedAt: ctx.now(), findings, notes };
}

/** Apply the repairs of the given findings (or every repairable one), each audited as 'repair'. */
export async function repairFindings(ctx: TenantContext, findingIds: string[] | 'all'): Promise<RepairReport> {
  const report = await findDisagreements(ctx);
  const wanted =
    findingIds === 'all'
      ? report.findings.filter((f) => f.repairable)
      : report.findings.filter((f) => findingIds.includes(f.id));
  const applied: RepairOutcome[] = [];
  if (findingIds !== 'all') {
    for (const id of findingIds) {
      if (!report.findings.some((f) => f.id === id))
        applied.push({ id, ok: true, detail: 'no longer found: nothing to repair' });
    }
  }
  // Pending changes first: they explain (and settle) the other findings of the same tenant.
  wanted.sort((a, b) => Number(b.kind === 'pending-journal') - Number(a.kind === 'pending-journal'));
  const settled = new Set<string>();
  for (const f of wanted) {
    const key = `${f.instanceId}/${f.tenant}`;
    if (f.kind !== 'pending-journal' && settled.has(key)) {
      applied.push({ id: f.id, ok: true, detail: 'settled by the repair of the pending change of the same tenant' });
      continue;
    }
    let outcome: RepairOutcome;
    try {
      if (!f.repairable) throw new ConsoleError('invalid-state', `Not repaired automatically: ${f.repair}`);
      const detail = await applyRepair(ctx, f);
      outcome = { id: f.id, ok: true, detail };
      if (f.kind === 'pending-journal') settled.add(key);
    } catch (err) {
      outcome = { id: f.id, ok: false, detail: oneLine(toConsoleError(err).message) };
    }
    applied.push(outcome);
    await ctx.audit
      .record({
        action: 'repair',
        instanceId: f.instanceId,
        tenant: f.tenant,
        outcome: outcome.ok ? 'ok' : 'failed',
        detail: `${f.kind}: ${outcome.detail}`,
      })
      .catch(() => undefined);
  }
  return { applied, after: await findDisagreements(ctx) };
}

async function applyRepair(ctx: TenantContext, f: ReconcileFinding): Promise<string> {
  const key = { instanceId: f.instanceId, tenant: f.tenant };
  const account = accountFor.token(key.instanceId, key.tenant);
  const instanceKnown = ctx.settings.read().instances.some((i) => i.id === key.instanceId);
  const registry = instanceKnown ? await ctx.registry(key.instanceId) : null;
  const stored = registry ? await registry.read(key.tenant) : null;
  switch (f.kind) {
    case 'pending-journal': {
      if (!stored?.doc.pending) return 'the pending change is already settled';
      return resolvePending(ctx, key.instanceId, stored);
    }
    case 'superseded-token':
      await ctx.secrets.delete(account);
      return 'old token deleted from this keychain';
    case 'orphan-token': {
      const token = await ctx.secrets.get(account);
      let tmsDone = '';
      const single = ctx.settings.read().instances.find((i) => i.id === key.instanceId)?.tenancy === 'single-tenant';
      if (registry && !single) {
        await registry.requireWritable();
        const tms = await ctx.tms(key.instanceId);
        const inTms = await tms.getTenant(key.tenant);
        const revoked = stored?.doc.phase === 'active' && stored.doc.record.state === 'revoked';
        if (revoked && inTms) {
          await tms.upsertTenant(tmsEntryFor(ctx.record(key.instanceId, stored), ctx.newToken()));
          tmsDone = '; TMS token replaced by an unknown one';
        } else if (!revoked && inTms && token !== null && inTms.installToken === token) {
          await tms.deleteTenant(key.tenant);
          tmsDone = '; TMS entry with the same token removed';
        }
      }
      await ctx.secrets.delete(account);
      return `keychain token deleted${tmsDone}`;
    }
    case 'record-without-token':
    case 'missing-in-tms':
    case 'token-mismatch': {
      if (!registry || !stored || stored.doc.phase !== 'active')
        throw new ConsoleError('not-found', `No tenant ${key.tenant} on ${key.instanceId} any more.`, key);
      await registry.requireWritable();
      const record = ctx.record(key.instanceId, stored);
      const tms = await ctx.tms(key.instanceId);
      let token = await ctx.secrets.get(account);
      const fresh = token === null;
      token ??= ctx.newToken();
      await tms.upsertTenant(tmsEntryFor(record, token));
      if (fresh) {
        await ctx.secrets.set(account, token);
        await ctx.change(
          registry,
          stored,
          'issued a fresh token (repair)',
          (d) => {
            if (d.record.state === 'handed-over') {
              d.record.state = 'registered';
              delete d.record.handedOverAt;
            }
            d.record.rotatedAt = ctx.now();
            d.holder = ctx.holder();
          },
          { refresh: true },
        );
        return 'fresh token issued to the TMS and the keychain';
      }
      return 'keychain token stored in the TMS';
    }
    case 'tms-only':
      throw new ConsoleError('invalid-state', f.repair);
  }
}
