/**
 * Reconcile: where the three places that hold a tenant (record, keychain token, TMS entry) and the
 * saga journal disagree, each disagreement a finding with a proposed repair; and the repairs.
 */
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors';
import { accountFor, parseAccount } from '../keychain';
import type { TmsClient, TmsTenant } from '../tms-client';
import { journalRepairText, resolveJournal } from './journal-resolution';
import { runPool } from '../verify';
import { findRecord, journalOf, recordsOf, requireRecord } from './records';
import { tmsEntryFor, type TenantContext } from './tenant-context';
import type { ReconcileFinding, ReconcileReport, RepairOutcome, RepairReport } from './types';

/** Where records, keychain, TMS and journal disagree, each finding with a proposed repair. */
export async function findDisagreements(ctx: TenantContext): Promise<ReconcileReport> {
  const settings = ctx.fresh();
  const records = recordsOf(settings);
  const journal = journalOf(settings);
  const accounts = (await ctx.secrets.list('token/'))
    .map(parseAccount)
    .filter((a): a is { type: 'token'; instanceId: string; tenant: string } => a?.type === 'token');
  const findings: ReconcileFinding[] = [];
  const notes: string[] = [];

  const instanceIds = new Set<string>([
    ...settings.instances.map((i) => i.id),
    ...records.map((r) => r.instanceId),
    ...journal.map((j) => j.instanceId),
    ...accounts.map((a) => a.instanceId),
  ]);
  const knownInstances = new Set(settings.instances.map((i) => i.id));

  for (const instanceId of [...instanceIds].sort()) {
    const recs = records.filter((r) => r.instanceId === instanceId);
    const jrn = journal.filter((j) => j.instanceId === instanceId);
    const accs = new Set(accounts.filter((a) => a.instanceId === instanceId).map((a) => a.tenant));
    const journaled = new Set(jrn.map((j) => j.tenant));
    const recorded = new Map(recs.map((r) => [r.tenant, r]));

    for (const j of jrn) {
      const live = ctx.journal.isLive(j);
      findings.push({
        id: `pending-journal:${instanceId}:${j.tenant}:${j.id}`,
        kind: 'pending-journal',
        instanceId,
        tenant: j.tenant,
        detail: `An interrupted ${j.op} of ${j.tenant} (started ${j.startedAt}, last step: ${j.step})${live ? ', still running in process ' + j.pid : ''}.`,
        repair: live ? `wait for process ${j.pid} to finish, then reconcile again` : journalRepairText(j),
        repairable: !live,
      });
    }

    // TMS view: one listing when the TMS has one, else one GET per name the console knows.
    let tms: TmsClient | null = null;
    let listing: Map<string, TmsTenant> | null = null;
    const tmsState = new Map<string, TmsTenant | null | 'unknown'>();
    const singleTenant = settings.instances.find((i) => i.id === instanceId)?.tenancy === 'single-tenant';
    if (singleTenant) {
      notes.push(`${instanceId}: single-tenant, it has no TMS; only records and keychain were compared.`);
    } else if (knownInstances.has(instanceId)) {
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
    } else {
      notes.push(`${instanceId}: no such instance in the settings; its TMS was not checked.`);
    }
    const names = [...new Set([...recorded.keys(), ...accs, ...journaled])].sort();
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
      if (journaled.has(name)) continue; // the journal finding covers this tenant
      const record = recorded.get(name);
      const hasToken = accs.has(name);
      const inTms = tms && tmsState.has(name) ? tmsState.get(name)! : 'unknown';
      const base = { instanceId, tenant: name };
      if (!record) {
        if (hasToken) {
          let tmsNote = '';
          if (inTms !== 'unknown' && inTms !== null) {
            const token = await ctx.secrets.get(accountFor.token(instanceId, name));
            tmsNote =
              token !== null && inTms.installToken === token ? ' and the TMS entry holding that same token' : '';
          }
          findings.push({
            ...base,
            id: `orphan-token:${instanceId}:${name}`,
            kind: 'orphan-token',
            detail: `The keychain holds a token for ${name} on ${instanceId} but the console has no record of it.`,
            repair: `delete the keychain token${tmsNote}`,
            repairable: true,
          });
        }
        continue;
      }
      if (record.state === 'revoked') {
        if (hasToken) {
          findings.push({
            ...base,
            id: `orphan-token:${instanceId}:${name}`,
            kind: 'orphan-token',
            detail: `${name} on ${instanceId} is revoked but the keychain still holds a token for it.`,
            repair: 'delete the keychain token and replace the TMS token with an unknown one',
            repairable: true,
          });
        }
        continue;
      }
      // Adopted without its token: the console never held one, nothing disagrees.
      if (!hasToken && record.adopted?.token === 'unknown') continue;
      if (!hasToken) {
        findings.push({
          ...base,
          id: `record-without-token:${instanceId}:${name}`,
          kind: 'record-without-token',
          detail: `${name} on ${instanceId} has a record but no token in the keychain${inTms === null ? ' and no TMS entry' : ''}.`,
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
        if (recorded.has(name) || journaled.has(name) || accs.has(name)) continue;
        findings.push({
          instanceId,
          tenant: name,
          id: `tms-only:${instanceId}:${name}`,
          kind: 'tms-only',
          detail: `The TMS of ${instanceId} has a tenant ${name} that this console does not know.`,
          repair:
            'not repaired automatically (another console or tool may own it): remove it on the TMS by hand, or leave it',
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
  // Journal entries first: they explain (and settle) the other findings of the same tenant.
  wanted.sort((a, b) => Number(b.kind === 'pending-journal') - Number(a.kind === 'pending-journal'));
  const settled = new Set<string>();
  for (const f of wanted) {
    const key = `${f.instanceId}/${f.tenant}`;
    if (f.kind !== 'pending-journal' && settled.has(key)) {
      applied.push({ id: f.id, ok: true, detail: 'settled by the journal repair of the same tenant' });
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
    await ctx.audit.record({
      action: 'repair',
      instanceId: f.instanceId,
      tenant: f.tenant,
      outcome: outcome.ok ? 'ok' : 'failed',
      detail: `${f.kind}: ${outcome.detail}`,
    });
  }
  return { applied, after: await findDisagreements(ctx) };
}

async function applyRepair(ctx: TenantContext, f: ReconcileFinding): Promise<string> {
  const settings = ctx.fresh();
  const key = { instanceId: f.instanceId, tenant: f.tenant };
  const account = accountFor.token(key.instanceId, key.tenant);
  switch (f.kind) {
    case 'pending-journal': {
      const journalId = f.id.split(':')[3];
      const entry = journalOf(settings).find((j) => j.id === journalId);
      if (!entry) return 'journal entry already gone';
      return resolveJournal(ctx, entry);
    }
    case 'orphan-token': {
      const record = findRecord(settings, key);
      const token = await ctx.secrets.get(account);
      let tmsDone = '';
      if (settings.instances.some((i) => i.id === key.instanceId)) {
        const tms = await ctx.tms(key.instanceId);
        const inTms = await tms.getTenant(key.tenant);
        if (record?.state === 'revoked' && inTms) {
          await tms.upsertTenant(tmsEntryFor(record, ctx.newToken()));
          tmsDone = '; TMS token replaced by an unknown one';
        } else if (!record && inTms && token !== null && inTms.installToken === token) {
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
      const record = requireRecord(settings, key);
      const tms = await ctx.tms(key.instanceId);
      let token = await ctx.secrets.get(account);
      const fresh = token === null;
      token ??= ctx.newToken();
      await tms.upsertTenant(tmsEntryFor(record, token));
      if (fresh) {
        await ctx.secrets.set(account, token);
        if (record.state === 'handed-over') {
          ctx.updateRecord(key, (r) => {
            r.state = 'registered';
            r.rotatedAt = ctx.now();
            delete r.handedOverAt;
          });
        }
        return 'fresh token issued to the TMS and the keychain';
      }
      return 'keychain token stored in the TMS';
    }
    case 'tms-only':
      throw new ConsoleError('invalid-state', f.repair);
  }
}
