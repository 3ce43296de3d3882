/** Search and filters of the Tenants list (instance, record state, last verification, environment). */
import { Field } from '../../components/field';
import { ENVIRONMENTS, type Environment } from '../../../shared/instance';
import { TENANT_STATES, VERIFY_STATUSES, type TenantState, type VerifyStatus } from '../../../shared/tenant';
import { useInstances } from '../../lib/use-server-state';
import { clearFilters, setFilter, setSearch, useTenantFilters } from './tenants-store';

export function TenantFilterBar() {
  const filters = useTenantFilters();
  const instances = useInstances().data ?? [];
  return (
    <div className="filter-bar" role="search" aria-label="Filter tenants">
      <Field label="Search tenants" className="grow">
        {(control) => (
          <input
            {...control}
            type="search"
            data-shortcut-search
            placeholder="tenant, domain, e-mail, instance"
            value={filters.search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <Field label="Instance">
        {(control) => (
          <select {...control} value={filters.instanceId} onChange={(e) => setFilter('instanceId', e.target.value)}>
            <option value="">All instances</option>
            {instances.map((v) => (
              <option key={v.instance.id} value={v.instance.id}>
                {v.instance.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Record state">
        {(control) => (
          <select
            {...control}
            value={filters.state}
            onChange={(e) => setFilter('state', e.target.value as TenantState | '')}
          >
            <option value="">Any state</option>
            {TENANT_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Verification status">
        {(control) => (
          <select
            {...control}
            value={filters.verifyStatus}
            onChange={(e) => setFilter('verifyStatus', e.target.value as VerifyStatus | 'never' | '')}
          >
            <option value="">Any status</option>
            <option value="never">not verified</option>
            {VERIFY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Environment">
        {(control) => (
          <select
            {...control}
            value={filters.environment}
            onChange={(e) => setFilter('environment', e.target.value as Environment | '')}
          >
            <option value="">Any environment</option>
            {ENVIRONMENTS.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="button" className="align-end" onClick={clearFilters}>
        Clear filters
      </button>
    </div>
  );
}
