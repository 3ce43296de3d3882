/** One active tenant document as the console writes it to the team registry, for tests that write or seed one by hand. */
import type { OperatorStamp } from '../../shared/team/operator';
import type { RegistryTenantDoc } from '../../shared/team/registry';

/** An active, registered tenant of `scope`, created by `by`; `over` changes any field. */
export function registryDoc(
  scope: string,
  tenant: string,
  by: OperatorStamp,
  over: Partial<RegistryTenantDoc> = {},
): RegistryTenantDoc {
  return {
    scope,
    tenant,
    phase: 'active',
    record: {
      apiDomain: `${tenant}.${scope}`,
      apiUrl: `https://${tenant}.${scope}`,
      guiDomain: `${tenant}-gui.${scope}`,
      guiUrl: `https://${tenant}-gui.${scope}`,
      email: 'a@example.com',
      createdAt: '2026-12-07T09:00:00.000Z',
      tokenExpiresAt: null,
      state: 'registered',
      warnings: [],
    },
    createdBy: by,
    updatedBy: by,
    updatedAt: '2026-12-07T09:00:00.000Z',
    change: 'created it',
    rev: 1,
    verifiedBy: null,
    holder: null,
    pending: null,
    deleted: null,
    ...over,
  };
}
