/**
 * Adopt: give a tenant that already exists on an instance (found by discovery) a record, without
 * changing anything on the instance. Elasticsearch and the TMS are only read. The existing token,
 * when the operator has it, goes to the keychain only: on a multi-tenant instance it must match the
 * TMS's install_token; a single-tenant instance's token is its INSTALLATION_TOKEN, which nothing can
 * check without installing, so it is kept as "supplied".
 *
 * Every check runs before the first write: a refused adopt leaves the settings, the keychain and the
 * audit log as they were. A done (or failed) adopt is audited as 'adopt'.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { servedTenant, type AdoptInput, type FoundTenant } from '../../../shared/tenants/adoption';
import { ConsoleError, toConsoleError, type Remedy } from '../../../shared/errors/errors';
import type { Instance } from '../../../shared/instances/instance';
import { tenantRecordSchema, type AdoptedTokenState, type TenantRecord } from '../../../shared/tenants/tenant';
import { accountFor } from '../keychain';
import { fillGuiPattern, planTenant, type TenantPlan } from './preview';
import { describeOperator } from '../../../shared/team/operator';
import { registryPartOf } from '../../../shared/team/registry';
import { oneLine } from '../../../shared/errors/errors';
import { contactEmailProblem, tokenProblem } from '../../../shared/text/input-rules';
import { parseWebAddress, type WebAddress } from '../../../shared/text/web-address';
import type { TenantContext } from './tenant-context';
import type { AdoptionDiscovery } from './types';

const TENANT_RE = /^[a-z0-9]{3,40}$/;

interface Checked {
  instance: Instance;
  plan: Extract<TenantPlan, { ok: true }>;
  found: FoundTenant;
  tokenState: AdoptedTokenState;
  expire: string | null;
  email: string;
}

/** Adopt one tenant: all checks, then keychain (when a token is given) and record. */
export async function adoptTenant(ctx: TenantContext, input: AdoptInput): Promise<TenantRecord> {
  const discovery = ctx.discovery;
  if (!discovery) throw new ConsoleError('internal', 'Adoption is not available in this shell (no discovery).');
  const key = { instanceId: input.instanceId, tenant: input.tenant };
  const checked = await checkAdoption(ctx, discovery, input);
  const account = accountFor.token(key.instanceId, key.tenant);
  try {
    if (input.token !== undefined) await ctx.secrets.set(account, input.token);
    const record = await writeRecord(ctx, checked, input.token !== undefined, account);
    const status = checked.found.verification?.status ?? 'not verified';
    await ctx.audit.record({
      action: 'adopt',
      ...key,
      outcome: 'ok',
      detail: `adopted (${status}; token ${checked.tokenState}); nothing changed on the instance`,
    });
    return record;
  } catch (err) {
    const e = toConsoleError(err);
    await ctx.audit
      .record({ action: 'adopt', ...key, outcome: 'failed', detail: `${e.code}: ${oneLine(e.message)}` })
      .catch(() => undefined);
    throw err;
  }
}

async function writeRecord(ctx: TenantContext, c: Checked, withToken: boolean, account: string): Promise<TenantRecord> {
  const now = ctx.now();
  const v = c.found.verification;
  const installed = v?.status === 'installed';
  const stamp = ctx.stamp();
  const record: TenantRecord = tenantRecordSchema.parse({
    instanceId: c.instance.id,
    tenant: c.found.tenant,
    apiDomain: c.plan.apiDomain,
    apiUrl: c.plan.apiUrl,
    guiDomain: c.plan.guiDomain,
    guiUrl: c.plan.guiUrl,
    email: c.email,
    createdAt: now,
    tokenExpiresAt: c.expire,
    state: installed ? 'installed' : 'registered',
    ...(installed ? { installedAt: v.checkedAt } : {}),
    warnings: c.plan.warnings,
    ...(v ? { lastVerification: v } : {}),
    adopted: { at: now, by: stamp.name, token: c.tokenState },
  });
  const registry = await ctx.registry(c.instance.id);
  try {
    // Create-only: another console adopting (or creating) the same tenant at once gets the name first.
    const stored = await registry.claim({
      scope: registry.scope,
      tenant: record.tenant,
      phase: 'active',
      record: registryPartOf(record),
      createdBy: stamp,
      updatedBy: stamp,
      updatedAt: now,
      change: 'adopted it',
      rev: 1,
      verifiedBy: null,
      holder: withToken ? ctx.holder() : null,
      pending: null,
      deleted: null,
    });
    registry.remember(stored);
    return ctx.record(c.instance.id, stored);
  } catch (err) {
    // The token stored a moment ago belongs to no record: take it back.
    if (withToken) await ctx.secrets.delete(account).catch(() => undefined);
    throw err;
  }
}

function conflict(instanceId: string, tenant: string, what: string, remedy?: Remedy): ConsoleError {
  return new ConsoleError(
    'conflict',
    `Tenant ${tenant} on ${instanceId} already has ${what}: there is nothing to adopt.`,
    remedy ? { instanceId, tenant, remedy } : { instanceId, tenant },
  );
}

/** Every refusal of an adopt, before anything is written. */
async function checkAdoption(ctx: TenantContext, discovery: AdoptionDiscovery, input: AdoptInput): Promise<Checked> {
  const { instanceId, tenant } = input;
  if (!TENANT_RE.test(tenant))
    throw new ConsoleError(
      'validation',
      `"${tenant.slice(0, 60)}" is not a tenant name (3-40 lower-case letters or digits).`,
      { instanceId },
    );
  const { instance } = await ctx.instances.get(instanceId);
  const email = input.email?.trim() ?? '';
  // The rules every shell shares (shared/text/input-rules.ts): RFC 5321 lengths, the token's length.
  const refused = contactEmailProblem(email, false) ?? (input.token !== undefined ? tokenProblem(input.token) : null);
  if (refused) throw new ConsoleError('validation', refused, { instanceId, tenant });

  const served = servedTenant(instance);
  if (served !== null && served !== tenant)
    throw new ConsoleError(
      'validation',
      `Instance ${instanceId} is single-tenant and serves only ${served}; if its TENANT_NAME is ${tenant}, its settings must say so.`,
      { instanceId, tenant, remedy: 'set-single-tenant-name' },
    );
  const plan = served !== null ? planSingleTenant(instance, tenant, input) : planMultiTenant(instance, tenant, input);

  // Bad input is refused for what it is before the registry is asked (it may be unreachable).
  const registry = await ctx.registry(instanceId);
  await registry.requireWritable();
  const existing = await registry.read(tenant);
  if (existing?.doc.phase === 'active')
    throw conflict(
      instanceId,
      tenant,
      `a record (${existing.doc.record.state}, ${existing.doc.change} by ${describeOperator(existing.doc.updatedBy)})`,
    );
  if (existing?.doc.phase === 'creating')
    throw conflict(
      instanceId,
      tenant,
      'a create under way or left by a crash (a repair settles it)',
      'reconcile-repair',
    );

  const found = await discovery.discoverTenant(instance, tenant);
  if (!found)
    throw new ConsoleError(
      'not-found',
      `No tenant ${tenant} on instance ${instanceId}: Elasticsearch holds none of its indices, aliases or templates and the TMS does not know it.`,
      { instanceId, tenant, remedy: 'discover-tenants' },
    );
  if (found.notAdoptable) throw new ConsoleError('validation', found.notAdoptable, { instanceId, tenant });

  let tokenState: AdoptedTokenState = 'unknown';
  let expire = found.tms.outcome === 'registered' ? found.tms.expire : null;
  if (input.token !== undefined) {
    ctx.audit.rememberSecret(input.token);
    if (served !== null) tokenState = 'supplied';
    else ({ tokenState, expire } = await checkToken(ctx, instanceId, tenant, input.token));
  }
  return { instance, plan, found, tokenState, expire, email };
}

/** The multi-tenant plan: the domain is required and must derive the tenant. */
function planMultiTenant(instance: Instance, tenant: string, input: AdoptInput): Extract<TenantPlan, { ok: true }> {
  const ids = { instanceId: instance.id, tenant };
  if (!input.domain?.trim())
    throw new ConsoleError(
      'validation',
      `Give the API domain of ${tenant} (e.g. ${tenant}.${instance.tenantDomainSuffix}).`,
      ids,
    );
  const plan = planTenant(instance, input.domain, input.guiDomain, { allowOutsideSuffix: true });
  if (!plan.ok) throw new ConsoleError('validation', plan.error, ids);
  if (plan.tenant !== tenant)
    throw new ConsoleError(
      'validation',
      `The domain ${plan.apiDomain} derives the tenant name ${plan.tenant}, not ${tenant}: give the domain whose first label derives ${tenant}.`,
      ids,
    );
  return plan;
}

/**
 * A single-tenant instance ignores the Host: any domain that reaches it serves its one tenant, so
 * the domain is not checked against the name (default: the instance's API URL).
 */
function planSingleTenant(instance: Instance, tenant: string, input: AdoptInput): Extract<TenantPlan, { ok: true }> {
  const ids = { instanceId: instance.id, tenant };
  const protocol = new URL(instance.apiUrl).protocol as 'http:' | 'https:';
  if (input.domain?.trim()) {
    // First: an http(s) address or none (the tenant-name parser reads a host after any scheme).
    checkedAddress(parseWebAddress(input.domain, 'The API domain', protocol), ids);
    const plan = planTenant(instance, input.domain, input.guiDomain, { allowOutsideSuffix: true });
    // The Host does not name the tenant here: the name rule's warnings do not apply (look-alike
    // letters and a domain outside the instance's suffix still do).
    if (plan.ok) return { ...plan, tenant, warnings: plan.warnings.filter((w) => !plan.nameRuleWarnings.includes(w)) };
    // An IP address or a two-label host is fine here: no tenant is derived from it.
  }
  const api = checkedAddress(
    input.domain?.trim()
      ? parseWebAddress(input.domain, 'The API domain', protocol)
      : parseWebAddress(instance.apiUrl, `The API URL of ${instance.id}`, 'https:'),
    ids,
  );
  // An address (http://10.0.0.5:8686) has no label and suffix to fill the GUI pattern with: the
  // tenant and the instance's tenant domain suffix stand in (else 10.0.0.5 gave "ffe49-gui.0.0.5").
  const address = isIP(api.host.replace(/^\[|\]$/g, '')) !== 0;
  const label = address ? tenant : (api.host.split('.')[0] ?? tenant);
  const suffix = (address ? '' : api.host.slice(label.length + 1)) || instance.tenantDomainSuffix;
  const gui = checkedAddress(
    input.guiDomain?.trim()
      ? parseWebAddress(input.guiDomain, 'The GUI domain', 'https:')
      : parseWebAddress(
          fillGuiPattern(instance.guiUrlPattern, { label, tenant, suffix }),
          `The GUI address the pattern of ${instance.id} gives`,
          'https:',
        ),
    ids,
  );
  return {
    ok: true,
    tenant,
    apiDomain: api.host,
    apiUrl: api.origin,
    guiDomain: gui.host,
    guiUrl: gui.origin,
    warnings: [],
    nameRuleWarnings: [],
  };
}

function checkedAddress(
  parsed: WebAddress,
  ids: { instanceId: string; tenant: string },
): Extract<WebAddress, { ok: true }> {
  if (!parsed.ok) throw new ConsoleError('validation', parsed.error, ids);
  return parsed;
}

/** The operator's token against the TMS's install_token: refused when it differs or cannot be compared. */
async function checkToken(
  ctx: TenantContext,
  instanceId: string,
  tenant: string,
  token: string,
): Promise<{ tokenState: AdoptedTokenState; expire: string | null }> {
  const ids = { instanceId, tenant };
  let entry;
  try {
    entry = await (await ctx.tms(instanceId)).getTenant(tenant);
  } catch (err) {
    throw new ConsoleError(
      toConsoleError(err).code,
      `The token could not be checked against the TMS (${oneLine(toConsoleError(err).message)}); nothing was stored: retry, or adopt without the token.`,
      ids,
    );
  }
  if (!entry)
    throw new ConsoleError(
      'conflict',
      `The TMS of ${instanceId} has no entry for ${tenant}, so no installation token of it can work; nothing was stored: adopt without the token.`,
      ids,
    );
  if (entry.installToken === null) return { tokenState: 'supplied', expire: entry.expire };
  const a = Buffer.from(entry.installToken);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new ConsoleError(
      'validation',
      `The token given for ${tenant} is not the installation token the TMS of ${instanceId} holds; nothing was stored.`,
      ids,
    );
  return { tokenState: 'checked', expire: entry.expire };
}
