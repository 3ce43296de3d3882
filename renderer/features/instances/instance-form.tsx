/**
 * Add or edit an instance: every field of the shared instance schema, validated inline with it.
 * Secrets are write-only: typed values go to the keychain through the core and are never shown back.
 */
import { useEffect, useRef, useState } from 'react';
import type { InstanceView } from '../../../shared/contract/contract';
import { ENVIRONMENTS, TENANCY_MODES, TRACARDI_VERSIONS, type SecretKind } from '../../../shared/instances/instance';
import { VERSION_PROFILES } from '../../../shared/instances/version-profiles';
import { ErrorMessage } from '../../components/error-message';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { focusFirstInvalid } from '../../lib/focus';
import { plural } from '../../lib/format';
import { CaBundleField } from './ca-bundle-field';
import { ConnectionChecks } from './connection-checks';
import {
  emptyFormValues,
  formValuesFrom,
  validateInstanceForm,
  type FieldKey,
  type FormErrors,
  type InstanceFormValues,
} from './instance-form-model';
import { useInstanceMutations, type Secrets } from './use-instance-mutations';

function SecretField({
  label,
  kind,
  stored,
  value,
  onValue,
}: {
  label: string;
  kind: SecretKind;
  /** Null when the keychain could not be asked. */
  stored: boolean | null;
  value: string;
  onValue: (v: string) => void;
}) {
  return (
    <TextField
      label={label}
      type="password"
      autoComplete="new-password"
      value={value}
      onValue={onValue}
      data-secret={kind}
      hint={
        stored === null
          ? 'Unknown: the keychain could not be asked. A typed value goes to the keychain once it is unlocked.'
          : stored
            ? 'Stored in keychain. Type a new value to replace it; leave empty to keep it.'
            : 'Not stored. Typed values go to the OS keychain and are never shown again.'
      }
    />
  );
}

const ES_AUTH_OPTIONS = [
  { value: 'none', label: 'None' },
  { value: 'basic', label: 'Username and password' },
  { value: 'apiKey', label: 'API key' },
] as const;

/** The Tracardi settings that fix a tenant's shard cost, each as a whole-number field. */
const INDEX_SETTINGS: readonly [FieldKey & `footprint${string}`, string][] = [
  ['footprintIndexShards', 'Index shards (ELASTIC_INDEX_SHARDS)'],
  ['footprintConfShards', 'Config index shards (ELASTIC_CONF_INDEX_SHARDS)'],
  ['footprintReplicas', 'Replicas (ELASTIC_INDEX_REPLICAS)'],
];

export function InstanceForm({ view, onDone }: { view: InstanceView | null; onDone: () => void }) {
  const editing = view !== null;
  const [values, setValues] = useState<InstanceFormValues>(() =>
    view ? formValuesFrom(view.instance) : emptyFormValues(),
  );
  const [secrets, setSecrets] = useState<Secrets>({});
  const [errors, setErrors] = useState<FormErrors>({});
  const { add, update, test } = useInstanceMutations();
  /** A secret field's kind, whether the keychain holds it, and what is typed into it. */
  const secret = (kind: SecretKind) => ({
    kind,
    // A new instance has none; an existing one as the keychain says, null when it could not be asked.
    stored: view ? (view.secrets ? view.secrets[kind] : null) : false,
    value: secrets[kind] ?? '',
    onValue: (v: string) => setSecrets((s) => ({ ...s, [kind]: v })),
  });
  const formRef = useRef<HTMLFormElement>(null);

  // The form opens below the list: bring it into view and put the cursor in its first editable field.
  useEffect(() => {
    const form = formRef.current;
    form?.scrollIntoView({ block: 'start' });
    form?.querySelector<HTMLElement>('input:not([readonly])')?.focus({ preventScroll: true });
  }, [editing]);

  const set =
    <K extends FieldKey>(key: K) =>
    (value: InstanceFormValues[K]) =>
      setValues((v) => ({ ...v, [key]: value }));
  const text = (key: Exclude<FieldKey, 'tlsSkipVerify' | 'environment' | 'tracardiVersion' | 'esAuthType'>) => ({
    value: values[key],
    onValue: set(key),
    error: errors[key],
  });
  /** A text field of the form: its label, value and inline error. */
  const field = (key: Parameters<typeof text>[0], label: string) => ({ label, ...text(key) });

  /** Only the secrets that apply to the chosen auth, and only those typed. */
  function typedSecrets(): Secrets {
    const out: Secrets = {};
    if (secrets['tms-api-key']) out['tms-api-key'] = secrets['tms-api-key'];
    if (values.esAuthType === 'basic' && secrets['es-password']) out['es-password'] = secrets['es-password'];
    if (values.esAuthType === 'apiKey' && secrets['es-api-key']) out['es-api-key'] = secrets['es-api-key'];
    return out;
  }

  function validated() {
    const result = validateInstanceForm(values);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) focusFirstInvalid(formRef.current);
    return result.ok ? result : null;
  }

  function save() {
    const ok = validated();
    if (!ok) return;
    const done = () => {
      setSecrets({});
      onDone();
    };
    if (editing) {
      const { id, ...patch } = ok.patch;
      update.mutate({ id: String(id), patch, secrets: typedSecrets() }, { onSuccess: done });
    } else {
      add.mutate({ instance: ok.input, secrets: typedSecrets() }, { onSuccess: done });
    }
  }

  function runTest() {
    const ok = validated();
    if (ok) test.mutate({ instance: ok.input, secrets: typedSecrets() });
  }

  const saving = add.isPending || update.isPending;
  const saveError = editing ? update.error : add.error;
  const errorCount = Object.keys(errors).length;
  const title = editing ? `Edit instance ${view.instance.name}` : 'Add instance';

  return (
    <form
      ref={formRef}
      className="panel form instance-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2>{title}</h2>
      <fieldset>
        <legend>Identity</legend>
        <TextField
          {...field('id', 'Instance id')}
          readOnly={editing}
          hint={
            editing
              ? 'The id keys the keychain and settings: it cannot change.'
              : 'Lower-case letters, digits and dashes, e.g. instance1.'
          }
        />
        <TextField {...field('name', 'Display name')} />
        <SelectField
          label="Environment"
          value={values.environment}
          options={ENVIRONMENTS}
          onChange={set('environment')}
        />
        <TextField {...field('colour', 'Colour')} type="color" className="narrow" />
      </fieldset>

      <fieldset>
        <legend>Tracardi</legend>
        <TextField
          {...field('apiUrl', 'Tracardi API URL')}
          type="url"
          placeholder="https://api.instance1.example.com"
        />
        <TextField {...field('guiUrlPattern', 'GUI URL pattern')} hint="Placeholders {tenant}, {label} and {suffix}." />
        <TextField {...field('tenantDomainSuffix', 'Tenant domain suffix')} placeholder="instance1.example.com" />
        <SelectField
          label="Tracardi version"
          value={values.tracardiVersion}
          options={TRACARDI_VERSIONS}
          onChange={set('tracardiVersion')}
        />
        <SelectField
          label="Tenancy"
          value={values.tenancy}
          options={TENANCY_MODES}
          onChange={set('tenancy')}
          hint="Multi-tenant: tenants by Host, tokens in the TMS. Single-tenant: one tenant, one INSTALLATION_TOKEN, no TMS."
        />
        {values.tenancy === 'single-tenant' ? (
          <TextField
            {...field('singleTenantName', 'Tenant name (TENANT_NAME)')}
            hint={`Empty: the version's default tenant (${VERSION_PROFILES[values.tracardiVersion].defaultTenant}).`}
          />
        ) : null}
        <TextField
          {...field('tmsUrl', 'TMS URL')}
          type="url"
          placeholder="http://tms.instance1.example.com:8383"
          {...(values.tenancy === 'single-tenant'
            ? { hint: 'A single-tenant instance has none: leave it empty.' }
            : {})}
        />
        <SecretField label="TMS API key" {...secret('tms-api-key')} />
      </fieldset>

      <fieldset>
        <legend>Elasticsearch</legend>
        <TextField {...field('esNodes', 'Elasticsearch nodes (one per line)')} multiline rows={3} />
        <SelectField
          label="Elasticsearch authentication"
          value={values.esAuthType}
          options={ES_AUTH_OPTIONS}
          onChange={set('esAuthType')}
        />
        {values.esAuthType === 'basic' ? (
          <>
            <TextField {...field('esUsername', 'Elasticsearch username')} />
            <SecretField label="Elasticsearch password" {...secret('es-password')} />
          </>
        ) : null}
        {values.esAuthType === 'apiKey' ? (
          <SecretField label="Elasticsearch API key" {...secret('es-api-key')} />
        ) : null}
        <CaBundleField
          {...text('tlsCaPem')}
          savedCaFile={view?.instance.es.tls.caFile}
          onError={(message) => setErrors((e) => ({ ...e, tlsCaPem: message }))}
        />
        <TextField {...field('tlsFingerprint', 'TLS CA fingerprint (SHA-256)')} placeholder="AB:CD:…" />
        <label className="check insecure">
          <input
            type="checkbox"
            checked={values.tlsSkipVerify}
            onChange={(e) => set('tlsSkipVerify')(e.target.checked)}
            aria-describedby={values.tlsSkipVerify ? 'tls-insecure-warning' : undefined}
          />
          Skip TLS verification (insecure)
        </label>
        {values.tlsSkipVerify ? (
          <p className="warn-text" id="tls-insecure-warning" role="alert">
            Warning: without TLS verification anyone on the network path can read and change what the console sends to
            Elasticsearch, credentials included. Prefer a CA file or fingerprint.
          </p>
        ) : null}
        <TextField {...field('esTimeoutMs', 'Request timeout (ms)')} inputMode="numeric" className="narrow" />
      </fieldset>

      <fieldset>
        <legend>Tracardi index settings</legend>
        <p className="hint">
          They fix how many shards each new tenant costs: copy them from the instance’s environment.
        </p>
        {INDEX_SETTINGS.map(([key, label]) => (
          <TextField key={key} {...field(key, label)} inputMode="numeric" className="narrow" />
        ))}
      </fieldset>

      <fieldset>
        <legend>Routing and capacity</legend>
        <TextField
          {...field('expectedAddresses', 'Expected addresses (one per line)')}
          multiline
          rows={2}
          hint="Addresses the tenant domains of this instance should resolve to."
        />
        <TextField
          {...field('referenceHost', 'Reference host')}
          hint="Or a host whose addresses are the expected ones."
        />
        <TextField
          {...field('bytesPerTenantEstimate', 'Bytes per tenant estimate')}
          hint="Used while the instance has no tenants to learn from; bytes or a size like 2gb."
          className="narrow"
        />
      </fieldset>

      {errorCount > 0 ? (
        <p className="error-text" role="alert">
          {plural(errorCount, 'field')} need{errorCount === 1 ? 's' : ''} attention.
        </p>
      ) : null}
      {saveError ? <ErrorMessage error={saveError} prefix="Not saved:" /> : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save instance'}
        </button>
        <button type="button" onClick={runTest} disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <div aria-live="polite">
        {test.data ? (
          <ConnectionChecks
            checks={test.data}
            current={values.tenancy}
            onUseTenancy={(t) => {
              set('tenancy')(t.mode);
              if (t.tenantName) set('singleTenantName')(t.tenantName);
            }}
            onUseVersion={set('tracardiVersion')}
          />
        ) : null}
        {test.error ? <ErrorMessage error={test.error} prefix="Test failed:" /> : null}
      </div>
    </form>
  );
}
