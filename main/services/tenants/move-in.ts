/**
 * Moving in: a console that kept its records in its settings file (before the team registry)
 * publishes them to each instance's registry on first connect. A record the registry does not have
 * is claimed (create-only) with this console as its publisher and, when its keychain has the token,
 * holder; the same record already there is dropped locally; a different one is kept locally as a
 * conflict the operator resolves by choosing (`resolveMoveIn`): nothing is overwritten silently.
 * Local pending changes (the old saga journal) travel with their record as its pending change.
 */
import { ConsoleError, oneLine, toConsoleError } from '../../../shared/errors/errors';
import { decisiveDifferences, registryPartOf, type RegistryTenantDoc } from '../../../shared/team/registry';
import type { PendingOp } from '../../../shared/team/team';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { accountFor } from '../keychain';
import type { InstanceRegistry } from '../registry';
import { dropLegacy, legacyJournalOf, legacyRecordsOf } from './records';
import type { TenantContext } from './tenant-context';
import type { JournalEntry, TenantKey } from './types';

export interface MoveInConflict extends TenantKey {
  /** This console's local record and the team's, and how they differ. */
  local: TenantRecord;
  team: TenantRecord;
  differences: string[];
}

export interface MoveInReport {
  published: TenantKey[];
  /** Already in the registry with the same data: dropped locally. */
  same: TenantKey[];
  conflicts: MoveInConflict[];
  /** Instances whose registry could not take them yet (unreachable, read-only): kept locally. */
  waiting: { instanceId: string; reason: string }[];
}

function pendingFrom(ctx: TenantContext, j: JournalEntry | undefined): PendingOp | null {
  if (!j) return null;
  return {
    ...ctx.pendingOp(j.op, j.tokenSha256 ? { tokenSha256: j.tokenSha256 } : {}),
    step: j.step,
    startedAt: j.startedAt,
    pid: j.pid,
    host: j.host,
    ...(j.tmsId ? { tmsId: j.tmsId } : {}),
    endedAt: j.endedAt ?? ctx.now(),
  };
}

/** Whether an instance still has local records to publish (cheap: the settings file only). */
export function hasLegacy(ctx: TenantContext, instanceId: string): boolean {
  const s = ctx.settings.read();
  const mine = (raw: unknown) => (raw as { instanceId?: unknown } | null)?.instanceId === instanceId;
  return s.tenants.some(mine) || s.journal.some(mine);
}

/** The report of an instance whose local records wait: its registry did not take them (the reason why). */
export function waitingReport(instanceId: string, err: unknown): MoveInReport {
  return {
    published: [],
    same: [],
    conflicts: [],
    waiting: [{ instanceId, reason: oneLine(toConsoleError(err).message) }],
  };
}

/** Publish one instance's local records; conflicts stay local for the operator to choose. */
export async function moveIn(ctx: TenantContext, registry: InstanceRegistry): Promise<MoveInReport> {
  const report: MoveInReport = { published: [], same: [], conflicts: [], waiting: [] };
  const instanceId = registry.instanceId;
  const settings = ctx.settings.read();
  const records = legacyRecordsOf(settings, instanceId);
  const journal = legacyJournalOf(settings, instanceId);
  if (records.length === 0 && journal.length === 0) return report;
  try {
    await registry.requireWritable();
  } catch (err) {
    return waitingReport(instanceId, err);
  }
  const stamp = ctx.stamp();
  const where = `the local records of ${stamp.workstation}`;
  const byTenant = new Map(records.map((r) => [r.tenant, r]));
  // A create that never wrote its record travels as a claim with its pending change.
  for (const j of journal) if (!byTenant.has(j.tenant) && j.record) byTenant.set(j.tenant, j.record);
  const done = new Set<string>();
  for (const [tenant, record] of byTenant) {
    const key = { instanceId, tenant };
    const j = journal.find((e) => e.tenant === tenant);
    const holds = (await ctx.secrets.get(accountFor.token(instanceId, tenant))) !== null;
    const doc: RegistryTenantDoc = {
      scope: registry.scope,
      tenant,
      phase: records.some((r) => r.tenant === tenant) ? 'active' : 'creating',
      record: registryPartOf(record),
      createdBy: stamp,
      updatedBy: stamp,
      updatedAt: ctx.now(),
      change: `published it from ${where}`,
      rev: 1,
      verifiedBy: null,
      holder: holds ? ctx.holder() : null,
      pending: pendingFrom(ctx, j),
      deleted: null,
    };
    try {
      registry.remember(await registry.claim(doc));
      report.published.push(key);
      done.add(tenant);
    } catch (err) {
      if (!(err instanceof ConsoleError) || err.code !== 'tenant-collision') throw err;
      const team = await registry.read(tenant);
      if (!team) continue;
      const differences = decisiveDifferences(team.doc, { ...doc, holder: team.doc.holder, pending: team.doc.pending });
      if (differences.length === 0 && team.doc.phase === doc.phase) {
        report.same.push(key);
        done.add(tenant);
      } else {
        report.conflicts.push({
          ...key,
          local: record,
          team: ctx.record(instanceId, team),
          differences: differences.length ? differences : [`phase ${team.doc.phase} in the team's registry`],
        });
      }
    }
  }
  if (done.size > 0) ctx.settings.update((draft) => dropLegacy(draft, instanceId, done));
  if (report.published.length)
    await ctx.audit
      .record({
        action: 'move-in',
        instanceId,
        outcome: 'ok',
        detail: `published ${report.published.length} record(s) from ${where}: ${report.published
          .map((k) => k.tenant)
          .join(', ')
          .slice(0, 500)}`,
      })
      .catch(() => undefined);
  return report;
}

/**
 * The operator's choice for one conflict: keep the team's record (the local one is dropped) or put
 * the local one in the registry (written over the team's, conditional on the version just read).
 */
export async function resolveMoveIn(
  ctx: TenantContext,
  key: TenantKey,
  keep: 'team' | 'local',
): Promise<TenantRecord | null> {
  return ctx.audited(
    'move-in',
    key,
    async () => {
      const local = legacyRecordsOf(ctx.settings.read(), key.instanceId).find((r) => r.tenant === key.tenant);
      if (!local)
        throw new ConsoleError(
          'not-found',
          `This console has no local record of ${key.tenant} on ${key.instanceId} to move in.`,
          key,
        );
      const registry = await ctx.registry(key.instanceId);
      await registry.requireWritable();
      let result: TenantRecord | null = null;
      if (keep === 'local') {
        const team = await registry.read(key.tenant);
        const holds = (await ctx.secrets.get(accountFor.token(key.instanceId, key.tenant))) !== null;
        const doc = (base: RegistryTenantDoc | null): RegistryTenantDoc =>
          ({
            ...(base ?? {
              scope: registry.scope,
              tenant: key.tenant,
              createdBy: ctx.stamp(),
              rev: 1,
              verifiedBy: null,
              pending: null,
              deleted: null,
            }),
            phase: 'active',
            record: registryPartOf(local),
            updatedBy: ctx.stamp(),
            updatedAt: ctx.now(),
            change: `replaced the team's record with the local one of ${ctx.stamp().workstation}`,
            holder: holds ? ctx.holder() : null,
            pending: null,
            deleted: null,
          }) as RegistryTenantDoc;
        const written = team
          ? await ctx.change(registry, team, doc(team.doc).change, (d) => Object.assign(d, doc(team.doc)), {
              refresh: true,
            })
          : await registry.claim(doc(null));
        result = ctx.record(key.instanceId, written);
      }
      ctx.settings.update((draft) => dropLegacy(draft, key.instanceId, new Set([key.tenant])));
      return result;
    },
    () =>
      keep === 'local'
        ? 'kept the local record (written to the team registry)'
        : "kept the team's record (local one dropped)",
  );
}
