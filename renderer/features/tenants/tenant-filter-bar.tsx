/** Search and filters of the Tenants list (instance, record state, last verification, environment). */
import { TextField } from '../../components/text-field';
import { instanceOptions, SelectField, type SelectFieldProps } from '../../components/select-field';
import { ENVIRONMENTS, TENANT_STATES, VERIFY_STATUSES } from '../../../shared/text/vocabulary';
import { useInstances } from '../../lib/use-server-state';
import type { TenantFilters } from './filter-tenants';
import { clearFilters, setFilter, setSearch, useTenantFilters } from './tenants-store';

type SelectKey = Exclude<keyof TenantFilters, 'search'>;

/** A select bound to one filter of the list; '' (its `empty` option) filters nothing. */
function FilterSelect<K extends SelectKey>({
  filters,
  name,
  ...field
}: { filters: TenantFilters; name: K } & Pick<SelectFieldProps<TenantFilters[K]>, 'label' | 'empty' | 'options'>) {
  return <SelectField<TenantFilters[K]> {...field} value={filters[name]} onChange={(v) => setFilter(name, v)} />;
}

export function TenantFilterBar() {
  const filters = useTenantFilters();
  const instances = useInstances().data ?? [];
  return (
    <div className="filter-bar" role="search" aria-label="Filter tenants">
      <TextField
        label="Search tenants"
        className="grow"
        type="search"
        data-shortcut-search
        placeholder="tenant, domain, e-mail, instance"
        value={filters.search}
        onValue={setSearch}
      />
      <FilterSelect
        filters={filters}
        name="instanceId"
        label="Instance"
        empty="All instances"
        options={instanceOptions(instances)}
      />
      <FilterSelect filters={filters} name="state" label="Record state" empty="Any state" options={TENANT_STATES} />
      <FilterSelect
        filters={filters}
        name="verifyStatus"
        label="Verification status"
        empty="Any status"
        options={[{ value: 'never', label: 'not verified' }, ...VERIFY_STATUSES]}
      />
      <FilterSelect
        filters={filters}
        name="environment"
        label="Environment"
        empty="Any environment"
        options={ENVIRONMENTS}
      />
      <button type="button" className="align-end" onClick={clearFilters}>
        Clear filters
      </button>
    </div>
  );
}
