/**
 * Moving-in fixtures: config.json as a console from before the team registry wrote it (its own
 * `tenants` and saga `journal`, the shapes main/services/tenants/records.ts reads), what is left of
 * them after a move-in, and the registry's documents as Elasticsearch holds them (read straight
 * from the cluster, with their versions, to tell a write from none).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../main/core';
import { createHandlers } from '../../main/handlers';
import { dispatch } from '../../main/transport/dispatch';
import type { CallName } from '../../shared/contract/contract';
import { REGISTRY_INDICES, tenantDocId, type RegistryTenantDoc } from '../../shared/team/registry';
import type { TenantRecord } from '../../shared/tenants/tenant';

/** An instance as a console before the registry kept it in config.json (defaults left to the schema). */
export function legacyInstance(o: { id: string; es: string; suffix: string; tmsUrl: string }): Record<string, unknown> {
  return {
    id: o.id,
    name: `Move-in instance (${o.id})`,
    environment: 'test',
    apiUrl: 'http://127.0.0.1:9', // never asked by the move-in tests
    tenantDomainSuffix: o.suffix,
    tracardiVersion: '0.9.x',
    tmsUrl: o.tmsUrl,
    es: { nodes: [o.es] },
  };
}

/** A record as an older console kept it: no team stamps, no version. */
export function legacyRecord(instanceId: string, tenant: string, suffix: string): Record<string, unknown> {
  return {
    instanceId,
    tenant,
    apiDomain: `${tenant}.${suffix}`,
    apiUrl: `https://${tenant}.${suffix}`,
    guiDomain: `${tenant}-gui.${suffix}`,
    guiUrl: `https://${tenant}-gui.${suffix}`,
    email: `owner@${tenant}.test`,
    createdAt: '2026-01-05T10:00:00.000Z',
    tokenExpiresAt: '2026-01-12T10:00:00.000Z',
    state: 'registered',
    warnings: [],
  };
}

/** The team's record as another console kept it locally, with `change` applied. */
export function localCopy(
  instanceId: string,
  team: TenantRecord,
  change: Partial<TenantRecord> = {},
): Record<string, unknown> {
  return {
    instanceId,
    tenant: team.tenant,
    apiDomain: team.apiDomain,
    apiUrl: team.apiUrl,
    guiDomain: team.guiDomain,
    guiUrl: team.guiUrl,
    email: team.email,
    createdAt: team.createdAt,
    tokenExpiresAt: team.tokenExpiresAt,
    state: team.state,
    warnings: [],
    ...change,
  };
}

/** config.json as a console from before the registry wrote it (schema version 1, no operator, no watch). */
export function writeLegacyConfig(
  dataDir: string,
  content: { instances: Record<string, unknown>[]; tenants?: unknown[]; journal?: unknown[] },
): void {
  const file = {
    schemaVersion: 1,
    instances: content.instances,
    tenants: content.tenants ?? [],
    preferences: { clipboardClearSeconds: 30, theme: 'system' },
    journal: content.journal ?? [],
  };
  fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(file, null, 2));
}

/** The local records and journal config.json holds now. */
export function configOf(dataDir: string): { tenants: { tenant: string }[]; journal: { tenant: string }[] } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')) as never;
}

/** One contract call as a shell makes it (arguments and result checked against the contract). */
export async function call<T>(core: Core, name: CallName, args: unknown = {}): Promise<T> {
  const answer = await dispatch(createHandlers(core), name, args, { checkResults: true });
  if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
  return answer.value as T;
}

/** A tenant's registry document as Elasticsearch holds it now, with its version (null: none). */
export async function registryDoc(
  esUrl: string,
  scope: string,
  tenant: string,
): Promise<{ seqNo: number; primaryTerm: number; doc: RegistryTenantDoc } | null> {
  const res = await fetch(
    `${esUrl}/${REGISTRY_INDICES.tenants}/_doc/${encodeURIComponent(tenantDocId(scope, tenant))}`,
  );
  if (res.status === 404) return null;
  const body = (await res.json()) as { _seq_no: number; _primary_term: number; _source: RegistryTenantDoc };
  return { seqNo: body._seq_no, primaryTerm: body._primary_term, doc: body._source };
}
