/**
 * The team registry: the console's record of an instance's tenants, kept in hidden indices of the
 * instance's own Elasticsearch so that every operator's console reads and writes one truth
 * (main/services/registry). Pure: index names, the documents' schemas and their strict mappings,
 * the record <-> document mapping, and how a change is described to another operator.
 *
 * One cluster may hold several instances' registries (a test cluster, two instances on one
 * Elasticsearch): every document carries its `scope`, the instance's tenant domain suffix, which
 * every operator configures the same way for the same instance (its tenants are `<label>.<suffix>`).
 */
import { z } from 'zod';
import { isoTimeSchema } from '../text/iso-time';
import { operatorStampSchema, sameOperator, type OperatorStamp } from './operator';
import type { ChangeDraft } from '../watch/watch-detect';
import { pendingOpSchema, tokenHolderSchema } from './team';
import { tenantRecordSchema, type TenantRecord } from '../tenants/tenant';

/** How an instance's registry answered the last sync: whether this console may change it, since when. */
export const registryHealthSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unknown') }),
  z.object({ state: z.literal('ok'), since: isoTimeSchema }),
  /** No answer, or an error answer: the last-known record is shown read-only. */
  z.object({ state: z.literal('unreachable'), since: isoTimeSchema, error: z.string() }),
  /** The user may read but not write (or the indices do not exist and may not be created). */
  z.object({ state: z.literal('read-only'), since: isoTimeSchema, reason: z.string(), missing: z.array(z.string()) }),
]);
export type RegistryHealth = z.infer<typeof registryHealthSchema>;

/** Every registry index starts with this: the capacity snapshot counts them as the console's own. */
export const REGISTRY_INDEX_PREFIX = '.tracardi-console-';
export const REGISTRY_INDICES = {
  /** One document per tenant and scope, `_id` `<scope>/<tenant>`. */
  tenants: `${REGISTRY_INDEX_PREFIX}tenants`,
  /** The audit trail: one document per entry, `_id` `<scope>/<seq, 12 digits>`, hash-chained per scope. */
  audit: `${REGISTRY_INDEX_PREFIX}audit`,
} as const;
/** The mappings' version (in `_meta`): a console refuses to write an index of a newer version. */
export const REGISTRY_SCHEMA_VERSION = 2;

/** True for the console's own indices (never a tenant's, never "other"). */
export function isRegistryIndex(name: string): boolean {
  return name.startsWith(REGISTRY_INDEX_PREFIX);
}

/** A document's optimistic-concurrency version: its `_seq_no` and `_primary_term` (Kibana's pair). */
export interface DocVersion {
  seqNo: number;
  primaryTerm: number;
}
/**
 * The version of a record an operator acts on: its revision, which every change an operator makes
 * raises and a new verification result does not. A screen sends it back with an action; a record
 * whose revision moved on since is refused, with who changed what.
 */
export const versionTextSchema = z.string().regex(/^\d{1,15}$/, 'not a record version');

/** The record's fields as the registry keeps them: everything but the console-local instance id. */
export const registryRecordSchema = tenantRecordSchema.omit({
  instanceId: true,
  tenant: true,
  createdBy: true,
  updatedBy: true,
  updatedAt: true,
  lastChange: true,
  tokenHolder: true,
  version: true,
  pendingOp: true,
});
export type RegistryRecord = z.infer<typeof registryRecordSchema>;

/**
 * creating: the name is claimed and a create is under way (or crashed: see `pending`);
 * active: a tenant the console manages; deleted: a tombstone (who deleted it, when; its
 * Elasticsearch data stays, so discovery says why it is there).
 */
export const DOC_PHASES = ['creating', 'active', 'deleted'] as const;
export type DocPhase = (typeof DOC_PHASES)[number];

export const registryTenantDocSchema = z.object({
  scope: z.string(),
  tenant: z.string(),
  phase: z.enum(DOC_PHASES),
  record: registryRecordSchema,
  createdBy: operatorStampSchema,
  updatedBy: operatorStampSchema,
  updatedAt: isoTimeSchema,
  /** What the last operator's change did, in a few words ("rotated the token"): how a conflict is explained. */
  change: z.string().max(300),
  /** Raised by every change an operator makes (not by a verification result): the record's version. */
  rev: z.number().int().min(1).default(1),
  /** Who stored the last verification result (the result itself is in the record). */
  verifiedBy: operatorStampSchema.nullable().default(null),
  holder: tokenHolderSchema.nullable().default(null),
  pending: pendingOpSchema.nullable().default(null),
  deleted: z.object({ at: isoTimeSchema, by: operatorStampSchema }).nullable().default(null),
});
export type RegistryTenantDoc = z.infer<typeof registryTenantDocSchema>;

/** The document id of a tenant in a scope. */
export function tenantDocId(scope: string, tenant: string): string {
  return `${scope}/${tenant}`;
}

/** The record a console works with: the document's fields, the local instance id, who and which version. */
export function recordFromDoc(instanceId: string, doc: RegistryTenantDoc): TenantRecord {
  return {
    ...doc.record,
    instanceId,
    tenant: doc.tenant,
    createdBy: doc.createdBy,
    updatedBy: doc.updatedBy,
    updatedAt: doc.updatedAt,
    lastChange: doc.change,
    ...(doc.holder ? { tokenHolder: doc.holder } : {}),
    ...(doc.pending ? { pendingOp: doc.pending } : {}),
    version: String(doc.rev),
  };
}

/** The registry's part of a record (drops the console-local and derived fields). */
export function registryPartOf(record: TenantRecord): RegistryRecord {
  return registryRecordSchema.parse(record);
}

// The record fields an operator acts on: a change to one of them since the operator read the record
// is a conflict to report; a change to anything else (a verification result) is not.
const DECISIVE_FIELDS = [
  'state',
  'email',
  'apiDomain',
  'guiDomain',
  'tokenExpiresAt',
  'rotatedAt',
  'revokedAt',
  'handedOverAt',
] as const;

/** What differs between two versions of a record in the fields an operator acts on, one phrase each. */
export function decisiveDifferences(before: RegistryTenantDoc, after: RegistryTenantDoc): string[] {
  const out: string[] = [];
  if (before.phase !== after.phase) out.push(after.phase === 'deleted' ? 'deleted it' : `phase ${after.phase}`);
  for (const field of DECISIVE_FIELDS) {
    const a = before.record[field] ?? null;
    const b = after.record[field] ?? null;
    if (a !== b) out.push(`${field} ${a ?? 'none'} -> ${b ?? 'none'}`);
  }
  if ((before.holder?.keychain ?? null) !== (after.holder?.keychain ?? null))
    out.push(after.holder ? `token now held by ${after.holder.name}` : 'nobody holds the token now');
  if ((before.pending?.op ?? null) !== (after.pending?.op ?? null))
    out.push(after.pending ? `a ${after.pending.op} is under way` : 'its pending change ended');
  return out;
}

/** "Ann Smith (ann@x.com) on ws-12 rotated the token at 2026-12-07T14:02:00Z (state handed-over -> registered)". */
export function describeOtherChange(after: RegistryTenantDoc, differences: readonly string[]): string {
  const who = describeStamp(after.updatedBy);
  return `${who} ${after.change} at ${after.updatedAt}${differences.length ? ` (${differences.join('; ')})` : ''}`;
}

/**
 * The Changes feed entry for a change another operator made to a tenant's record (null for this
 * console's own changes, a create still under way, and changes nobody acts on, such as a new
 * verification result).
 */
export function teamChangeDraft(
  instance: { id: string; name: string },
  doc: RegistryTenantDoc,
  before: RegistryTenantDoc | null,
  me: OperatorStamp,
): ChangeDraft | null {
  if (sameOperator(doc.updatedBy, me) || doc.phase === 'creating') return null;
  const differences = before ? decisiveDifferences(before, doc) : [];
  if (before && before.phase !== 'creating' && differences.length === 0) return null;
  const value = (d: RegistryTenantDoc) => (d.phase === 'deleted' ? 'deleted' : d.record.state);
  return {
    at: doc.updatedAt,
    kind: 'team',
    instanceId: instance.id,
    tenant: doc.tenant,
    subject: `${doc.tenant} on ${instance.name}`,
    from: before && before.phase !== 'creating' ? value(before) : null,
    to: value(doc),
    severity: 'info',
    detail: describeOtherChange(doc, differences),
    notify: false,
  };
}

function describeStamp(s: OperatorStamp): string {
  return `${s.name}${s.email ? ` (${s.email})` : ''} on ${s.workstation}`;
}

// ------------------------------------------------------------------------------------------- audit

/** One entry of an instance's audit chain. `hash` covers every other field, `prevHash` included. */
export const chainedAuditEntrySchema = z.object({
  scope: z.string(),
  seq: z.number().int().min(1),
  time: isoTimeSchema,
  operator: operatorStampSchema,
  action: z.string().max(40),
  outcome: z.enum(['ok', 'refused', 'failed']),
  /** The instance id in the writing console (ids are local; the scope names the instance). */
  instanceId: z.string().max(63).optional(),
  tenant: z.string().max(80).optional(),
  detail: z.string().max(2000).optional(),
  redacted: z.boolean().optional(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ChainedAuditEntry = z.infer<typeof chainedAuditEntrySchema>;

/** The document id of the audit entry `seq` of a scope (12 digits: ids sort as numbers). */
export function auditDocId(scope: string, seq: number): string {
  return `${scope}/${String(seq).padStart(12, '0')}`;
}

/** JSON with object keys sorted at every level: the bytes an entry's hash is taken over. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------- mappings

const kw = { type: 'keyword', ignore_above: 512 } as const;
const date = { type: 'date' } as const;
const stored = { type: 'keyword', index: false, doc_values: false } as const;
const stamp = { properties: { name: kw, email: kw, workstation: kw } } as const;

/** Strict mappings (no dynamic field) of the two indices; `_meta` names the owner and version. */
export const REGISTRY_MAPPINGS = {
  tenants: {
    dynamic: 'strict',
    _meta: { owner: 'tracardi-tenant-console', schemaVersion: REGISTRY_SCHEMA_VERSION },
    properties: {
      scope: kw,
      tenant: kw,
      phase: kw,
      record: {
        properties: {
          apiDomain: kw,
          apiUrl: kw,
          guiDomain: kw,
          guiUrl: kw,
          email: kw,
          createdAt: date,
          tokenExpiresAt: date,
          state: kw,
          handedOverAt: date,
          rotatedAt: date,
          revokedAt: date,
          installedAt: date,
          capacityOverride: { properties: { reason: stored, at: date, by: kw } },
          warnings: stored,
          // Evidence of the last verification: kept as written, never searched.
          lastVerification: { type: 'object', enabled: false },
          adopted: { properties: { at: date, by: kw, token: kw } },
        },
      },
      createdBy: stamp,
      updatedBy: stamp,
      updatedAt: date,
      change: stored,
      rev: { type: 'integer' },
      verifiedBy: stamp,
      holder: { properties: { ...stamp.properties, keychain: kw, since: date } },
      pending: {
        properties: {
          op: kw,
          step: kw,
          startedAt: date,
          by: stamp,
          pid: { type: 'long' },
          host: kw,
          keychain: kw,
          tmsId: kw,
          tokenSha256: kw,
          endedAt: date,
        },
      },
      deleted: { properties: { at: date, by: stamp } },
    },
  },
  audit: {
    dynamic: 'strict',
    _meta: { owner: 'tracardi-tenant-console', schemaVersion: REGISTRY_SCHEMA_VERSION },
    properties: {
      scope: kw,
      seq: { type: 'long' },
      time: date,
      operator: stamp,
      action: kw,
      outcome: kw,
      instanceId: kw,
      tenant: kw,
      detail: stored,
      redacted: { type: 'boolean' },
      prevHash: kw,
      hash: kw,
    },
  },
} as const;

/** Index settings: hidden, one primary shard, the instance's replicas (0 on a single data node). */
export function registryIndexSettings(replicas: number): Record<string, unknown> {
  return { 'index.hidden': true, number_of_shards: 1, number_of_replicas: replicas, auto_expand_replicas: false };
}

/** The scope of an instance: its tenant domain suffix, lower-cased (how every operator names it). */
export function registryScope(instance: { tenantDomainSuffix: string }): string {
  return instance.tenantDomainSuffix.trim().toLowerCase();
}
