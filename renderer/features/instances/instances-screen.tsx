/** Instances: the configured instances, add/edit forms, connection test and removal. */
import { useCallback, useState } from 'react';
import type { InstanceView } from '../../../shared/contract/contract';
import { SECRET_KINDS } from '../../../shared/instances/instance';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DataTable, type DataColumn } from '../../components/data-table';
import { EnvironmentBadge } from '../../components/environment-badge';
import { ErrorMessage } from '../../components/error-message';
import { useRefreshHandler } from '../../lib/refresh';
import { useInstanceViews } from '../../lib/use-server-state';
import { InstanceForm } from './instance-form';
import { useInstanceMutations } from './use-instance-mutations';
import { SavedConnectionResults, useSavedConnectionTest } from './saved-connection-test';

const COLUMNS: DataColumn[] = [
  'Name',
  'Id',
  'Environment',
  'Tracardi API',
  'Elasticsearch',
  'Secrets',
  { label: 'Actions', hidden: true },
];

type Editing = { mode: 'add' } | { mode: 'edit'; id: string } | null;

function secretsText({ secrets, keychainProblem }: InstanceView): string {
  if (!secrets) return `unknown: ${keychainProblem?.message ?? 'the keychain could not be asked'}`;
  const kinds = SECRET_KINDS.filter((k) => secrets[k]);
  return kinds.length ? `stored in keychain: ${kinds.join(', ')}` : 'none stored';
}

export function InstancesScreen() {
  const instances = useInstanceViews();
  const { remove } = useInstanceMutations();
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<InstanceView | null>(null);
  const [force, setForce] = useState(false);
  const test = useSavedConnectionTest();
  const tested = test.variables;
  const { refetch } = instances;
  useRefreshHandler(useCallback(() => void refetch(), [refetch]));
  const views = instances.data ?? [];
  const editView = editing?.mode === 'edit' ? (views.find((v) => v.instance.id === editing.id) ?? null) : null;

  return (
    <section className="screen" aria-labelledby="instances-heading">
      <header className="screen-header">
        <h1 id="instances-heading">Instances</h1>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ mode: 'add' })}
          disabled={editing?.mode === 'add'}
        >
          Add instance
        </button>
      </header>
      {instances.error ? <ErrorMessage error={instances.error} /> : null}
      {instances.isSuccess && views.length === 0 ? <p className="muted">No instances configured yet.</p> : null}
      {views.length > 0 ? (
        <DataTable caption="Configured instances" columns={COLUMNS} scroll="panel">
          {views.map((v) => (
            <tr key={v.instance.id} className={v.instance.environment === 'production' ? 'is-production' : undefined}>
              <th scope="row">
                <span className="truncate instance-name" title={v.instance.name}>
                  {v.instance.name}
                </span>
              </th>
              <td className="wrap-anywhere">{v.instance.id}</td>
              <td>
                <EnvironmentBadge environment={v.instance.environment} colour={v.instance.colour} />
              </td>
              <td className="url-cell">
                {v.instance.apiUrl} <span className="muted">({v.instance.tracardiVersion})</span>
              </td>
              <td className="url-cell">
                {v.instance.es.nodes.join(', ')}
                {v.tlsVerifyOff ? <span className="warn-badge">TLS verification off</span> : null}
              </td>
              <td className="wrap-anywhere">{secretsText(v)}</td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="small"
                    disabled={test.isPending}
                    onClick={() => test.mutate({ id: v.instance.id, name: v.instance.name })}
                    aria-label={`Test connection to ${v.instance.name}`}
                  >
                    Test
                  </button>
                  <button
                    type="button"
                    className="small"
                    onClick={() => setEditing({ mode: 'edit', id: v.instance.id })}
                    aria-label={`Edit ${v.instance.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="small danger"
                    onClick={() => {
                      setForce(false);
                      setRemoving(v);
                    }}
                    aria-label={`Remove ${v.instance.name}`}
                  >
                    Remove
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {tested ? <SavedConnectionResults test={test} name={tested.name} /> : null}
      {editing ? (
        <InstanceForm
          key={editing.mode === 'edit' ? editing.id : 'add'}
          view={editView}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={
            removing.instance.environment === 'production'
              ? `Remove PRODUCTION instance ${removing.instance.name}?`
              : `Remove instance ${removing.instance.name}?`
          }
          message={
            <p>
              Removes instance <strong>{removing.instance.name}</strong> ({removing.instance.id}) from the console’s
              settings.
              {removing.instance.environment === 'production'
                ? ' This is a PRODUCTION instance: type its id to confirm.'
                : ''}
            </p>
          }
          confirmLabel="Remove instance"
          requireText={removing.instance.environment === 'production' ? removing.instance.id : undefined}
          onConfirm={() => remove.mutateAsync({ id: removing.instance.id, force })}
          onClose={() => setRemoving(null)}
        >
          <label className="check">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            Force (remove even though the console still records tenants on it)
          </label>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
