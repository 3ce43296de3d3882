/**
 * `tenantctl capacity --place`: the placement report as lines. One block per version: the next
 * tenant's ranking (best first, one line each saying why), the refused instances with their reason,
 * and with `--count N` where the N tenants go.
 */
import type { PlacementReport } from '../../../shared/placement';

const label = (f: { name: string; instanceId: string }) => `${f.name} (${f.instanceId})`;

/** Lines for the placement reports (printLines escapes them). */
export function formatPlacement(reports: readonly PlacementReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (lines.length > 0) lines.push('');
    lines.push(`Placement of ${r.count === 1 ? 'the next tenant' : `${r.count} tenants`} on Tracardi ${r.version}`);
    if (r.ranking.length === 0) {
      lines.push('  no instance can take a tenant');
    } else {
      lines.push('  ranking (best first):');
      r.ranking.forEach((f, i) => {
        lines.push(`  ${i + 1}. ${label(f)}${i === 0 ? '  BEST' : ''}`, `     ${f.why}`);
      });
    }
    if (r.refused.length > 0) {
      lines.push('  refused:');
      for (const x of r.refused) lines.push(`  -  ${label(x)}  ${x.kind}: ${x.reason}`);
    }
    if (r.count > 1) {
      lines.push(`  spread of ${r.count} tenants (one by one, re-ranked after each):`);
      for (const f of r.spread) lines.push(`  ${String(f.placed).padStart(4)}  ${label(f)}  ${f.why}`);
      if (r.unplaced > 0) lines.push(`  ${String(r.unplaced).padStart(4)}  no room: the fleet cannot take them`);
    }
  }
  return lines;
}
