// Admin users. 0.8.2 keeps them in the tenant's `user` index of each context (written through its
// alias, so a missing schema is never silently re-created by a write). 0.9 keeps them in ONE MySQL
// database with a `tenant` column; the simulator stands that in with one shared Elasticsearch index,
// SIM_MYSQL_USER_INDEX, so a 0.9 tenant's own footprint stays exactly the contract's 12 indices.
import { randomBytes, scryptSync } from 'node:crypto';
import type { Es } from './es';
import type { Context } from './naming';
import type { TenantNames } from './naming';
import type { VersionProfile } from './profiles';

/** The shared index standing in for 0.9's MySQL `user` table (all tenants, `tenant` field). */
export const SIM_MYSQL_USER_INDEX = 'tracardi-sim-mysql-user';

const ADMIN_ROLES = ['admin', 'maintainer', 'developer', 'marketer'];

/** scrypt with a random salt: `scrypt$<salt hex>$<hash hex>`. The plain password is never stored. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export interface UserStore {
  hasAdmin(context: Context): Promise<boolean>;
  /** Creates or replaces the admin (same e-mail, same document: re-running install is idempotent). */
  putAdmin(context: Context, email: string, password: string): Promise<boolean>;
}

/** The user store of one tenant for one version. */
export function userStore(es: Es, profile: VersionProfile, names: TenantNames): UserStore {
  return profile.sim === '0.8.x' ? new IndexUserStore(es, names) : new SharedUserStore(es, names.tenant);
}

const doc = (email: string, password: string) => ({
  id: email,
  email,
  full_name: 'Administrator',
  password: hashPassword(password),
  roles: ADMIN_ROLES,
  disabled: false,
});

class IndexUserStore implements UserStore {
  constructor(
    private readonly es: Es,
    private readonly names: TenantNames,
  ) {}

  async hasAdmin(context: Context): Promise<boolean> {
    const alias = encodeURIComponent(this.names.alias(context, 'user'));
    const reply = await this.es.request<{ count?: number }>('POST', `/${alias}/_count`, {
      query: { match: { roles: 'admin' } },
    });
    return reply.status === 200 && (reply.body.count ?? 0) > 0;
  }

  async putAdmin(context: Context, email: string, password: string): Promise<boolean> {
    const alias = encodeURIComponent(this.names.alias(context, 'user'));
    const reply = await this.es.request(
      'PUT',
      `/${alias}/_doc/${encodeURIComponent(email)}?refresh=true&require_alias=true`,
      doc(email, password),
    );
    return reply.status === 200 || reply.status === 201;
  }
}

class SharedUserStore implements UserStore {
  constructor(
    private readonly es: Es,
    private readonly tenant: string,
  ) {}

  async hasAdmin(context: Context): Promise<boolean> {
    const reply = await this.es.request<{ count?: number }>('POST', `/${SIM_MYSQL_USER_INDEX}/_count`, {
      query: {
        bool: {
          filter: [
            { term: { tenant: this.tenant } },
            { term: { production: context === 'production' } },
            { term: { roles: 'admin' } },
          ],
        },
      },
    });
    return reply.status === 200 && (reply.body.count ?? 0) > 0;
  }

  async putAdmin(context: Context, email: string, password: string): Promise<boolean> {
    await createSharedIndex(this.es); // cheap, and survives someone deleting the index
    const id = encodeURIComponent(`${this.tenant}:${context}:${email}`);
    await this.es.ok('PUT', `/${SIM_MYSQL_USER_INDEX}/_doc/${id}?refresh=true`, {
      ...doc(email, password),
      tenant: this.tenant,
      production: context === 'production',
    });
    return true;
  }
}

async function createSharedIndex(es: Es): Promise<void> {
  const reply = await es.request('PUT', `/${SIM_MYSQL_USER_INDEX}?wait_for_active_shards=0`, {
    settings: { index: { number_of_shards: 1, number_of_replicas: 0 } },
    mappings: {
      properties: {
        tenant: { type: 'keyword' },
        production: { type: 'boolean' },
        email: { type: 'keyword' },
        roles: { type: 'keyword' },
        password: { type: 'keyword', index: false },
      },
    },
  });
  if (reply.status !== 200 && !JSON.stringify(reply.body).includes('resource_already_exists_exception')) {
    throw new Error(`creating ${SIM_MYSQL_USER_INDEX}: HTTP ${reply.status}`);
  }
}

/** Removes a 0.9 tenant's rows from the shared user index (0.8 users go with the tenant's indices). */
export async function deleteSharedUsers(es: Es, tenant: string): Promise<void> {
  // Search then delete by id: minimal Elasticsearch builds lack the reindex module (_delete_by_query).
  const found = await es.request<{ hits?: { hits: { _id: string }[] } }>('POST', `/${SIM_MYSQL_USER_INDEX}/_search`, {
    query: { term: { tenant } },
    size: 1000,
    _source: false,
  });
  if (found.status === 404) return;
  if (found.status !== 200) throw new Error(`finding users of ${tenant}: HTTP ${found.status}`);
  for (const hit of found.body.hits?.hits ?? []) {
    await es.request('DELETE', `/${SIM_MYSQL_USER_INDEX}/_doc/${encodeURIComponent(hit._id)}?refresh=true`);
  }
}
