/**
 * The OS keychain: whether the console can use it now, its service name, and which secrets each
 * instance keeps there (never a value: the console reads presence only).
 */
import { useQuery } from '@tanstack/react-query';
import type { InstanceView } from '../../../shared/contract/contract';
import type { SecretKind } from '../../../shared/instances/instance';
import { DataTable } from '../../components/data-table';
import { ErrorMessage } from '../../components/error-message';
import { Facts } from '../../components/facts';
import { useApi } from '../../lib/api-context';
import { qk } from '../../lib/query-client';
import { errorMessage, ApiError } from '../../lib/transport';
import { useInstanceViews } from '../../lib/use-server-state';

const SECRET_NAMES: Record<SecretKind, string> = {
  'es-password': 'Elasticsearch password',
  'es-api-key': 'Elasticsearch API key',
  'tms-api-key': 'TMS API key',
};

/** The secrets an instance's settings call for. */
function needed(view: InstanceView): SecretKind[] {
  const kinds: SecretKind[] = [];
  if (view.instance.es.auth.type === 'basic') kinds.push('es-password');
  if (view.instance.es.auth.type === 'apiKey') kinds.push('es-api-key');
  if (view.instance.tenancy !== 'single-tenant') kinds.push('tms-api-key');
  return kinds;
}

function SecretCell({ view, kind }: { view: InstanceView; kind: SecretKind }) {
  if (!view.secrets) return <span className="muted">unknown</span>;
  const stored = view.secrets[kind];
  const wanted = needed(view).includes(kind);
  if (stored) return <span className="outcome tone-ok">stored{wanted ? '' : ' (not used)'}</span>;
  return wanted ? <span className="outcome tone-danger">missing</span> : <span className="muted">not needed</span>;
}

export function KeychainSection() {
  const api = useApi();
  const status = useQuery({ queryKey: qk.keychain, queryFn: () => api['app.keychain']({}), staleTime: 10_000 });
  const views = useInstanceViews();
  const k = status.data;
  return (
    <>
      {status.error ? <ErrorMessage error={status.error} /> : null}
      {k ? (
        <Facts
          facts={[
            [
              'Keychain',
              k.available ? (
                <span className="outcome tone-ok">available</span>
              ) : (
                <span className="outcome tone-danger" role="alert">
                  not available: {k.problem ? errorMessage(ApiError.from(k.problem)) : 'no answer'}
                </span>
              ),
            ],
            ['Service name', <code key="s">{k.service}</code>],
          ]}
        />
      ) : (
        <p className="muted">Asking the keychain…</p>
      )}
      <p className="muted small-text">
        Passwords, API keys and installation tokens are kept only there; without a keychain the console stores none
        (there is no fallback to a file).
      </p>
      {views.error ? <ErrorMessage error={views.error} /> : null}
      {views.data && views.data.length === 0 ? <p className="muted">No instance configured yet.</p> : null}
      {views.data && views.data.length > 0 ? (
        <DataTable
          caption="Secrets each instance keeps in the keychain (never their values)"
          columns={['Instance', ...Object.values(SECRET_NAMES)]}
          scroll="panel"
          testId="keychain-secrets"
        >
          {views.data.map((v) => (
            <tr key={v.instance.id} data-instance-id={v.instance.id}>
              <th scope="row">{v.instance.name}</th>
              {(Object.keys(SECRET_NAMES) as SecretKind[]).map((kind) => (
                <td key={kind}>
                  <SecretCell view={v} kind={kind} />
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      ) : null}
      {views.data?.some((v) => !v.secrets) ? (
        <p className="muted small-text">Unknown: the keychain could not be asked (see above).</p>
      ) : null}
      <p className="muted small-text">
        Each tenant’s installation token is kept there too, one entry per tenant; reveal or copy one from its row on the
        Tenants screen.
      </p>
    </>
  );
}
