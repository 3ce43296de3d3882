/** The instance service's public types: secrets in and out, warnings, listings and removal results. */
import type { ConsoleErrorData } from '../../../shared/errors';
import type { Instance, SecretKind, SecretPresence } from '../../../shared/instance';

export type InstanceSecrets = Partial<Record<SecretKind, string>>;
/** For update: a value stores/replaces a secret, null deletes it. */
export type InstanceSecretsPatch = Partial<Record<SecretKind, string | null>>;

export type InstanceWarningCode = 'tls-verify-off' | 'es-plaintext-credentials' | 'tms-plaintext' | 'es-secret-missing';

export interface InstanceWarning {
  code: InstanceWarningCode;
  message: string;
}

/** An instance as listed: its settings, plus what the operator must be shown about them. */
export interface InstanceSummary {
  instance: Instance;
  /** True when TLS certificate verification is off for this instance: always shown, never hidden. */
  tlsVerifyOff: boolean;
  warnings: InstanceWarning[];
}

/** An instance with which secrets it holds (never their values). Matches the contract's InstanceView. */
export interface InstanceDetails extends InstanceSummary {
  /** Null when the keychain could not be asked: `keychainProblem` says why. */
  secrets: SecretPresence | null;
  /** The keychain is locked, missing or failing: the instance is shown, its secrets are unknown. */
  keychainProblem?: ConsoleErrorData;
}

export interface RemoveResult {
  removed: string;
  /** Keychain accounts deleted (names only). */
  secretsDeleted: string[];
  /** Tenant records removed with the instance (only with force). */
  tenantsRemoved: number;
}
