/**
 * zod's default messages ("Too big: expected string to have <=80 characters", "Invalid input:
 * expected number, received undefined") in an operator's words ("at most 80 characters", "required"),
 * and the calls' argument names as the operator knows them. A schema's own message always wins: this
 * only words what a schema left to zod. Installed for every parse by `installSchemaWords` (zod's global
 * error map), which contract.ts and instance.ts call when they load, so every shell gets the same words.
 */
import { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: 'a date',
  bigint: 'a whole number',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'not a valid e-mail address',
  url: 'not a valid URL',
  uuid: 'not a valid id',
  guid: 'not a valid id',
  regex: 'not in the expected form',
  datetime: 'not a valid date and time',
  date: 'not a valid date',
  ipv4: 'not a valid IPv4 address',
  ipv6: 'not a valid IPv6 address',
};

function unit(origin: unknown, n: number): string {
  if (origin === 'string') return `${n} character${n === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${n} entr${n === 1 ? 'y' : 'ies'}`;
  return String(n);
}

function quoted(values: readonly unknown[]): string {
  const shown = values.slice(0, 6).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return `${shown.join(', ')}${values.length > 6 ? ', …' : ''}`;
}

/** An issue zod would word by itself, in an operator's words (undefined: leave zod's). */
export function schemaWords(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'int' || issue.origin === 'number' || issue.origin === 'bigint')
        return issue.inclusive === false ? `less than ${max}` : `at most ${max}`;
      return `at most ${unit(issue.origin, max)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return 'is required';
      if (issue.origin === 'array' && min === 1) return 'at least one entry is required';
      if (issue.origin === 'int' || issue.origin === 'number' || issue.origin === 'bigint')
        return issue.inclusive === false ? `more than ${min}` : `at least ${min}`;
      return `at least ${unit(issue.origin, min)}`;
    }
    case 'invalid_format':
      return FORMAT_WORDS[issue.format] ?? 'not in the expected form';
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${quoted(issue.values)}` : `one of: ${quoted(issue.values)}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `not a field here: ${issue.keys.slice(0, 5).join(', ')}`;
    case 'invalid_union':
      return 'not one of the accepted forms';
    case 'invalid_key':
      return 'a name that is not accepted here';
    case 'invalid_element':
      return 'an entry that is not accepted here';
    case 'custom':
      return 'not accepted';
    default:
      return undefined;
  }
}

/** Word every parse's default messages with `schemaWords` (zod's global error map). */
export function installSchemaWords(): void {
  z.config({ customError: schemaWords });
}

/** The calls' argument and field names as the operator knows them (the last key of a path names it). */
const FIELD_WORDS: Record<string, string> = {
  id: 'the instance id',
  instance: 'the instance',
  patch: 'the instance',
  es: 'the Elasticsearch connection',
  auth: 'the Elasticsearch sign-in',
  tls: 'the TLS settings',
  footprint: 'the index settings',
  secrets: 'the secrets',
  instanceId: 'the instance',
  tenant: 'the tenant name',
  domain: 'the API domain',
  guiDomain: 'the GUI domain',
  email: 'the contact e-mail',
  tokenLifetimeDays: 'the token lifetime (days)',
  capacityOverrideReason: 'the capacity override reason',
  token: 'the installation token',
  force: 'Force',
  name: 'the display name',
  environment: 'the environment',
  colour: 'the colour',
  apiUrl: 'the Tracardi API URL',
  guiUrlPattern: 'the GUI URL pattern',
  tenantDomainSuffix: 'the tenant domain suffix',
  tracardiVersion: 'the Tracardi version',
  tenancy: 'the tenancy',
  singleTenantName: 'the tenant name (TENANT_NAME)',
  tmsUrl: 'the TMS URL',
  nodes: 'the Elasticsearch node URLs',
  username: 'the Elasticsearch username',
  caPem: 'the CA bundle',
  caFingerprint: 'the CA fingerprint',
  timeoutMs: 'the Elasticsearch timeout',
  expectedAddresses: 'the expected addresses',
  referenceHost: 'the reference host',
  indexShards: 'the index shards (ELASTIC_INDEX_SHARDS)',
  confShards: 'the configuration index shards (ELASTIC_CONF_INDEX_SHARDS)',
  replicas: 'the replicas (ELASTIC_INDEX_REPLICAS)',
  bytesPerTenantEstimate: 'the bytes per tenant estimate',
  clipboardClearSeconds: 'the clipboard clearing time',
  theme: 'the theme',
  intervalMinutes: 'the watch interval',
  range: 'the history range',
  count: 'the number of tenants',
  limit: 'the number of rows',
  format: 'the report format',
  findingIds: 'the repair findings',
  jobId: 'the verification job',
  since: 'the position in the feed',
  scope: 'what to verify',
  selection: 'the selected tenants',
  concurrency: 'the number of checks at once',
  version: 'the Tracardi version',
  paused: 'Pause',
  quick: 'the quick check',
  action: 'the action',
};

/** A field path in an operator's words: its last named key ("es.nodes.0" → "the Elasticsearch node URLs"). */
export function fieldWords(path: readonly PropertyKey[]): string {
  const keys = path.filter((k): k is string => typeof k === 'string');
  const last = keys[keys.length - 1];
  if (last === undefined) return '';
  return FIELD_WORDS[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
