/**
 * Instance configuration: what the console knows about one Tracardi instance.
 * Pure schema (zod) shared by main, the shells and the renderer. No secret lives here:
 * secrets are referenced by kind and stored in the OS keychain by main.
 */
import { z } from 'zod';
import { safeText } from '../text/safe-text';
import { installSchemaWords } from '../text/schema-words';

// The settings store and tenantctl parse instances without the contract: the same words for them.
installSchemaWords();

export const TRACARDI_VERSIONS = ['0.8.x', '0.9.x'] as const;
export type TracardiVersion = (typeof TRACARDI_VERSIONS)[number];

export { ENVIRONMENTS, type Environment } from '../text/vocabulary';
import { ENVIRONMENTS } from '../text/vocabulary';

/**
 * How an instance serves tenants. `multi-tenant` (MULTI_TENANT=yes): the tenant comes from the
 * request's Host, tokens live in the TMS. `single-tenant`: the instance ignores the Host, serves
 * exactly one tenant (its TENANT_NAME, else the version's default) and checks one global
 * INSTALLATION_TOKEN.
 */
export const TENANCY_MODES = ['multi-tenant', 'single-tenant'] as const;
export type TenancyMode = (typeof TENANCY_MODES)[number];

/**
 * Where each URL field's secret belongs instead of the URL (said in the refusal), in words true in
 * every shell. The issue carries `params.secretHome` (the key here), so a shell can name its own
 * controls beside it (tenantctl its --*-stdin flags).
 */
export const URL_SECRET_HOME = {
  apiUrl:
    "Tracardi's API takes no credentials in its URL (installs authenticate with the tenant's installation token); remove them",
  tmsUrl:
    "the console signs in to the TMS with the instance's TMS API key, which it keeps in the OS keychain: give the key there instead",
  esNode:
    "give the user and the password as the instance's Elasticsearch username and password instead; the console keeps the password in the OS keychain",
} as const;
export type UrlSecretHome = keyof typeof URL_SECRET_HOME;

/** The URL field a zod issue refused for carrying credentials, or null (read from its params). */
export function secretHomeOf(issue: { code: string; params?: unknown }): UrlSecretHome | null {
  if (issue.code !== 'custom' || typeof issue.params !== 'object' || issue.params === null) return null;
  const home = (issue.params as { secretHome?: unknown }).secretHome;
  return typeof home === 'string' && home in URL_SECRET_HOME ? (home as UrlSecretHome) : null;
}

/** True when the URL carries a user name or password (`https://user:pw@host`). */
export function hasUserinfo(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

/**
 * An http(s) URL without userinfo: a password in a URL would land in config.json, its last-good
 * copy, every warning and listing. The message says where the secret goes instead.
 */
function httpUrl(field: string, secretHome: UrlSecretHome) {
  return safeText(field)
    .trim()
    .min(1, 'a URL is required')
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// URL')
    .refine((v) => !hasUserinfo(v), {
      message: `${field} must not carry a user name or password (user:password@ in the URL): ${URL_SECRET_HOME[secretHome]}`,
      params: { secretHome },
    });
}

/** Display name and id rules: ids are the stable key in the keychain and the settings. */
export const instanceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an instance id is 1-63 lower-case letters, digits or dashes');

export const esAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('basic'),
    username: safeText('the Elasticsearch username').min(1, 'a username is required'),
  }),
  z.object({ type: z.literal('apiKey') }),
]);
export type EsAuth = z.infer<typeof esAuthSchema>;

/** Largest CA bundle accepted as text (a bundle of a few dozen certificates). */
export const MAX_CA_PEM_CHARS = 256 * 1024;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\s*[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** One or more PEM certificates, nothing else (no private key, no stray text). */
export const caPemSchema = z
  .string()
  .max(MAX_CA_PEM_CHARS, `a CA bundle is at most ${MAX_CA_PEM_CHARS / 1024} KB of PEM text`)
  .refine(
    (text) => text.includes('-----BEGIN CERTIFICATE-----') && text.replace(PEM_BLOCK, '').trim() === '',
    'a CA bundle is PEM text: one or more -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- blocks and nothing else',
  );

export const tlsSchema = z.object({
  /**
   * Path to a PEM CA bundle on the operator's workstation. Set only by the operator's own process
   * (`tenantctl instances add --ca-file`); the UI's calls cannot name a file (they send `caPem`).
   */
  caFile: safeText('the CA file path').min(1).optional(),
  /** The PEM CA bundle itself (public certificates, not a secret); wins over `caFile`. */
  caPem: caPemSchema.optional(),
  /** SHA-256 fingerprint of the server's CA (hex, colons optional). */
  caFingerprint: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint is 64 hex digits')
    .optional(),
  /** Off only when the operator turns it off for this instance; shown in the UI and CLI. */
  verify: z.boolean().default(true),
});
export type TlsOptions = z.infer<typeof tlsSchema>;

export const esConnectionSchema = z.object({
  nodes: z
    .array(httpUrl('an Elasticsearch node URL', 'esNode'))
    .min(1, 'at least one Elasticsearch node URL is required'),
  auth: esAuthSchema.default({ type: 'none' }),
  tls: tlsSchema.default({ verify: true }),
  /** Per-request timeout for capacity and verification calls. */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type EsConnection = z.infer<typeof esConnectionSchema>;

/** The instance's fields (an object schema others extend); `instanceSchema` adds the cross-field rule. */
export const instanceFieldsSchema = z.object({
  id: instanceIdSchema,
  name: safeText('the display name').trim().min(1, 'a display name is required').max(80),
  environment: z.enum(ENVIRONMENTS),
  /** CSS colour for the environment badge. */
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
    .default('#2f6fde'),
  apiUrl: httpUrl('the Tracardi API URL', 'apiUrl'),
  /** GUI URL pattern with `{tenant}` or `{label}` placeholders, e.g. https://{label}-gui.instance1.domain.com */
  guiUrlPattern: safeText('the GUI URL pattern').min(1).default('https://{label}-gui.{suffix}'),
  /** Tenant API domains are `<label>.<suffix>`. */
  tenantDomainSuffix: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'the tenant domain suffix is a domain like instance1.domain.com'),
  tracardiVersion: z.enum(TRACARDI_VERSIONS),
  /** Detected by the connection check where the instance tells, else set by the operator. */
  tenancy: z.enum(TENANCY_MODES).default('multi-tenant'),
  /**
   * Single-tenant only: the instance's TENANT_NAME when it sets one; absent means the version's
   * default tenant (first 5 hex digits of md5(db_version)).
   */
  singleTenantName: z
    .string()
    .regex(/^[a-z0-9]{3,40}$/, 'a tenant name is 3-40 lower-case letters or digits')
    .optional(),
  /** The Tenant Management Service; a single-tenant instance has none (its one token is INSTALLATION_TOKEN). */
  tmsUrl: httpUrl('the TMS URL', 'tmsUrl').optional(),
  es: esConnectionSchema,
  /** Expected addresses of this instance's tenant domains (for misrouting checks). */
  expectedAddresses: z.array(safeText('an expected address')).default([]),
  /** Or a host whose addresses are the expected ones. */
  referenceHost: safeText('the reference host').optional(),
  /**
   * The instance's Tracardi index settings (env ELASTIC_INDEX_SHARDS, ELASTIC_CONF_INDEX_SHARDS,
   * ELASTIC_INDEX_REPLICAS): they fix how many shards each new tenant costs.
   */
  footprint: z
    .object({
      indexShards: z.number().int().min(1).max(64).default(3),
      confShards: z.number().int().min(1).max(64).default(1),
      replicas: z.number().int().min(0).max(8).default(1),
    })
    .default({ indexShards: 3, confShards: 1, replicas: 1 }),
  /** Operator estimate of bytes per tenant when the instance has no tenants to learn from. */
  bytesPerTenantEstimate: z.number().int().positive().optional(),
});

/** Tracardi asks the TMS for every multi-tenant install: without its URL no tenant can be created. */
export function requireTmsUrl(v: { tenancy: TenancyMode; tmsUrl?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.tenancy === 'multi-tenant' && v.tmsUrl === undefined)
    ctx.addIssue({ code: 'custom', path: ['tmsUrl'], message: 'a multi-tenant instance needs its TMS URL' });
}

export const instanceSchema = instanceFieldsSchema.superRefine(requireTmsUrl);
export type Instance = z.infer<typeof instanceSchema>;
export type InstanceInput = z.input<typeof instanceSchema>;

type EsInput = InstanceInput['es'];
/** A change to an instance: each field it names is replaced; `es`, `es.tls` and `footprint` merge. */
export type InstancePatch = {
  [K in keyof Omit<InstanceInput, 'es' | 'footprint'>]?: InstanceInput[K] | null;
} & {
  es?: Partial<Omit<EsInput, 'tls'>> & { tls?: Partial<NonNullable<EsInput['tls']>> };
  footprint?: Partial<NonNullable<InstanceInput['footprint']>>;
};

/** Kinds of secret an instance may hold in the keychain. */
export const SECRET_KINDS = ['es-password', 'es-api-key', 'tms-api-key'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** Which secrets an instance has stored (never their values). */
export type SecretPresence = Record<SecretKind, boolean>;
