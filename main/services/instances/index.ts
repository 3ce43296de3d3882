/** The instances' public API: `import { InstanceService } from './services/instances'`. */
export { InstanceService } from './instance-service';
export { instanceWarnings } from './summary';
export { adoptUrlCredentials, type UrlCredentialDeps } from './url-credentials';
export type {
  InstanceDetails,
  InstanceSecrets,
  InstanceSecretsPatch,
  InstanceSummary,
  InstanceWarning,
  InstanceWarningCode,
  RemoveResult,
} from './types';
