/** The TMS client's public types: a tenant as the TMS stores it, what the console sends, the client and its factory. */
import type { Instance } from '../../../shared/instances/instance';

/** A tenant as the TMS stores it, with the install token under one name. */
export interface TmsTenant {
  id: string | null;
  name: string;
  /** `install_token`, or `install_key` on older TMS builds; null when the TMS sent neither. */
  installToken: string | null;
  email: string | null;
  created: string | null;
  expire: string | null;
}

/** What the console sends to create (or re-post) a tenant. */
export interface TmsTenantInput {
  id: string;
  name: string;
  installToken: string;
  email: string;
  created: string;
  /** ISO date-time the token stops working, or null for no expiry. */
  expire: string | null;
}

export interface TmsClient {
  readonly instanceId: string;
  /** The tenant, or null when the TMS answers 404. */
  getTenant(name: string): Promise<TmsTenant | null>;
  /** Create the tenant (tenant-collision when the TMS answers 409: it has that name already). */
  postTenant(input: TmsTenantInput): Promise<TmsTenant | null>;
  /**
   * Store the tenant with a new install token. The documented TMS has no PUT: a POST of the same
   * tenant replaces it on a TMS that upserts; one that answers 409 gets DELETE then POST.
   */
  upsertTenant(input: TmsTenantInput): Promise<TmsTenant | null>;
  /** 'deleted', or 'absent' when the TMS does not know the tenant. Throws tms-unsupported when the TMS has no DELETE. */
  deleteTenant(name: string): Promise<'deleted' | 'absent'>;
  /** Every tenant, when the TMS offers the (non-standard) `GET /tenants` listing; null when it does not. */
  listTenants(): Promise<TmsTenant[] | null>;
}

/** Builds the TMS client of one instance. */
export type TmsClientFactory = (instanceId: string) => Promise<TmsClient>;

/** The part of InstanceService the factory needs. */
export interface TmsInstanceSource {
  get(id: string): Promise<{ instance: Instance }>;
  resolveSecrets(id: string): Promise<Partial<Record<string, string>>>;
}
