/** Merge polled verification results into what arrived before, one result per tenant. Pure. */
import type { VerificationResult, VerifyStatus } from '../../../shared/tenants/tenant';

export function mergeResults(
  previous: readonly VerificationResult[],
  incoming: readonly VerificationResult[],
): VerificationResult[] {
  if (previous.length === 0) return [...incoming];
  if (incoming.length === 0) return previous as VerificationResult[];
  const index = new Map<string, number>();
  previous.forEach((r, i) => index.set(`${r.instanceId}/${r.tenant}`, i));
  const out = [...previous];
  for (const r of incoming) {
    const key = `${r.instanceId}/${r.tenant}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(r);
    } else {
      out[at] = r;
    }
  }
  return out;
}

/** Statuses that need the operator's attention. */
export const PROBLEM_STATUSES: ReadonlySet<VerifyStatus> = new Set([
  'partial',
  'misrouted',
  'wrong-instance',
  'drift',
  'unreachable',
  'expired',
  'unknown-to-instance',
]);

/** Count of results per status, in the order the statuses first appear. */
export function countByStatus(results: readonly VerificationResult[]): Map<VerifyStatus, number> {
  const counts = new Map<VerifyStatus, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return counts;
}
