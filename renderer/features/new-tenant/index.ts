export { NewTenantScreen } from './new-tenant-screen';
