/**
 * Who is at this console: the name and e-mail every change and audit entry carries, set once per
 * workstation (default: OS user at host name).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AppStatus } from '../../../shared/contract/contract';
import { operatorInputSchema, type OperatorView } from '../../../shared/team/operator';
import { ErrorMessage } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { useApi } from '../../lib/api-context';
import { announce } from '../../lib/notices';
import { qk } from '../../lib/query-client';
import { useAppStatus } from '../../lib/use-server-state';

const FIELD_LABEL: Record<string, string> = { name: 'Name', email: 'E-mail' };

function OperatorForm({ operator }: { operator: OperatorView }) {
  const api = useApi();
  const qc = useQueryClient();
  const [name, setName] = useState(operator.isDefault ? '' : operator.name);
  const [email, setEmail] = useState(operator.email ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (input: { name: string | null; email: string | null }) => api['operator.set'](input),
    onSuccess: (view) => {
      qc.setQueryData<AppStatus>(qk.appStatus, (s) => (s ? { ...s, operator: view } : s));
      setName(view.isDefault ? '' : view.name);
      setEmail(view.email ?? '');
      announce(`Operator saved: ${view.name}${view.email ? ` (${view.email})` : ''}.`);
    },
  });

  function submit(input: { name: string | null; email: string | null }): void {
    // Checked here first with the core's own rules, so a mistake is named by its field.
    const parsed = operatorInputSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'name'), i.message] as const)));
      return;
    }
    setErrors({});
    save.mutate(input);
  }

  function onSubmit(event: FormEvent): void {
    event.preventDefault();
    // An empty name is the default name (OS user at host name); an empty e-mail is none.
    submit({ name: name.trim() || null, email: email.trim() || null });
  }

  return (
    <form className="settings-form" aria-label="Operator" onSubmit={onSubmit} noValidate>
      <TextField
        label="Name"
        value={name}
        onValue={setName}
        placeholder={operator.defaultName}
        error={errors.name}
        hint={`Empty: the default, ${operator.defaultName}.`}
        autoComplete="name"
      />
      <TextField
        label="E-mail"
        type="email"
        value={email}
        onValue={setEmail}
        error={errors.email}
        hint="Optional: how colleagues reach you about a change."
        autoComplete="email"
      />
      <p className="muted small-text">
        Workstation: <strong>{operator.workstation}</strong>. Every change you make and every audit entry carries your
        name and this workstation.
      </p>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save operator
        </button>
        <button
          type="button"
          disabled={save.isPending || (operator.isDefault && !operator.email)}
          onClick={() => submit({ name: null, email: null })}
        >
          Reset to default
        </button>
      </div>
      {Object.entries(errors).length > 0 ? (
        <p className="error-text" role="alert">
          Operator not saved:{' '}
          {Object.entries(errors)
            .map(([k, v]) => `${FIELD_LABEL[k] ?? k}: ${v}`)
            .join('; ')}
        </p>
      ) : null}
      {save.error ? <ErrorMessage error={save.error} prefix="Operator not saved:" /> : null}
    </form>
  );
}

export function OperatorSection() {
  const status = useAppStatus();
  if (status.error) return <ErrorMessage error={status.error} />;
  if (!status.data) return <p className="muted">Loading…</p>;
  const { operator } = status.data;
  return (
    <>
      <p data-testid="settings-operator-now">
        Now: <strong>{operator.name}</strong>
        {operator.email ? ` (${operator.email})` : ''}
        {operator.isDefault ? ' — the default name' : ''}
      </p>
      {/* Keyed by what is stored, so a save from another window or the command line refills the form. */}
      <OperatorForm key={`${operator.name}\u0000${operator.email ?? ''}`} operator={operator} />
    </>
  );
}
