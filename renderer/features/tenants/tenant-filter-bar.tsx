/** Search and filters of the Tenants list (instance, record state, last verification, environment). */
import { Field } from '../../components/field';
import { instanceOptions, SelectField } from '../../components/select-field';
import {
  ENVIRONMENTS,
  TENANT_STATES,
  VERIFY_STATUSES,
  type Environment,
  type TenantState,
  type VerifyStatus,
} from '../../../shared/vocabulary';
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
      <SelectField
        label="Instance"
        value={filters.instanceId}
        empty="All instances"
        options={instanceOptions(instances)}
        onChange={(v) => setFilter('instanceId', v)}
      />
      <SelectField<TenantState | ''>
        label="Record state"
        value={filters.state}
        empty="Any state"
        options={TENANT_STATES}
        onChange={(v) => setFilter('state', v)}
      />
      <SelectField<VerifyStatus | 'never' | ''>
        label="Verification status"
        value={filters.verifyStatus}
        empty="Any status"
        options={[{ value: 'never', label: 'not verified' }, ...VERIFY_STATUSES]}
        onChange={(v) => setFilter('verifyStatus', v)}
      />
      <SelectField<Environment | ''>
        label="Environment"
        value={filters.environment}
        empty="Any environment"
        options={ENVIRONMENTS}
        onChange={(v) => setFilter('environment', v)}
      />
      <button type="button" className="align-end" onClick={clearFilters}>
        Clear filters
      </button>
    </div>
  );
}
