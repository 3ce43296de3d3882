/**
 * What a create would do with a domain: the tenant name and URLs derived from what the operator
 * typed, the collisions with records, journal, TMS and Elasticsearch, and capacity admission
 * (including the audited capacity override).
 */
import { servedTenant } from '../../../shared/tenants/adoption';
import { admitOneMore } from '../../../shared/capacity/capacity-model';
import type { CapacitySnapshot } from '../../../shared/capacity/capacity';
import { countOf } from '../../../shared/text/counts';
import { ConsoleError, toConsoleError, type Remedy } from '../../../shared/errors/errors';
import { dnsLengthProblem, quoteInput } from '../../../shared/text/input-rules';
import { parseWebAddress } from '../../../shared/text/web-address';
import type { Instance } from '../../../shared/instances/instance';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { describeOperator } from '../../../shared/team/operator';
import { checkTenantDomain, hasDomainUserinfo } from '../../../shared/tenants/tenant-domain';
import { completeTenantDomain } from '../../../shared/tenants/tenant-name';
import { previewVersion } from '../identity';
import type { TenantContext } from './tenant-context';
import type { PreviewInput, TenantKey, TenantPreview } from './types';

type Collision = TenantPreview['collisions'][number];

/** The tenant and its URLs, or why the input gives none. */
export type TenantPlan =
  | {
      ok: true;
      tenant: string;
      apiDomain: string;
      apiUrl: string;
      guiDomain: string;
      guiUrl: string;
      warnings: string[];
      /**
       * Those of `warnings` about the name rule (digits a letters-only Tracardi would drop): they
       * do not apply where Tracardi does not derive the name from the Host (a single-tenant instance).
       */
      nameRuleWarnings: string[];
    }
  | { ok: false; error: string; remedy?: Remedy };

/** `{label}`, `{tenant}`, `{suffix}` replaced. */
export function fillGuiPattern(pattern: string, values: { label: string; tenant: string; suffix: string }): string {
  return pattern
    .replaceAll('{label}', values.label)
    .replaceAll('{tenant}', values.tenant)
    .replaceAll('{suffix}', values.suffix);
}

function hostToAscii(host: string): string | null {
  try {
    const u = new URL(`http://${host.trim()}/`);
    return u.hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/** The tenant API URL: the instance API URL's scheme and port, the tenant's host. */
function tenantApiUrl(instance: Instance, apiDomain: string): string {
  const u = new URL(instance.apiUrl);
  return `${u.protocol}//${apiDomain}${u.port ? `:${u.port}` : ''}`;
}

/**
 * Derive the tenant and its URLs from what the operator typed (the form's rule, shared/tenants/tenant-domain.ts):
 * no credentials in a domain; a domain outside the instance's suffix only with `allowOutsideSuffix`
 * (then a warning), as an adopted tenant's existing domain may be.
 */
export function planTenant(
  instance: Instance,
  domainInput: string,
  guiDomainInput: string | undefined,
  options: { allowOutsideSuffix?: boolean | undefined } = {},
): TenantPlan {
  const suffix = instance.tenantDomainSuffix;
  const checked = checkTenantDomain(domainInput, suffix, { allowOutsideSuffix: options.allowOutsideSuffix === true });
  if (!checked.ok)
    return checked.code === 'outside-suffix'
      ? { ok: false, error: checked.message, remedy: 'allow-outside-suffix' }
      : { ok: false, error: checked.message };
  if (guiDomainInput && hasDomainUserinfo(guiDomainInput))
    return {
      ok: false,
      error: 'The GUI domain must not carry a user name or password (user:password@): enter the domain alone.',
    };
  const derived = checked;
  const apiDomain = derived.asciiHost;
  const warnings = derived.warnings.map((w) => w.message);
  const nameRuleWarnings = derived.warnings.filter((w) => w.code === 'letters-only-differs').map((w) => w.message);
  if (checked.outsideMessage) warnings.push(checked.outsideMessage);
  const label = apiDomain.split('.')[0]!;
  const domainSuffix = apiDomain.slice(label.length + 1);
  let guiUrl: string;
  let guiDomain: string;
  const filled = fillGuiPattern(instance.guiUrlPattern, { label, tenant: derived.tenant, suffix: domainSuffix });
  let patternUrl: URL | null = null;
  try {
    patternUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(filled) ? filled : `https://${filled}`);
  } catch {
    patternUrl = null;
  }
  // A pattern of another scheme (javascript://{label}) gives no GUI a browser should be sent to.
  if (patternUrl && patternUrl.protocol !== 'http:' && patternUrl.protocol !== 'https:')
    return {
      ok: false,
      error: `The GUI URL pattern of ${instance.id} ("${instance.guiUrlPattern.slice(0, 80)}") does not give an http:// or https:// URL.`,
    };
  if (guiDomainInput?.trim()) {
    // An http(s) address or a bare host (another scheme, user-info, a bad host refused as adopt does).
    const typed = parseWebAddress(guiDomainInput, 'The GUI domain', 'https:');
    if (!typed.ok) return { ok: false, error: typed.error };
    const ascii = hostToAscii(
      completeTenantDomain(
        guiDomainInput
          .trim()
          .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
          .replace(/\/.*$/, ''),
        suffix,
      ),
    );
    if (!ascii || !ascii.includes('.'))
      return { ok: false, error: `${quoteInput(guiDomainInput)} is not a valid GUI domain.` };
    const tooLong = dnsLengthProblem(ascii, 'The GUI domain');
    if (tooLong) return { ok: false, error: tooLong };
    guiDomain = ascii;
    guiUrl = `${patternUrl?.protocol ?? 'https:'}//${guiDomain}`;
  } else {
    if (!patternUrl)
      return {
        ok: false,
        error: `The GUI URL pattern of ${instance.id} ("${instance.guiUrlPattern}") does not give a valid URL.`,
      };
    guiDomain = patternUrl.hostname;
    guiUrl = filled.replace(/\/+$/, '');
    const tooLong = dnsLengthProblem(guiDomain, `The GUI domain the pattern of ${instance.id} gives`);
    if (tooLong) return { ok: false, error: tooLong };
  }
  return {
    ok: true,
    tenant: derived.tenant,
    apiDomain,
    apiUrl: tenantApiUrl(instance, apiDomain),
    guiDomain,
    guiUrl,
    warnings,
    nameRuleWarnings,
  };
}

/**
 * A tenant (or a create under way, or one a crash left) already holding the name in the instance's
 * team registry. `quick` reads the cache of the last sync instead of the registry.
 */
export async function registryCollisions(
  ctx: TenantContext,
  instanceId: string,
  tenant: string,
  apiDomain: string,
  quick = false,
): Promise<Collision[]> {
  const registry = await ctx.registry(instanceId);
  const stored = quick ? registry.cachedOne(tenant) : await registry.read(tenant, { cachedWhenDown: true });
  if (!stored || stored.doc.phase === 'deleted') return [];
  const doc = stored.doc;
  if (doc.phase === 'creating') {
    const live = doc.pending ? ctx.isLive(doc.pending) : false;
    return [
      {
        where: 'records',
        detail: live
          ? `${tenant} was created by ${describeOperator(doc.createdBy)} at ${doc.record.createdAt} (the create is still under way).`
          : `An interrupted create of ${tenant} on ${instanceId} by ${describeOperator(doc.createdBy)} is pending (a repair settles it).`,
      },
    ];
  }
  const by = `was created by ${describeOperator(doc.createdBy)} at ${doc.record.createdAt}`;
  return [
    {
      where: 'records',
      detail:
        doc.record.apiDomain === apiDomain
          ? `${tenant} ${by}: it already exists on ${instanceId} (${doc.record.apiDomain}, ${doc.record.state}).`
          : `${apiDomain} derives the tenant ${tenant}, which ${by} for ${doc.record.apiDomain} on ${instanceId}: one instance has one tenant per name.`,
    },
  ];
}

async function tmsCollision(
  ctx: TenantContext,
  instanceId: string,
  tenant: string,
): Promise<{ collision: Collision | null }> {
  const tms = await ctx.tms(instanceId);
  const found = await tms.getTenant(tenant);
  return {
    collision: found
      ? { where: 'tms', detail: `The TMS of ${instanceId} already has a tenant named ${tenant}.` }
      : null,
  };
}

/** Why a tenant of this name would adopt existing Elasticsearch data, or null when there is none. */
function esCollision(snapshot: CapacitySnapshot, instanceId: string, tenant: string): string | null {
  const es = snapshot.tenants.find((t) => t.tenant === tenant);
  return es
    ? `Elasticsearch of ${instanceId} already holds ${es.indices === 1 ? 'an index' : `${es.indices} indices`} of a tenant named ${es.tenant}: it exists already.`
    : null;
}

/**
 * What a create would do with this domain: the tenant name, URLs, warnings, collisions and
 * capacity. `quick` checks the console's records only (cheap enough for every keystroke).
 */
export async function previewTenant(ctx: TenantContext, input: PreviewInput): Promise<TenantPreview> {
  const { instance } = await ctx.instances.get(input.instanceId);
  const single = servedTenant(instance);
  const plan: TenantPlan =
    single === null
      ? planTenant(instance, input.domain, input.guiDomain, { allowOutsideSuffix: input.outsideSuffix })
      : {
          ok: false,
          error: `Instance ${instance.id} is single-tenant: it serves exactly one tenant (${single}), fixed by the instance, so no tenant is created on it. Adopt ${single} instead (Found on instance).`,
        };
  const out: TenantPreview = {
    instanceId: instance.id,
    tenant: plan.ok ? plan.tenant : null,
    apiDomain: plan.ok ? plan.apiDomain : null,
    apiUrl: plan.ok ? plan.apiUrl : null,
    guiDomain: plan.ok ? plan.guiDomain : null,
    guiUrl: plan.ok ? plan.guiUrl : null,
    warnings: plan.ok ? plan.warnings : [],
    error: plan.ok ? null : plan.error,
    collisions: [],
    capacity: null,
  };
  if (!plan.ok) return out;
  out.collisions.push(
    ...(await registryCollisions(ctx, instance.id, plan.tenant, plan.apiDomain, input.quick).catch(() => [])),
  );
  if (input.quick) return out;

  const [tms, cap, dns, version] = await Promise.all([
    tmsCollision(ctx, instance.id, plan.tenant).catch((err: unknown) => ({ error: toConsoleError(err).message })),
    ctx.capacity.snapshot(instance.id),
    ctx.dns
      ? ctx.dns.resolve(plan.apiDomain).then(
          () => null,
          () => `${plan.apiDomain} does not resolve yet: add its DNS record before handing the tenant over.`,
        )
      : Promise.resolve(null),
    previewVersion(ctx.versions, instance, plan.apiDomain),
  ]);
  out.version = version;
  if ('error' in tms) out.warnings.push(`The TMS could not be checked: ${tms.error}`);
  else if (tms.collision) out.collisions.push(tms.collision);
  if (cap.ok) {
    const es = esCollision(cap.snapshot, instance.id, plan.tenant);
    if (es) out.collisions.push({ where: 'elasticsearch', detail: es });
    const admission = admitOneMore(cap.snapshot.room);
    out.capacity = {
      ok: admission.ok,
      room: cap.snapshot.room.room,
      binding: cap.snapshot.room.binding,
      message: admission.ok
        ? `Room for ${countOf(cap.snapshot.room.room, 'more tenant')}; ${cap.snapshot.room.binding === 'disk' ? 'disk space' : 'the shard limit'} runs out first.`
        : admission.message,
    };
  } else {
    out.capacity = {
      ok: false,
      room: null,
      binding: null,
      message: `Capacity could not be checked: ${cap.error.message}`,
    };
  }
  if (dns) out.warnings.push(dns);
  return out;
}

/**
 * Admit one more tenant on the instance, for a create. Refuses a name Elasticsearch already holds
 * data for; a full instance, or one whose capacity cannot be checked, only with an override
 * reason, which is returned for the record and audited as 'override'.
 */
export async function admitCreate(
  ctx: TenantContext,
  key: TenantKey,
  reason: string,
): Promise<TenantRecord['capacityOverride']> {
  const { instanceId, tenant } = key;
  const cap = await ctx.capacity.snapshot(instanceId);
  if (cap.ok) {
    const es = esCollision(cap.snapshot, instanceId, tenant);
    if (es) throw new ConsoleError('tenant-collision', es, { instanceId, tenant, remedy: 'adopt-tenant' });
    const admission = admitOneMore(cap.snapshot.room);
    if (admission.ok) return undefined;
    if (!reason) {
      throw new ConsoleError('capacity-exceeded', `Instance ${instanceId}: ${admission.message}`, {
        instanceId,
        tenant,
        remedy: 'capacity-override',
      });
    }
    return recordOverride(
      ctx,
      key,
      reason,
      `capacity override (${admission.reason} binding: ${admission.message}); reason: ${reason}`,
    );
  }
  if (!reason) {
    throw new ConsoleError(
      cap.error.code,
      `Capacity of instance ${instanceId} could not be checked (${cap.error.message}).`,
      { instanceId, tenant, remedy: 'capacity-override' },
    );
  }
  return recordOverride(ctx, key, reason, `capacity not checked (${cap.error.message}); reason: ${reason}`);
}

async function recordOverride(
  ctx: TenantContext,
  key: TenantKey,
  reason: string,
  detail: string,
): Promise<TenantRecord['capacityOverride']> {
  const override = { reason, at: ctx.now(), by: ctx.stamp().name };
  await ctx.audit.record({ action: 'override', instanceId: key.instanceId, tenant: key.tenant, outcome: 'ok', detail });
  return override;
}
