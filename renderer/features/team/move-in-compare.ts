/**
 * Two records of one tenant side by side, field by field: this console's local record (kept before
 * the team registry) and the team's. Pure: the move-in dialog draws it.
 */
import type { TenantRecord } from '../../../shared/tenants/tenant';
import { operatorLabel } from '../../../shared/tenants/token-holder';

export interface CompareRow {
  field: string;
  local: string;
  team: string;
  differs: boolean;
}

type Time = (iso: string) => string;

const FIELDS: readonly { field: string; value: (r: TenantRecord, time: Time) => string | undefined }[] = [
  { field: 'State', value: (r) => r.state },
  { field: 'Contact e-mail', value: (r) => r.email },
  { field: 'API domain', value: (r) => r.apiDomain },
  { field: 'GUI domain', value: (r) => r.guiDomain },
  { field: 'Created', value: (r, t) => t(r.createdAt) },
  { field: 'Token expires', value: (r, t) => (r.tokenExpiresAt ? t(r.tokenExpiresAt) : 'never') },
  { field: 'Handed over', value: (r, t) => (r.handedOverAt ? t(r.handedOverAt) : undefined) },
  { field: 'Rotated', value: (r, t) => (r.rotatedAt ? t(r.rotatedAt) : undefined) },
  { field: 'Revoked', value: (r, t) => (r.revokedAt ? t(r.revokedAt) : undefined) },
  { field: 'Installed', value: (r, t) => (r.installedAt ? t(r.installedAt) : undefined) },
  { field: 'Created by', value: (r) => (r.createdBy ? operatorLabel(r.createdBy) : undefined) },
  {
    field: 'Last change',
    value: (r, t) =>
      r.updatedBy
        ? `${r.lastChange ?? 'changed it'}, by ${operatorLabel(r.updatedBy)}${r.updatedAt ? `, ${t(r.updatedAt)}` : ''}`
        : undefined,
  },
  { field: 'Token holder', value: (r) => (r.tokenHolder ? operatorLabel(r.tokenHolder) : undefined) },
];

/**
 * The rows of the comparison. A field neither record has is left out; `differs` marks the fields
 * the operator acts on that disagree (the team's own stamps, which a local record never has, do not).
 */
export function compareRecords(local: TenantRecord, team: TenantRecord, time: Time): CompareRow[] {
  const out: CompareRow[] = [];
  for (const { field, value } of FIELDS) {
    const l = value(local, time);
    const t = value(team, time);
    if (l === undefined && t === undefined) continue;
    const stamp = field === 'Created by' || field === 'Last change' || field === 'Token holder';
    out.push({ field, local: l ?? '—', team: t ?? '—', differs: !stamp && l !== t });
  }
  return out;
}
