/** New tenant: the form, then the created tenant's token panel (token hidden until revealed). */
import { useState } from 'react';
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { FactWarnings, Facts } from '../../components/facts';
import { formatTime } from '../../lib/format';
import { useInstanceMap } from '../../lib/use-server-state';
import { TokenPanel } from '../token';
import { NewTenantForm } from './new-tenant-form';

export function NewTenantScreen({ instanceId }: { instanceId?: string }) {
  const [created, setCreated] = useState<TenantRecord | null>(null);
  const [formKey, setFormKey] = useState(0);
  const instances = useInstanceMap();
  const instance = created ? instances.get(created.instanceId)?.instance : undefined;
  return (
    <section className="screen" aria-labelledby="new-tenant-heading">
      <header className="screen-header">
        <h1 id="new-tenant-heading">New tenant</h1>
      </header>
      {created ? (
        <section className="panel created-panel" aria-labelledby="created-heading">
          <h2 id="created-heading">
            Tenant {created.tenant} created on {instance?.name ?? created.instanceId}
          </h2>
          <Facts
            compact
            facts={[
              ['API', created.apiUrl],
              ['GUI', created.guiUrl],
              ['Token expires', created.tokenExpiresAt ? formatTime(created.tokenExpiresAt) : 'never'],
            ]}
          />
          <FactWarnings warnings={created.warnings} />
          <TokenPanel tenantRef={{ instanceId: created.instanceId, tenant: created.tenant }} headingLevel={3} />
          <div className="button-row">
            <button
              type="button"
              onClick={() => {
                setCreated(null);
                setFormKey((k) => k + 1);
              }}
            >
              Close
            </button>
          </div>
        </section>
      ) : (
        <NewTenantForm key={formKey} initialInstanceId={instanceId} onCreated={setCreated} />
      )}
    </section>
  );
}
