/** Verify: pick a scope (fleet, one instance, the Tenants selection), start, follow progress and results. */
import { instanceOptions, SelectField } from '../../components/select-field';
import { useMemo, useState, type ReactNode } from 'react';
import type { CallArgs } from '../../../shared/contract/contract';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { formatCount, plural } from '../../lib/format';
import { useInstanceMap, useInstances } from '../../lib/use-server-state';
import { ApiError } from '../../lib/transport';
import { selectionRefs, useSelectedTenants } from '../tenants';
import { countByStatus } from './merge-results';
import { useStartVerify, useVerifyJob } from './use-verify-job';
import { VerifyResults } from './verify-results';
import { useFollowedJob } from './verify-store';

type ScopeKind = 'fleet' | 'instance' | 'selection';

/** One choice of the scope radio group. */
function ScopeRadio({
  value,
  chosen,
  onChoose,
  disabled,
  children,
}: {
  value: ScopeKind;
  chosen: ScopeKind;
  onChoose: (kind: ScopeKind) => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <label className="check">
      <input
        type="radio"
        name="scope"
        value={value}
        checked={chosen === value}
        onChange={() => onChoose(value)}
        disabled={disabled}
      />
      {children}
    </label>
  );
}

export function VerifyScreen() {
  const instances = useInstances().data ?? [];
  const byId = useInstanceMap();
  const selected = useSelectedTenants();
  const [kind, setKind] = useState<ScopeKind>(selected.size > 0 ? 'selection' : 'fleet');
  const [instanceChoice, setInstanceChoice] = useState('');
  const instanceId = instances.some((v) => v.instance.id === instanceChoice)
    ? instanceChoice
    : (instances[0]?.instance.id ?? '');
  const start = useStartVerify();
  const followed = useFollowedJob();
  const job = useVerifyJob(followed.jobId);
  const data = job.data;
  const results = useMemo(() => data?.results ?? [], [data]);
  const counts = useMemo(() => countByStatus(results), [results]);
  const running = followed.jobId !== null && !data?.finished && !job.error;

  function begin() {
    let scope: CallArgs<'verify.start'>['scope'];
    let label: string;
    if (kind === 'fleet') {
      scope = { fleet: true };
      label = 'the whole fleet';
    } else if (kind === 'instance') {
      scope = { instanceId };
      label = `instance ${byId.get(instanceId)?.instance.name ?? instanceId}`;
    } else {
      scope = { selection: selectionRefs(selected) };
      label = plural(selected.size, 'selected tenant');
    }
    start.mutate({ scope, label });
  }

  const total = data?.total ?? 0;
  const done = data?.done ?? 0;
  const jobError = data?.error ? ApiError.from(data.error) : job.error;

  return (
    <section className="screen" aria-labelledby="verify-heading">
      <header className="screen-header">
        <h1 id="verify-heading">Verify</h1>
      </header>
      <form
        className="panel form"
        aria-label="Verification scope"
        onSubmit={(e) => {
          e.preventDefault();
          begin();
        }}
      >
        <fieldset className="radio-group">
          <legend>Scope</legend>
          <ScopeRadio value="fleet" chosen={kind} onChoose={setKind}>
            Whole fleet
          </ScopeRadio>
          <ScopeRadio value="instance" chosen={kind} onChoose={setKind}>
            One instance
          </ScopeRadio>
          {kind === 'instance' ? (
            <SelectField
              label="Instance to verify"
              className="inline"
              value={instanceId}
              options={instanceOptions(instances)}
              onChange={setInstanceChoice}
            />
          ) : null}
          <ScopeRadio value="selection" chosen={kind} onChoose={setKind} disabled={selected.size === 0}>
            Tenants selected on the Tenants screen ({formatCount(selected.size)})
          </ScopeRadio>
        </fieldset>
        <div className="button-row">
          <button
            type="submit"
            className="primary"
            disabled={
              start.isPending ||
              running ||
              (kind === 'instance' && !instanceId) ||
              (kind === 'selection' && selected.size === 0)
            }
          >
            {running ? 'Verification running…' : 'Start verification'}
          </button>
        </div>
        {start.error ? <ErrorMessage error={start.error} prefix="Could not start:" /> : null}
      </form>

      {followed.jobId ? (
        <section className="panel" aria-labelledby="verify-progress-heading" aria-busy={running}>
          <h2 id="verify-progress-heading">Progress: {followed.scopeLabel}</h2>
          <div
            className="progress"
            role="progressbar"
            aria-label="Verification progress"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={done}
            aria-valuetext={`${formatCount(done)} of ${plural(total, 'tenant')} checked`}
          >
            <div
              className="progress-fill"
              style={{ width: `${total ? (done / total) * 100 : data?.finished ? 100 : 0}%` }}
            />
          </div>
          <p role="status" aria-live="polite">
            {data
              ? `${formatCount(done)} of ${formatCount(total)} checked${data.finished ? ' — finished' : ''}`
              : 'Starting…'}
          </p>
          <ul className="status-counts" aria-label="Results per status">
            {[...counts].map(([status, n]) => (
              <li key={status}>
                <StatusBadge status={status} label={`${status}: ${formatCount(n)}`} />
              </li>
            ))}
          </ul>
          {jobError ? <ErrorMessage error={jobError} /> : null}
        </section>
      ) : null}
      {followed.jobId ? (
        <VerifyResults results={results} counts={counts} instanceName={(id) => byId.get(id)?.instance.name ?? id} />
      ) : null}
    </section>
  );
}
