// Test cleanup: remove everything a simulated install left in Elasticsearch for one tenant.
import { Es } from './es';
import type { SimVersion } from './naming';
import { profileFor } from './profiles';
import { deleteTenantSchema, namesFor } from './schema';
import { deleteSharedUsers } from './users';

/** Deletes a tenant's indices, aliases and templates (both versions) and its 0.9 user rows. */
export async function deleteTenantArtefacts(esUrl: string, tenant: string): Promise<void> {
  const es = new Es(esUrl);
  const versions: SimVersion[] = ['0.8.x', '0.9.x'];
  const results = await Promise.allSettled([
    ...versions.map((v) => deleteTenantSchema(es, namesFor(profileFor(v), tenant))),
    deleteSharedUsers(es, tenant),
  ]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
