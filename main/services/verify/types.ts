/** The verification service's public types: its dependencies, the scope of a run, its options and result. */
import type { Client } from '@elastic/elasticsearch';
import type { TenantRef } from '../../../shared/contract/contract';
import type { Instance } from '../../../shared/instances/instance';
import type { InstallEvidence, TenantRecord, VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';
import type { Resolver } from '../dns';
import type { InstallReading, TracardiTarget, VersionDetails } from '../tracardi-client';

// ---------------------------------------------------------------------------------------------
// Dependencies (structural, so any implementation with these methods fits)

export interface VerifyInstances {
  list(): Promise<{ instance: Instance }[]>;
}
export interface VerifyTenants {
  list(filter?: { instanceId?: string }): Promise<TenantRecord[]>;
  /**
   * Keeps results with their time (one store write per batch); sets state 'installed' the first
   * time a tenant is seen installed.
   */
  recordVerification(results: VerificationResult[]): Promise<unknown>;
}
export interface VerifyTracardi {
  getInstall(
    target: TracardiTarget,
    options?: { timeoutMs?: number; signal?: AbortSignal } & InstallReading,
  ): Promise<InstallEvidence>;
  /** `GET /info/version/details`: who answers. Rejects when there is no usable answer. */
  getVersionDetails(
    target: TracardiTarget,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Pick<VersionDetails, 'name' | 'tenant' | 'version' | 'dbVersion' | 'multiTenant'>>;
}
export interface VerifyAudit {
  record(entry: {
    action: string;
    outcome: 'ok' | 'refused' | 'failed';
    instanceId?: string;
    tenant?: string;
    detail?: string;
  }): Promise<unknown>;
}
/** Lists keychain accounts (never values): which tenants have a token stored. */
export interface VerifyTokenStore {
  list(prefix: string): Promise<string[]>;
}

export interface VerifyServiceDeps {
  instances: VerifyInstances;
  tenants: VerifyTenants;
  /** An Elasticsearch client for an instance (credentials from the keychain). */
  esClientFactory: (instance: Instance) => Promise<Client>;
  resolver: Resolver;
  tracardi: VerifyTracardi;
  audit?: VerifyAudit;
  /** When given, `token.inKeychain` is read with one listing per instance. */
  tokens?: VerifyTokenStore;
  clock?: () => Date;
  /** Tenants probed at once; default 16. */
  concurrency?: number;
  /** Timeout of each Tracardi probe; default 5000 ms. DNS and ES carry their own. */
  requestTimeoutMs?: number;
  /**
   * How often results are stored during a run; default every 30 s (and once at the end). The tenant
   * store rewrites its whole file per write, so a fleet run writes a few times, never per tenant.
   */
  recordIntervalMs?: number;
}

export type { TenantRef };
export type VerifyScope = { tenant: TenantRef } | { instanceId: string } | { fleet: true } | { selection: TenantRef[] };

export interface VerifyProgress {
  done: number;
  total: number;
  result?: VerificationResult;
}

export interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** Overrides the service's concurrency for this run. */
  concurrency?: number;
  /**
   * False: no audit entry for this run (the watch's rounds, which keep their own: one per round
   * that found changes or failed). Default true.
   */
  audit?: boolean;
}

export interface VerifyStats {
  tenants: number;
  instances: number;
  /** Elasticsearch requests sent by the run: 3 per instance with tenants in scope, whatever their number. */
  esRequests: number;
  esRequestsByInstance: Record<string, number>;
  /**
   * `GET /info/version/details` requests sent by the run: one per instance where the answer ignores
   * the Host (single-tenant, 0.8.x), one per tenant on a multi-tenant 0.9.
   */
  identityRequests: number;
  identityRequestsByInstance: Record<string, number>;
  durationMs: number;
  concurrency: number;
  byStatus: Record<VerifyStatus, number>;
  /** Instances whose Elasticsearch listing failed (their tenants are 'unreachable'). */
  instanceErrors: { instanceId: string; message: string }[];
  /** Results that could not be stored with the tenant record. */
  recordFailures: { instanceId: string; tenant: string; message: string }[];
}

export interface VerifyRun {
  results: VerificationResult[];
  stats: VerifyStats;
}
