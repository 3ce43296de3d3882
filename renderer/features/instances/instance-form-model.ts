/**
 * The instance form as strings (what inputs hold) ↔ the instance settings the core stores, validated
 * with the contract's `instanceInputSchema` so the form shows the same rules the core enforces. Pure.
 */
import type { z } from 'zod';
import { parseByteSize } from '../../../shared/capacity/capacity-model';
import { instanceInputSchema, type InstanceUiPatch } from '../../../shared/contract/contract';
import {
  secretHomeOf,
  type Environment,
  type Instance,
  type TenancyMode,
  type TracardiVersion,
  type UrlSecretHome,
} from '../../../shared/instances/instance';

/** What the form sends: the contract's instance input (main validates it again). */
export type InstanceFormInput = z.input<typeof instanceInputSchema>;

export interface InstanceFormValues {
  id: string;
  name: string;
  environment: Environment;
  colour: string;
  apiUrl: string;
  guiUrlPattern: string;
  tenantDomainSuffix: string;
  tracardiVersion: TracardiVersion;
  tenancy: TenancyMode;
  /** Single-tenant: the instance's TENANT_NAME; empty = the version's default tenant. */
  singleTenantName: string;
  /** Empty on a single-tenant instance (it has no TMS). */
  tmsUrl: string;
  /** One URL per line. */
  esNodes: string;
  esAuthType: 'none' | 'basic' | 'apiKey';
  esUsername: string;
  /** The CA bundle's PEM text (pasted, or read from a file picked in the page). */
  tlsCaPem: string;
  tlsFingerprint: string;
  tlsSkipVerify: boolean;
  esTimeoutMs: string;
  /** One address per line (commas also separate). */
  expectedAddresses: string;
  referenceHost: string;
  /** Tracardi's index settings (ELASTIC_INDEX_SHARDS, ELASTIC_CONF_INDEX_SHARDS, ELASTIC_INDEX_REPLICAS). */
  footprintIndexShards: string;
  footprintConfShards: string;
  footprintReplicas: string;
  /** Bytes, or a size like 2gb. */
  bytesPerTenantEstimate: string;
}

export type FieldKey = keyof InstanceFormValues;

export function emptyFormValues(): InstanceFormValues {
  return {
    id: '',
    name: '',
    environment: 'development',
    colour: '#2f6fde',
    apiUrl: '',
    guiUrlPattern: 'https://{label}-gui.{suffix}',
    tenantDomainSuffix: '',
    tracardiVersion: '0.9.x',
    tenancy: 'multi-tenant',
    singleTenantName: '',
    tmsUrl: '',
    esNodes: '',
    esAuthType: 'none',
    esUsername: '',
    tlsCaPem: '',
    tlsFingerprint: '',
    tlsSkipVerify: false,
    esTimeoutMs: '10000',
    expectedAddresses: '',
    referenceHost: '',
    footprintIndexShards: '3',
    footprintConfShards: '1',
    footprintReplicas: '1',
    bytesPerTenantEstimate: '',
  };
}

export function formValuesFrom(instance: Instance): InstanceFormValues {
  return {
    id: instance.id,
    name: instance.name,
    environment: instance.environment,
    colour: instance.colour,
    apiUrl: instance.apiUrl,
    guiUrlPattern: instance.guiUrlPattern,
    tenantDomainSuffix: instance.tenantDomainSuffix,
    tracardiVersion: instance.tracardiVersion,
    tenancy: instance.tenancy,
    singleTenantName: instance.singleTenantName ?? '',
    tmsUrl: instance.tmsUrl ?? '',
    esNodes: instance.es.nodes.join('\n'),
    esAuthType: instance.es.auth.type,
    esUsername: instance.es.auth.type === 'basic' ? instance.es.auth.username : '',
    tlsCaPem: instance.es.tls.caPem ?? '',
    tlsFingerprint: instance.es.tls.caFingerprint ?? '',
    tlsSkipVerify: instance.es.tls.verify === false,
    esTimeoutMs: String(instance.es.timeoutMs),
    expectedAddresses: instance.expectedAddresses.join('\n'),
    referenceHost: instance.referenceHost ?? '',
    footprintIndexShards: String(instance.footprint.indexShards),
    footprintConfShards: String(instance.footprint.confShards),
    footprintReplicas: String(instance.footprint.replicas),
    bytesPerTenantEstimate:
      instance.bytesPerTenantEstimate === undefined ? '' : String(instance.bytesPerTenantEstimate),
  };
}

function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The settings object the form describes (optional fields left out when empty). */
export function toInstanceInput(v: InstanceFormValues): InstanceFormInput {
  const tls: Record<string, unknown> = { verify: !v.tlsSkipVerify };
  if (v.tlsCaPem.trim()) tls.caPem = v.tlsCaPem.trim();
  if (v.tlsFingerprint.trim()) tls.caFingerprint = v.tlsFingerprint.trim();
  const auth = v.esAuthType === 'basic' ? { type: 'basic', username: v.esUsername.trim() } : { type: v.esAuthType };
  const es: Record<string, unknown> = { nodes: lines(v.esNodes), auth, tls };
  if (v.esTimeoutMs.trim()) es.timeoutMs = Number(v.esTimeoutMs.trim());
  const out: Record<string, unknown> = {
    id: v.id.trim(),
    name: v.name.trim(),
    environment: v.environment,
    colour: v.colour.trim(),
    apiUrl: v.apiUrl.trim(),
    guiUrlPattern: v.guiUrlPattern.trim(),
    tenantDomainSuffix: v.tenantDomainSuffix.trim(),
    tracardiVersion: v.tracardiVersion,
    tenancy: v.tenancy,
    es,
    expectedAddresses: lines(v.expectedAddresses),
  };
  // Cleared optional fields are sent as null: an update removes them (an add leaves them out).
  out.tmsUrl = v.tmsUrl.trim() || null;
  out.singleTenantName = v.tenancy === 'single-tenant' && v.singleTenantName.trim() ? v.singleTenantName.trim() : null;
  if (v.referenceHost.trim()) out.referenceHost = v.referenceHost.trim();
  const footprint: Record<string, number> = {};
  if (v.footprintIndexShards.trim()) footprint.indexShards = Number(v.footprintIndexShards.trim());
  if (v.footprintConfShards.trim()) footprint.confShards = Number(v.footprintConfShards.trim());
  if (v.footprintReplicas.trim()) footprint.replicas = Number(v.footprintReplicas.trim());
  out.footprint = footprint;
  const estimate = v.bytesPerTenantEstimate.trim();
  if (estimate)
    out.bytesPerTenantEstimate = /^\d+$/.test(estimate) ? Number(estimate) : (parseByteSize(estimate) ?? Number.NaN);
  // Built from what the inputs hold, unchecked: validateInstanceForm (and main) check it.
  return out as InstanceFormInput;
}

/** Which form field a schema issue path points at. */
export function fieldOfPath(path: readonly PropertyKey[]): FieldKey {
  const [a, b, c] = path.map(String);
  if (a === 'es') {
    if (b === 'nodes') return 'esNodes';
    if (b === 'auth') return c === 'username' ? 'esUsername' : 'esAuthType';
    if (b === 'tls') return c === 'caPem' ? 'tlsCaPem' : c === 'caFingerprint' ? 'tlsFingerprint' : 'tlsSkipVerify';
    if (b === 'timeoutMs') return 'esTimeoutMs';
    return 'esNodes';
  }
  if (a === 'footprint') {
    return b === 'confShards' ? 'footprintConfShards' : b === 'replicas' ? 'footprintReplicas' : 'footprintIndexShards';
  }
  const top: Record<string, FieldKey> = {
    id: 'id',
    name: 'name',
    environment: 'environment',
    colour: 'colour',
    apiUrl: 'apiUrl',
    guiUrlPattern: 'guiUrlPattern',
    tenantDomainSuffix: 'tenantDomainSuffix',
    tracardiVersion: 'tracardiVersion',
    tmsUrl: 'tmsUrl',
    tenancy: 'tenancy',
    singleTenantName: 'singleTenantName',
    expectedAddresses: 'expectedAddresses',
    referenceHost: 'referenceHost',
    bytesPerTenantEstimate: 'bytesPerTenantEstimate',
  };
  return top[a ?? ''] ?? 'name';
}

export type FormErrors = Partial<Record<FieldKey, string>>;

/** The fields of this form a credential goes in instead of a URL (the schema says it in every shell's words). */
const SECRET_FIELDS: Record<UrlSecretHome, string> = {
  apiUrl: '',
  tmsUrl: ' (the TMS API key field)',
  esNode: ' (the Elasticsearch username and password fields)',
};

export type Validation =
  | {
      ok: true;
      instance: Instance;
      /** For an add or a connection test: cleared optional fields left out. */
      input: InstanceFormInput;
      /** For an update: cleared optional fields as null, so the update removes them. */
      patch: InstanceUiPatch;
    }
  | { ok: false; errors: FormErrors };

/** Validate the form with the shared schema: the first message per field. */
export function validateInstanceForm(values: InstanceFormValues): Validation {
  const withNulls = toInstanceInput(values);
  const input = Object.fromEntries(Object.entries(withNulls).filter(([, v]) => v !== null)) as InstanceFormInput;
  const errors: FormErrors = {};
  if (values.esTimeoutMs.trim() && !/^\d+$/.test(values.esTimeoutMs.trim()))
    errors.esTimeoutMs = 'the timeout is a whole number of milliseconds';
  for (const key of ['footprintIndexShards', 'footprintConfShards', 'footprintReplicas'] as const) {
    if (values[key].trim() && !/^\d+$/.test(values[key].trim())) errors[key] = 'a whole number';
  }
  if (values.bytesPerTenantEstimate.trim() && Number.isNaN(input.bytesPerTenantEstimate)) {
    errors.bytesPerTenantEstimate = 'give bytes (e.g. 2147483648) or a size like 2gb';
  }
  const parsed = instanceInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldOfPath(issue.path);
      const home = secretHomeOf(issue);
      errors[key] ??= `${issue.message}${home ? SECRET_FIELDS[home] : ''}`;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, instance: parsed.data, input, patch: withNulls as unknown as InstanceUiPatch };
}
