export { TenantsScreen } from './tenants-screen';
export { useSelectedTenants, selectionRefs, clearSelection } from './tenants-store';
export {
  filterTenants,
  buildRows,
  asVerification,
  tenantKey,
  EMPTY_FILTERS,
  type TenantFilters,
  type TenantRow,
} from './filter-tenants';
