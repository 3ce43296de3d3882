/**
 * The pure parts of verification: DNS verdict, artefact matching against the instance's one
 * Elasticsearch listing, and the status derivation (with its precedence).
 */
import { parseIndexName } from '../../../shared/instances/index-naming';
import type { Instance } from '../../../shared/instances/instance';
import type {
  DnsEvidence,
  EsEvidence,
  IdentityEvidence,
  InstallEvidence,
  TenantRecord,
  TokenEvidence,
  VerifyStatus,
} from '../../../shared/tenants/tenant';
import { expectedArtifacts } from '../../../shared/instances/version-profiles';
import { normaliseAddress } from '../dns';
import { describeAnswered } from './identity';

/** Addresses of each known instance, to name the instance a misrouted domain points at. */
export type KnownInstances = { instanceId: string; addresses: string[] }[];

/**
 * Verdict on one domain: ok when every address it resolves to is one of the instance's; misrouted
 * otherwise (naming another known instance when the address is one of its); failed without an answer.
 * With no expectation (none configured, or the reference host did not resolve) only a domain that
 * points at ANOTHER known instance is flagged; anything else is 'not-checked'.
 */
export function evaluateDns(
  domain: string,
  answer: { addresses: string[] } | { error: string },
  expected: string[] | null,
  known: KnownInstances,
  selfId: string,
): DnsEvidence {
  const exp = (expected ?? []).map(normaliseAddress);
  if ('error' in answer) return { domain, addresses: [], expected: exp, outcome: 'failed', error: answer.error };
  const addresses = answer.addresses.map(normaliseAddress);
  const foreign = addresses.filter((a) => !exp.includes(a));
  const other = known.find(
    (k) => k.instanceId !== selfId && foreign.some((a) => k.addresses.map(normaliseAddress).includes(a)),
  );
  if (other) return { domain, addresses, expected: exp, outcome: 'misrouted', pointsAtInstance: other.instanceId };
  if (exp.length === 0)
    return {
      domain,
      addresses,
      expected: exp,
      outcome: 'not-checked',
      ...(expected === null ? { error: 'expected addresses unknown' } : {}),
    };
  if (foreign.length > 0 || addresses.length === 0) return { domain, addresses, expected: exp, outcome: 'misrouted' };
  return { domain, addresses, expected: exp, outcome: 'ok' };
}

/** One Elasticsearch listing of an instance: names only, fetched once per run. */
export interface EsListing {
  indices: Set<string>;
  /** `${context}|${dbVersion}|${tenant}|${type}` of every partitioned index present. */
  partitionFamilies: Set<string>;
  aliases: Set<string>;
  templates: Set<string>;
}

export function buildListing(indices: string[], aliases: string[], templates: string[]): EsListing {
  const partitionFamilies = new Set<string>();
  for (const name of indices) {
    const p = parseIndexName(name);
    if (p?.partition !== undefined) partitionFamilies.add(`${p.context}|${p.dbVersion}|${p.tenant}|${p.type}`);
  }
  return { indices: new Set(indices), partitionFamilies, aliases: new Set(aliases), templates: new Set(templates) };
}

/** Which of the tenant's expected artefacts the listing holds. Any partition counts for a partitioned type. */
export function evaluateEs(tenant: string, version: Instance['tracardiVersion'], listing: EsListing): EsEvidence {
  const exp = expectedArtifacts(tenant, version);
  const db = version === '0.8.x' ? '0820' : '09x';
  const missing: string[] = [];
  let indicesFound = 0;
  for (const name of exp.plainIndices) {
    if (listing.indices.has(name)) indicesFound++;
    else missing.push(name);
  }
  for (const p of exp.partitionedTypes) {
    if (listing.partitionFamilies.has(`${p.context}|${db}|${tenant}|${p.type}`)) indicesFound++;
    else missing.push(`${p.indexPrefix}-*`);
  }
  const aliasesFound = exp.aliases.filter((a) => listing.aliases.has(a) || (missing.push(a), false)).length;
  const templatesFound = exp.templates.filter((t) => listing.templates.has(t) || (missing.push(t), false)).length;
  const indicesExpected = exp.plainIndices.length + exp.partitionedTypes.length;
  const expectedTotal = indicesExpected + exp.aliases.length + exp.templates.length;
  const found = indicesFound + aliasesFound + templatesFound;
  const outcome = found === expectedTotal ? 'complete' : found === 0 ? 'none' : 'partial';
  return {
    outcome,
    indicesExpected,
    indicesFound,
    aliasesExpected: exp.aliases.length,
    aliasesFound,
    templatesExpected: exp.templates.length,
    templatesFound,
    missing: missing.slice(0, 20),
  };
}

/** ES evidence when the listing could not be read. */
export function esCouldNotTell(error: string, tenant?: string, version?: Instance['tracardiVersion']): EsEvidence {
  const exp = tenant && version ? expectedArtifacts(tenant, version) : null;
  return {
    outcome: 'could-not-tell',
    indicesExpected: exp ? exp.plainIndices.length + exp.partitionedTypes.length : 0,
    indicesFound: 0,
    aliasesExpected: exp?.aliases.length ?? 0,
    aliasesFound: 0,
    templatesExpected: exp?.templates.length ?? 0,
    templatesFound: 0,
    missing: [],
    error,
  };
}

export interface StatusInput {
  record: Pick<TenantRecord, 'state'> & Partial<Pick<TenantRecord, 'installedAt' | 'handedOverAt' | 'revokedAt'>>;
  dns: { api: DnsEvidence; gui: DnsEvidence };
  install: InstallEvidence;
  es: EsEvidence;
  token: TokenEvidence;
  /** Who answered on the API URL; absent where no identity check ran. */
  identity?: IdentityEvidence;
}

/**
 * Status precedence, first match wins (docs/verification.md):
 * misrouted > wrong-instance > unreachable > drift > installed > partial > revoked > expired >
 * unknown-to-instance > handed-over > registered. One exception: a record of another tenant than
 * the one a single-tenant instance serves is unknown-to-instance right after unreachable (the
 * instance never answers for it, so nothing else about it can be told).
 */
export const STATUS_PRECEDENCE: readonly VerifyStatus[] = [
  'misrouted',
  'wrong-instance',
  'unreachable',
  'drift',
  'installed',
  'partial',
  'revoked',
  'expired',
  'unknown-to-instance',
  'handed-over',
  'registered',
];

/** One status and a one-line reason from the evidence. Pure. */
export function deriveStatus(input: StatusInput): { status: VerifyStatus; summary: string } {
  const { record, dns, install, es, token, identity } = input;
  const domains = [
    ['API', dns.api],
    ['GUI', dns.gui],
  ] as const;

  const misrouted = domains.find(([, d]) => d.outcome === 'misrouted');
  if (misrouted) {
    const [which, d] = misrouted;
    const where = d.pointsAtInstance ? `instance "${d.pointsAtInstance}"` : 'an address that is not this instance';
    const addrs = d.addresses.length ? d.addresses.join(', ') : 'nothing';
    return {
      status: 'misrouted',
      summary: `${which} domain ${d.domain} resolves to ${addrs}: ${where} (expected ${d.expected.join(', ') || '?'}).`,
    };
  }

  // Nothing another Tracardi says about this tenant is evidence about it: not drift, not installed.
  if (identity?.outcome === 'mismatch' && identity.answered) {
    return {
      status: 'wrong-instance',
      summary: `Another Tracardi answers on the API URL${identity.host ? ` (Host ${identity.host})` : ''}: ${describeAnswered(identity.answered)}; ${identity.mismatches.join('; ')}.`,
    };
  }
  const dnsFailed = domains.find(([, d]) => d.outcome === 'failed');
  if (install.outcome === 'could-not-tell') {
    return {
      status: 'unreachable',
      // The error already reads "Tracardi's database is not reachable (GET /install answered …)".
      summary:
        install.database === 'unreachable'
          ? `${install.error ?? "Tracardi's database is not reachable"}.`
          : `Could not tell: Tracardi GET /install ${install.error ?? 'gave no usable answer'}.`,
    };
  }
  if (es.outcome === 'could-not-tell') {
    return {
      status: 'unreachable',
      summary: `Could not tell: Elasticsearch listing failed (${es.error ?? 'no answer'}).`,
    };
  }
  // A Host the instance refuses (too short, only digits) is refused by both endpoints: that is the
  // install probe's unknown-tenant verdict, not a failure to tell who answers.
  if (identity?.outcome === 'could-not-tell' && install.outcome !== 'unknown-tenant') {
    return {
      status: 'unreachable',
      summary: `Could not tell who answers on the API URL: GET /info/version/details ${identity.error ?? 'gave no usable answer'}.`,
    };
  }
  if (identity?.servesOnly !== undefined) {
    return {
      status: 'unknown-to-instance',
      summary: `This single-tenant instance serves only tenant "${identity.servesOnly}": it ignores the Host and never answers for this tenant.`,
    };
  }
  if (dnsFailed) {
    const [which, d] = dnsFailed;
    const lead = install.outcome === 'installed' ? 'Installed, but the' : 'The';
    return {
      status: 'unreachable',
      summary: `${lead} ${which} domain has no address: ${d.error ?? `${d.domain} does not resolve`}.`,
    };
  }

  const saysInstalled = install.outcome === 'installed';
  const wasInstalled = record.state === 'installed' || record.installedAt !== undefined;
  const artefacts = `${es.indicesFound}/${es.indicesExpected} indices, ${es.aliasesFound}/${es.aliasesExpected} aliases, ${es.templatesFound}/${es.templatesExpected} templates`;
  const firstMissing = es.missing.slice(0, 3).join(', ');

  if ((wasInstalled || saysInstalled) && !(saysInstalled && es.outcome === 'complete')) {
    const since = record.installedAt ? ` (installed ${record.installedAt.slice(0, 10)})` : '';
    if (es.outcome !== 'complete') {
      const who = saysInstalled ? 'Tracardi reports installed' : 'Was installed' + since;
      return { status: 'drift', summary: `${who}, but artefacts are missing: ${artefacts}; e.g. ${firstMissing}.` };
    }
    return { status: 'drift', summary: `Was installed${since}, but Tracardi now reports ${describeInstall(install)}.` };
  }
  if (saysInstalled) return { status: 'installed', summary: `Installed: schema and admin ok; ${artefacts}.` };

  if (es.outcome === 'partial' || es.outcome === 'complete') {
    return {
      status: 'partial',
      summary: `Partly installed: ${artefacts}; Tracardi reports ${describeInstall(install)}.`,
    };
  }
  if (record.state === 'revoked') {
    return {
      status: 'revoked',
      summary: `Token revoked${record.revokedAt ? ` on ${record.revokedAt.slice(0, 10)}` : ''}; not installed.`,
    };
  }
  if (token.expired) {
    return {
      status: 'expired',
      summary: `Not installed and the installation token expired${token.expiresAt ? ` on ${token.expiresAt.slice(0, 10)}` : ''}; rotate it to hand over a new one.`,
    };
  }
  if (install.outcome === 'unknown-tenant') {
    return {
      status: 'unknown-to-instance',
      summary: `The instance does not accept this tenant: ${describeInstall(install)}.`,
    };
  }
  // Before 0.9's first install its database does not exist: say so, it explains every false field.
  const noDatabase =
    install.database === 'not-created' ? " (Tracardi's database does not exist yet: nothing was installed there)" : '';
  if (record.state === 'handed-over') {
    return {
      status: 'handed-over',
      summary: `Token handed over${record.handedOverAt ? ` on ${record.handedOverAt.slice(0, 10)}` : ''}; not installed yet${noDatabase}.`,
    };
  }
  return { status: 'registered', summary: `Registered; token not handed over; not installed${noDatabase}.` };
}

function describeInstall(i: InstallEvidence): string {
  if (i.outcome === 'unknown-tenant') {
    const why = i.warnings?.length
      ? i.warnings.join('; ')
      : (i.error ?? (i.formOk === false ? 'form_ok=false' : 'tenant unknown'));
    return `unknown tenant (${why.slice(0, 160)})`;
  }
  const flags = `schema_ok=${String(i.schemaOk ?? null)}, admin_ok=${String(i.adminOk ?? null)}`;
  return i.database === 'not-created' ? `no database yet (${flags})` : flags;
}
