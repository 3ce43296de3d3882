export { TokenPanel } from './token-panel';
export { useTokenActions, type TenantRef } from './use-token-actions';
