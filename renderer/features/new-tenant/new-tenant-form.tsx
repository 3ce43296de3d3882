/**
 * The New tenant form: instance, API domain (tenant name derived live), GUI domain (defaulted from
 * the preview), contact e-mail, token lifetime, and an override reason when capacity refuses.
 */
import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { servedTenant } from '../../../shared/tenants/adoption';
import { contract, type CallArgs } from '../../../shared/contract/contract';
import { DEFAULT_PLACEMENT_ENVIRONMENT } from '../../../shared/capacity/placement-shapes';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import type { Environment } from '../../../shared/text/vocabulary';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { TextField } from '../../components/text-field';
import { instanceOptions, SelectField } from '../../components/select-field';
import { useApi } from '../../lib/api-context';
import { focusFirstInvalid } from '../../lib/focus';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { routeHash } from '../../lib/router';
import { isApiError } from '../../lib/transport';
import { useInstances } from '../../lib/use-server-state';
import { PlacementPanel } from './placement-panel';
import { TenantNamePreview } from './tenant-name-preview';
import { bestInstance, usePlacement } from './use-placement';
import { useTenantPreview } from './use-tenant-preview';

type FieldErrors = Partial<
  Record<'instanceId' | 'domain' | 'guiDomain' | 'email' | 'tokenLifetimeDays' | 'capacityOverrideReason', string>
>;

export function NewTenantForm({
  initialInstanceId,
  onCreated,
}: {
  initialInstanceId?: string;
  onCreated: (record: TenantRecord) => void;
}) {
  const api = useApi();
  const qc = useQueryClient();
  const instances = useInstances();
  const views = instances.data ?? [];
  const [instanceChoice, setInstanceChoice] = useState(initialInstanceId ?? '');
  // The environment the tenant is for: production unless the operator says otherwise.
  const [environment, setEnvironment] = useState<Environment>(DEFAULT_PLACEMENT_ENVIRONMENT);
  const placement = usePlacement(environment);
  const best = bestInstance(placement.data);
  const [domainInput, setDomainInput] = useState('');
  // The chosen instance while it exists (the route may name a removed one), else the placement's
  // best, else the first. Typing pins the instance shown, so a late ranking never changes it.
  const known = (id: string | null) => id !== null && views.some((v) => v.instance.id === id);
  const instanceId = known(instanceChoice)
    ? instanceChoice
    : known(best)
      ? (best as string)
      : (views[0]?.instance.id ?? '');
  const view = views.find((v) => v.instance.id === instanceId);
  // A single-tenant instance's one tenant exists already: the form explains and offers adoption.
  const single = view ? servedTenant(view.instance) : null;
  const [guiDomain, setGuiDomain] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [lifetime, setLifetime] = useState('30');
  const [overrideReason, setOverrideReason] = useState('');
  const [outsideSuffix, setOutsideSuffix] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const formRef = useRef<HTMLFormElement>(null);
  const {
    domain,
    check,
    preview,
    checking,
    error: previewError,
  } = useTenantPreview(instanceId, domainInput, view?.instance.tenantDomainSuffix, outsideSuffix);
  // The domain's own problem, live and once: on its field (the preview repeats nothing).
  const domainError = check ? (check.ok ? undefined : check.message) : errors.domain;
  const offerOutside =
    (check?.ok === false && check.code === 'outside-suffix') || (check?.ok === true && check.outsideSuffix);
  const previewRefused = preview?.capacity?.ok === false;
  const collision = (preview?.collisions.length ?? 0) > 0;
  const guiValue = guiDomain ?? preview?.guiDomain ?? '';

  const create = useMutation({
    mutationFn: (args: CallArgs<'tenants.create'>) => api['tenants.create'](args),
    onSuccess: (record) => {
      announce(`Tenant ${record.tenant} created on ${view?.instance.name ?? record.instanceId}.`);
      void qc.invalidateQueries({ queryKey: qk.tenants });
      void qc.invalidateQueries({ queryKey: qk.snapshot(record.instanceId) });
      void qc.invalidateQueries({ queryKey: qk.placement });
      onCreated(record);
    },
  });

  // The create itself may refuse where the preview did not (capacity changed, or could not be
  // checked): its error then names the override field, so the field is there to fill.
  const capacityRefused = previewRefused || (isApiError(create.error) && create.error.remedy === 'capacity-override');

  function submit() {
    const args: CallArgs<'tenants.create'> = {
      instanceId,
      domain,
      email: email.trim(),
      tokenLifetimeDays: Number(lifetime),
      ...(guiValue.trim() ? { guiDomain: guiValue.trim() } : {}),
      ...(capacityRefused && overrideReason.trim() ? { capacityOverrideReason: overrideReason.trim() } : {}),
      ...(check?.ok && check.outsideSuffix ? { outsideSuffix: true } : {}),
    };
    const parsed = contract['tenants.create'].args.safeParse(args);
    const next: FieldErrors = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? 'domain') as keyof FieldErrors;
        next[key] ??= issue.message;
      }
    }
    if (check && !check.ok) next.domain = check.message;
    if (capacityRefused && !overrideReason.trim())
      next.capacityOverrideReason =
        'Capacity refuses one more tenant: write why you override it, or pick another instance.';
    setErrors(next);
    if (Object.keys(next).length === 0) create.mutate(args);
    else focusFirstInvalid(formRef.current);
  }

  return (
    <form
      ref={formRef}
      className="form panel"
      aria-label="New tenant"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <SelectField
        label="Instance"
        error={errors.instanceId}
        value={instanceId}
        {...(views.length === 0 ? { empty: 'No instances: add one first' } : {})}
        options={instanceOptions(views, true)}
        onChange={setInstanceChoice}
      />
      <PlacementPanel
        reports={placement.data}
        loading={placement.isPending}
        error={placement.error}
        version={view?.instance.tracardiVersion}
        environment={environment}
        onEnvironment={setEnvironment}
        selected={instanceId}
        onChoose={setInstanceChoice}
      />
      {single !== null && view ? (
        <div className="notice" role="note" aria-label="Single-tenant instance">
          <p>
            <strong>{view.instance.name} is single-tenant:</strong> it serves exactly one tenant, {single}, fixed by the
            instance (its TENANT_NAME), with one installation token (its INSTALLATION_TOKEN). No tenant is created on
            it.
          </p>
          <p>
            <a href={routeHash({ screen: 'found', instanceId: view.instance.id })}>Adopt {single} instead</a> (Found on
            instance).
          </p>
        </div>
      ) : null}
      {view?.instance.environment === 'production' ? (
        <p className="production-band">PRODUCTION instance: {view.instance.name}</p>
      ) : null}

      <TextField
        label="Tenant API domain"
        error={domainError}
        describedBy="tenant-name-preview"
        hint={`A bare label (company-x) gets the instance’s suffix${view ? ` .${view.instance.tenantDomainSuffix}` : ''}.`}
        value={domainInput}
        onValue={(value) => {
          if (!known(instanceChoice)) setInstanceChoice(instanceId);
          setDomainInput(value);
        }}
        placeholder={view ? `company-x.${view.instance.tenantDomainSuffix}` : 'company-x.instance1.example.com'}
      />
      {offerOutside ? (
        <label className="check">
          <input type="checkbox" checked={outsideSuffix} onChange={(e) => setOutsideSuffix(e.target.checked)} />
          Outside the suffix on purpose: this domain’s DNS points at {view?.instance.name ?? 'this instance'}
        </label>
      ) : null}
      <TenantNamePreview check={check} preview={preview} checking={checking} error={previewError} />

      {capacityRefused ? (
        <Field label="Capacity override reason" error={errors.capacityOverrideReason}>
          {(control) => (
            <textarea
              {...control}
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.target.value)}
              rows={2}
              maxLength={500}
            />
          )}
        </Field>
      ) : null}

      <TextField
        label="GUI domain"
        error={errors.guiDomain}
        hint="Defaults to the instance’s GUI pattern for this tenant."
        value={guiValue}
        onValue={setGuiDomain}
      />
      <TextField label="Contact e-mail" error={errors.email} type="email" value={email} onValue={setEmail} />
      <TextField
        label="Token lifetime (days)"
        error={errors.tokenLifetimeDays}
        className="narrow"
        type="number"
        min={1}
        max={365}
        value={lifetime}
        onValue={setLifetime}
      />
      {collision ? (
        <p className="error-text">This tenant name collides with an existing one: choose another domain.</p>
      ) : null}
      {create.error ? <ErrorMessage error={create.error} prefix="Create failed:" /> : null}
      <div className="button-row">
        <button
          type="submit"
          className="primary"
          disabled={
            create.isPending ||
            !instanceId ||
            collision ||
            single !== null ||
            preview?.version?.outcome === 'mismatch' ||
            check?.ok !== true
          }
        >
          {create.isPending ? 'Creating…' : 'Create tenant'}
        </button>
      </div>
    </form>
  );
}
