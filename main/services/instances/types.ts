/** The instance service's public types: secrets in and out, warnings, listings and removal results. */
import type { InstanceSummary, InstanceView, InstanceWarning } from '../../../shared/contract/contract';
import type { SecretKind } from '../../../shared/instances/instance';

export type InstanceSecrets = Partial<Record<SecretKind, string>>;
/** For update: a value stores/replaces a secret, null deletes it. */
export type InstanceSecretsPatch = Partial<Record<SecretKind, string | null>>;

export type InstanceWarningCode = InstanceWarning['code'];
export type { InstanceWarning };

/** An instance as listed: its settings, plus what the operator must be shown about them. */
export type { InstanceSummary };

/** An instance with which secrets it holds (never their values): the contract's InstanceView. */
export type InstanceDetails = InstanceView;

export interface RemoveResult {
  removed: string;
  /** Keychain accounts deleted (names only). */
  secretsDeleted: string[];
  /** Tenant records removed with the instance (only with force). */
  tenantsRemoved: number;
}
