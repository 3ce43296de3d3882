// Tracardi + Tenant Management Service simulator, written from docs/tracardi-contract.md.
export { startTms, type TmsOptions, type TmsSimulator, type TmsTenant } from './tms';
export {
  startTracardi,
  MIN_PASSWORD_LENGTH,
  MYSQL_DOWN_DETAIL,
  type SimDatabase,
  type TracardiOptions,
  type TracardiSimulator,
} from './tracardi';
export type { CallRecord, Fault } from './http';
export {
  contextPrefix,
  defaultTenantFor,
  partitionSuffix,
  tenantFromHost,
  TenantNames,
  type Context,
  type HostRule,
  type Partitioning,
  type SimVersion,
  type TenantResult,
} from './naming';
export {
  CONTRACT_SHARD_DEFAULTS,
  PARTITION_ENV,
  TEST_SHARD_DEFAULTS,
  periodsFor,
  profileFor,
  shardsFor,
  type PartitionEnv,
  type PartitioningOption,
  type ShardSettings,
  type VersionProfile,
} from './profiles';
export { expectedArtefacts, namesFor, type CreatedArtefacts, type TypeArtefact } from './schema';
export { SIM_MYSQL_USER_INDEX } from './users';
export { deleteTenantArtefacts } from './cleanup';
