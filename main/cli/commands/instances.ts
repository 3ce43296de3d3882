/**
 * `tenantctl instances add|update|list|show|test|remove`: the instance service, headless.
 * Secrets only through stdin or a hidden prompt (`--*-stdin` flags), never as argument values.
 */
import net from 'node:net';
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { servedTenant } from '../../../shared/tenants/adoption';
import { ConsoleError, describeIssues } from '../../../shared/errors/errors';
import {
  instanceSchema,
  SECRET_KINDS,
  secretHomeOf,
  type Instance,
  type SecretKind,
  type UrlSecretHome,
} from '../../../shared/instances/instance';
import type { InstanceDetails, InstanceSecrets, InstanceSummary } from '../../services/instances';
import type { CliContext } from '../context';
import type { ConnectionCheck } from '../../../shared/contract/contract-shapes';
import { EXIT_FAILURE, formatFields, formatTable, printJson, printLines, warn } from '../output';

interface AddOptions {
  id?: string;
  name?: string;
  env?: string;
  colour?: string;
  apiUrl?: string;
  guiPattern?: string;
  suffix?: string;
  version?: string;
  tmsUrl?: string;
  tenancy?: string;
  tenantName?: string;
  esNode: string[];
  esAuth?: string;
  esUser?: string;
  esTimeoutMs?: string;
  caFile?: string;
  caFingerprint?: string;
  insecureSkipTlsVerify?: boolean;
  expectedIp: string[];
  referenceHost?: string;
  bytesPerTenant?: string;
  indexShards?: string;
  confShards?: string;
  replicas?: string;
  esPasswordStdin?: boolean;
  esApiKeyStdin?: boolean;
  tmsApiKeyStdin?: boolean;
  json?: boolean;
}

/** Field path in the instance schema → the flag that sets it (for error messages). */
const FLAG_FOR_PATH: Record<string, string> = {
  id: '--id',
  name: '--name',
  environment: '--env',
  colour: '--colour',
  apiUrl: '--api-url',
  guiUrlPattern: '--gui-pattern',
  tenantDomainSuffix: '--suffix',
  tracardiVersion: '--version',
  tmsUrl: '--tms-url',
  tenancy: '--tenancy',
  singleTenantName: '--tenant-name',
  'es.nodes': '--es-node',
  'es.auth': '--es-auth',
  'es.auth.type': '--es-auth',
  'es.auth.username': '--es-user',
  'es.timeoutMs': '--es-timeout-ms',
  'es.tls.caFile': '--ca-file',
  'es.tls.caFingerprint': '--ca-fingerprint',
  expectedAddresses: '--expected-ip',
  referenceHost: '--reference-host',
  bytesPerTenantEstimate: '--bytes-per-tenant',
  'footprint.indexShards': '--index-shards',
  'footprint.confShards': '--conf-shards',
  'footprint.replicas': '--replicas',
};

function flagFor(path: readonly PropertyKey[]): string {
  const full = path.map(String).join('.');
  // es.nodes.0 → --es-node
  for (let n = path.length; n > 0; n--) {
    const key = path.slice(0, n).map(String).join('.');
    if (FLAG_FOR_PATH[key]) return FLAG_FOR_PATH[key]!;
  }
  return full || 'input';
}

/** The flags a credential goes in instead of a URL (the schema's message words it for every shell). */
const SECRET_FLAGS: Record<UrlSecretHome, string> = {
  apiUrl: '',
  tmsUrl: ' (--tms-api-key-stdin)',
  esNode: ' (--es-user and --es-password-stdin)',
};

function describeForFlags(error: z.ZodError): string {
  return describeIssues(error, flagFor, (issue) => {
    const home = secretHomeOf(issue);
    return home ? SECRET_FLAGS[home] : '';
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseWholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new ConsoleError('validation', `${flag}: must be a whole number, got "${value.slice(0, 40)}".`);
  return Number(value);
}

/** Turn the flags into an instance input (only the given fields, so schema defaults apply). */
export function instanceInputFromFlags(o: AddOptions): Record<string, unknown> {
  const authType = o.esAuth ?? (o.esUser !== undefined ? 'basic' : 'none');
  if (o.esUser !== undefined && authType !== 'basic') {
    throw new ConsoleError('validation', `--es-user goes with --es-auth basic (got --es-auth ${authType}).`);
  }
  for (const ip of o.expectedIp) {
    if (net.isIP(ip) === 0)
      throw new ConsoleError('validation', `--expected-ip: "${ip.slice(0, 60)}" is not an IPv4 or IPv6 address.`);
  }
  const tls: Record<string, unknown> = { verify: !o.insecureSkipTlsVerify };
  if (o.caFile !== undefined) tls.caFile = o.caFile;
  if (o.caFingerprint !== undefined) tls.caFingerprint = o.caFingerprint;
  const es: Record<string, unknown> = {
    nodes: o.esNode,
    auth: authType === 'basic' ? { type: 'basic', username: o.esUser } : { type: authType },
    tls,
  };
  const timeout = parseWholeNumber(o.esTimeoutMs, '--es-timeout-ms');
  if (timeout !== undefined) es.timeoutMs = timeout;

  const input: Record<string, unknown> = { es, expectedAddresses: o.expectedIp };
  const simple: [keyof AddOptions, string][] = [
    ['id', 'id'],
    ['name', 'name'],
    ['env', 'environment'],
    ['colour', 'colour'],
    ['apiUrl', 'apiUrl'],
    ['guiPattern', 'guiUrlPattern'],
    ['suffix', 'tenantDomainSuffix'],
    ['version', 'tracardiVersion'],
    ['tmsUrl', 'tmsUrl'],
    ['tenancy', 'tenancy'],
    ['tenantName', 'singleTenantName'],
    ['referenceHost', 'referenceHost'],
  ];
  for (const [flag, field] of simple) if (o[flag] !== undefined) input[field] = o[flag];
  const bytes = parseWholeNumber(o.bytesPerTenant, '--bytes-per-tenant');
  if (bytes !== undefined) input.bytesPerTenantEstimate = bytes;
  const footprint: Record<string, number> = {};
  const indexShards = parseWholeNumber(o.indexShards, '--index-shards');
  const confShards = parseWholeNumber(o.confShards, '--conf-shards');
  const replicas = parseWholeNumber(o.replicas, '--replicas');
  if (indexShards !== undefined) footprint.indexShards = indexShards;
  if (confShards !== undefined) footprint.confShards = confShards;
  if (replicas !== undefined) footprint.replicas = replicas;
  if (Object.keys(footprint).length > 0) input.footprint = footprint;
  return input;
}

function authLine(instance: Instance): string {
  const auth = instance.es.auth;
  if (auth.type === 'basic') return `basic (user ${auth.username})`;
  return auth.type === 'apiKey' ? 'API key' : 'none';
}

function tlsLine(instance: Instance): string {
  const tls = instance.es.tls;
  const parts = [tls.verify ? 'verification on' : 'VERIFICATION OFF'];
  if (tls.caFile) parts.push(`CA file ${tls.caFile}`);
  if (tls.caFingerprint) parts.push(`CA fingerprint ${tls.caFingerprint}`);
  return parts.join('; ');
}

function secretsLine(details: Pick<InstanceDetails, 'secrets' | 'keychainProblem'>): string {
  const { secrets } = details;
  if (!secrets) return `unknown (${details.keychainProblem?.code ?? 'keychain'})`;
  return SECRET_KINDS.map((k) => `${k}: ${secrets[k] ? 'stored' : '-'}`).join(', ');
}

function showLines(summary: InstanceSummary, secrets: string): string[] {
  const i = summary.instance;
  return [
    `${i.name} (${i.id})`,
    ...formatFields([
      ['environment', `${i.environment} ${i.colour}`],
      ['Tracardi', `${i.tracardiVersion} ${i.apiUrl}`],
      ['GUI pattern', i.guiUrlPattern],
      ['tenant suffix', i.tenantDomainSuffix],
      ['tenancy', i.tenancy === 'single-tenant' ? `single-tenant, serves ${servedTenant(i)}` : 'multi-tenant'],
      ['TMS', i.tmsUrl ?? '- (single-tenant: none)'],
      ['ES nodes', i.es.nodes.join(', ')],
      ['ES auth', authLine(i)],
      ['ES TLS', tlsLine(i)],
      ['ES timeout', `${i.es.timeoutMs} ms`],
      ['expected IPs', i.expectedAddresses.length ? i.expectedAddresses.join(', ') : '-'],
      ['reference host', i.referenceHost ?? '-'],
      [
        'index footprint',
        `${i.footprint.indexShards} shards/index, ${i.footprint.confShards} shards/config index, ${i.footprint.replicas} replica(s)`,
      ],
      ['bytes/tenant est.', i.bytesPerTenantEstimate !== undefined ? String(i.bytesPerTenantEstimate) : '-'],
      ['secrets', secrets],
    ]).map((l) => `  ${l}`),
  ];
}

function tenancyOption(): Option {
  return new Option(
    '--tenancy <mode>',
    'multi-tenant (tenants by Host, tokens in the TMS; default) or single-tenant (one tenant, one INSTALLATION_TOKEN)',
  ).choices(['multi-tenant', 'single-tenant']);
}

interface UpdateOptions {
  name?: string;
  apiUrl?: string;
  version?: string;
  tmsUrl?: string;
  tenancy?: string;
  tenantName?: string;
  tmsApiKeyStdin?: boolean;
  json?: boolean;
}

/** The patch an update's flags describe: only what is given; `none`/`default` removes the field. */
export function patchFromFlags(o: UpdateOptions): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (o.name !== undefined) patch.name = o.name;
  if (o.apiUrl !== undefined) patch.apiUrl = o.apiUrl;
  if (o.version !== undefined) patch.tracardiVersion = o.version;
  if (o.tenancy !== undefined) patch.tenancy = o.tenancy;
  if (o.tmsUrl !== undefined) patch.tmsUrl = o.tmsUrl === 'none' ? null : o.tmsUrl;
  if (o.tenantName !== undefined) patch.singleTenantName = o.tenantName === 'default' ? null : o.tenantName;
  return patch;
}

/** Register `instances add|update|list|show|remove`. */
export function registerInstancesCommands(program: Command, ctx: CliContext): void {
  const instances = program
    .command('instances')
    .description('manage Tracardi instances (settings in config.json, secrets in the OS keychain)');

  instances
    .command('add')
    .description('add an instance; secrets are read from stdin (one line each, in flag order) or prompted for')
    .option('--id <id>', 'stable id: lower-case letters, digits, dashes')
    .option('--name <name>', 'display name')
    .addOption(
      new Option('--env <environment>', 'environment label').choices(['production', 'staging', 'development', 'test']),
    )
    .option('--colour <#rrggbb>', 'environment badge colour')
    .option('--api-url <url>', 'Tracardi API URL')
    .option('--gui-pattern <pattern>', 'GUI URL pattern with {label}/{tenant}/{suffix}')
    .option('--suffix <domain>', 'tenant domain suffix, e.g. instance1.domain.com')
    .addOption(new Option('--version <profile>', 'Tracardi version profile').choices(['0.8.x', '0.9.x']))
    .option('--tms-url <url>', 'Tenant Management Service URL (not for a single-tenant instance)')
    .addOption(tenancyOption())
    .option('--tenant-name <name>', "single-tenant: the instance's TENANT_NAME (default: the version's default tenant)")
    .option('--es-node <url>', 'Elasticsearch node URL (repeatable)', collect, [])
    .addOption(
      new Option('--es-auth <type>', 'Elasticsearch auth (default: basic with --es-user, else none)').choices([
        'none',
        'basic',
        'apiKey',
      ]),
    )
    .option('--es-user <username>', 'Elasticsearch user for basic auth')
    .option('--es-timeout-ms <ms>', 'per-request Elasticsearch timeout')
    .option('--ca-file <path>', 'PEM CA bundle for the Elasticsearch nodes')
    .option('--ca-fingerprint <sha256>', 'SHA-256 fingerprint of the Elasticsearch CA')
    .option(
      '--insecure-skip-tls-verify',
      'turn TLS certificate verification OFF for this instance (shown as a warning everywhere)',
    )
    .option('--expected-ip <address>', 'expected address of the tenant domains (repeatable)', collect, [])
    .option('--reference-host <host>', 'host whose addresses are the expected ones')
    .option('--bytes-per-tenant <bytes>', 'estimated bytes per tenant (when there are no tenants to learn from)')
    .option('--index-shards <n>', 'Tracardi ELASTIC_INDEX_SHARDS of this instance (default 3)')
    .option('--conf-shards <n>', 'Tracardi ELASTIC_CONF_INDEX_SHARDS of this instance (default 1)')
    .option('--replicas <n>', 'Tracardi ELASTIC_INDEX_REPLICAS of this instance (default 1)')
    .option('--es-password-stdin', 'read the Elasticsearch password from stdin (or a prompt)')
    .option('--es-api-key-stdin', 'read the Elasticsearch API key from stdin (or a prompt)')
    .option('--tms-api-key-stdin', 'read the TMS API key from stdin (or a prompt)')
    .option('--json', 'print the added instance as JSON')
    .action(async (opts: AddOptions) => {
      const input = instanceInputFromFlags(opts);
      // Check the flags before reading any secret, and name the flag in the message.
      const parsed = instanceSchema.safeParse(input);
      if (!parsed.success) throw new ConsoleError('validation', `Invalid instance: ${describeForFlags(parsed.error)}`);

      const wanted: [SecretKind, string][] = [];
      if (opts.esPasswordStdin) wanted.push(['es-password', 'Elasticsearch password']);
      if (opts.esApiKeyStdin) wanted.push(['es-api-key', 'Elasticsearch API key']);
      if (opts.tmsApiKeyStdin) wanted.push(['tms-api-key', 'TMS API key']);
      const core = await ctx.core();
      // Settings problems and conflicts are reported before the operator types a secret.
      core.settings.assertWritable();
      const values = await ctx.readSecrets(wanted.map(([, label]) => label));
      const secrets: InstanceSecrets = {};
      wanted.forEach(([kind], i) => {
        secrets[kind] = values[i]!;
      });

      const added = await core.instances.add(parsed.data, secrets);
      for (const w of added.warnings) warn(w.message, ctx.streams);
      if (opts.json) printJson(added, ctx.streams);
      else
        printLines(
          [`Added instance ${added.instance.id} (${added.instance.name}); secrets: ${secretsLine(added)}.`],
          ctx.streams,
        );
    });

  instances
    .command('update')
    .description(
      'change an instance: its tenancy, tenant name, TMS URL, API URL, version or name (only the flags given)',
    )
    .argument('<id>', 'instance id')
    .option('--name <name>', 'display name')
    .option('--api-url <url>', 'Tracardi API URL')
    .addOption(new Option('--version <profile>', 'Tracardi version profile').choices(['0.8.x', '0.9.x']))
    .option('--tms-url <url>', 'Tenant Management Service URL, or "none" (single-tenant)')
    .addOption(tenancyOption())
    .option('--tenant-name <name>', 'single-tenant: the instance\'s TENANT_NAME, or "default" for the version default')
    .option('--tms-api-key-stdin', 'read a new TMS API key from stdin (or a prompt)')
    .option('--json', 'print the instance as JSON')
    .action(async (id: string, opts: UpdateOptions) => {
      const patch = patchFromFlags(opts);
      const core = await ctx.core();
      core.settings.assertWritable();
      const secrets: InstanceSecrets = {};
      if (opts.tmsApiKeyStdin) [secrets['tms-api-key']] = await ctx.readSecrets(['TMS API key']);
      if (Object.keys(patch).length === 0 && Object.keys(secrets).length === 0)
        throw new ConsoleError('validation', 'Nothing to update: give at least one flag (see --help).', {
          instanceId: id,
        });
      const updated = await core.instances.update(id, patch, secrets);
      for (const w of updated.warnings) warn(w.message, ctx.streams);
      if (opts.json) printJson(updated, ctx.streams);
      else printLines([`Updated instance ${id}.`, ...showLines(updated, secretsLine(updated)).slice(1)], ctx.streams);
    });

  instances
    .command('list')
    .description('list instances (TLS verification off is flagged)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const core = await ctx.core();
      const list = await core.instances.list();
      for (const s of list) for (const w of s.warnings) warn(w.message, ctx.streams);
      if (opts.json) {
        printJson(list, ctx.streams);
        return;
      }
      if (list.length === 0) {
        printLines([`No instances (settings: ${core.settings.path}).`], ctx.streams);
        return;
      }
      const rows = list.map(({ instance: i, tlsVerifyOff }) => [
        i.id,
        i.name,
        i.environment,
        i.tracardiVersion,
        i.apiUrl,
        i.es.nodes.join(','),
        tlsVerifyOff ? 'OFF (insecure)' : 'verify',
      ]);
      printLines(formatTable(['ID', 'NAME', 'ENV', 'VERSION', 'API', 'ES NODES', 'TLS'], rows), ctx.streams);
    });

  instances
    .command('show')
    .description('show one instance and which secrets it has (never their values)')
    .argument('<id>', 'instance id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const core = await ctx.core();
      // The settings are worth showing even when the keychain cannot say which secrets exist.
      const details = await core.instances.details(id);
      for (const w of details.warnings) warn(w.message, ctx.streams);
      if (details.keychainProblem)
        warn(`cannot tell which secrets are stored: ${details.keychainProblem.message}`, ctx.streams);
      if (opts.json) {
        printJson(details, ctx.streams);
        return;
      }
      printLines(showLines(details, secretsLine(details)), ctx.streams);
    });

  instances
    .command('test')
    .description(
      'check the Tracardi API, its TMS and its Elasticsearch with the stored settings and secrets, and say which tenancy the instance reports; exit 1 when a check fails',
    )
    .argument('<id>', 'instance id')
    .option('--json', 'print the checks as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const core = await ctx.core();
      const { instance, warnings } = await core.instances.get(id);
      for (const w of warnings) warn(w.message, ctx.streams);
      const secrets = await core.instances.resolveSecrets(id);
      // Loaded here only: the Elasticsearch client and the HTTP clients are not every command's.
      const { testConnection } = await import('../../services/connection-check');
      const checks = await testConnection(instance, secrets);
      if (checks.some((c) => !c.ok)) process.exitCode = EXIT_FAILURE;
      if (opts.json) {
        printJson(checks, ctx.streams);
        return;
      }
      printLines(connectionLines(instance, checks), ctx.streams);
    });

  instances
    .command('remove')
    .description('remove an instance and every secret it has in the keychain')
    .argument('<id>', 'instance id')
    .option('--force', 'also remove the tenant records of this instance and their tokens')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { force?: boolean; json?: boolean }) => {
      const core = await ctx.core();
      const result = await core.instances.remove(id, { force: opts.force === true });
      if (opts.json) {
        printJson(result, ctx.streams);
        return;
      }
      const tenants = result.tenantsRemoved ? `, ${result.tenantsRemoved} tenant record(s)` : '';
      printLines(
        [
          `Removed instance ${result.removed} (${result.secretsDeleted.length} secret(s) deleted from the keychain${tenants}).`,
        ],
        ctx.streams,
      );
    });
}

/** The checks as a table, the tenancy the instance reports, and where a missing secret goes. */
function connectionLines(instance: Instance, checks: ConnectionCheck[]): string[] {
  const lines = formatTable(
    ['SERVICE', 'RESULT', 'DETAIL'],
    // The service words a missing key for the form; here the hint below says which flag stores it.
    checks.map((c) => [c.target, c.ok ? 'ok' : 'FAILED', noTmsKey(c) ? 'No TMS API key in the keychain.' : c.detail]),
  );
  const tenancy = checks.find((c) => c.tenancy !== undefined)?.tenancy;
  if (tenancy) {
    const name = tenancy.tenantName === undefined ? '' : ` (tenant ${tenancy.tenantName})`;
    const differs =
      tenancy.mode === instance.tenancy ? '' : `; configured as ${instance.tenancy}: see instances update --tenancy`;
    lines.push(`Detected: ${tenancy.mode}${name}, ${tenancy.how}${differs}.`);
  }
  const reported = checks.find((c) => c.versionProfile !== undefined)?.versionProfile;
  if (reported !== undefined)
    lines.push(
      `Version profile: registered as ${instance.tracardiVersion}, but the instance reports a ${reported} version; set it with: tenantctl instances update ${instance.id} --version ${reported}`,
    );
  if (checks.some(noTmsKey))
    lines.push(`Store the TMS API key with: tenantctl instances update ${instance.id} --tms-api-key-stdin`);
  return lines;
}

function noTmsKey(check: ConnectionCheck): boolean {
  return check.target === 'tms' && !check.ok && check.detail.startsWith('No TMS API key');
}
